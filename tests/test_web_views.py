"""What the web pages show, from report dictionaries made here: no model, no pipeline. The facts list
is being redesigned, so the table must read it defensively (only measure, kind or rule, agree and
claims, with subject and attribute when present)."""
from __future__ import annotations

from checker.models import Document, Sentence
from checker.web.views import article_segments, facts_table


def _claim(doc: str, value: str, start: int, end: int, **extra) -> dict:
    return {"doc": doc, "value": value, "line": 1, "start": start, "end": end, "text": "t", **extra}


FINDING = {"id": "f1", "rule": "CC-NUM-001", "name": "number-mismatch", "severity": "error", "message": "m",
           "evidence": [dict(_claim("a.txt", "40", 0, 20), value_start=9, value_end=11),
                        dict(_claim("b.txt", "45", 0, 15), value_start=3, value_end=5)]}


def test_facts_table_reads_old_and_new_keys_and_ignores_the_rest():
    data = {
        "documents": [{"file": "b.txt"}, {"file": "a.txt"}, {"file": "unused.txt"}],
        "findings": [FINDING],
        "facts": [
            {"measure": "count of people", "rule": "CC-NUM-001", "agree": False,
             "claims": [_claim("a.txt", "40", 0, 20), _claim("b.txt", "45", 0, 15)]},
            {"measure": "date of talks", "kind": "agreement", "agree": True, "subject": "Blinken",
             "attribute": "arrival", "new_key": {"anything": 1},
             "claims": [_claim("a.txt", "Sunday", 30, 40), _claim("c.txt", "Sunday 2023-06-18", 0, 9), "junk"]},
            "not a fact",
            {"measure": "no claims at all"},
        ],
    }
    table = facts_table(data)
    assert table.columns == ("b.txt", "a.txt", "c.txt")  # report order, then any other source named
    conflict, agreement, empty = table.rows
    assert (conflict.kind, conflict.severity, conflict.finding) == ("CC-NUM-001", "error", "f1")
    assert [tuple(c.value for c in cell) for cell in conflict.cells] == [("45",), ("40",), ()]
    assert (agreement.kind, agreement.agree, agreement.severity, agreement.finding) == ("agreement", True, "", "")
    assert (agreement.subject, agreement.attribute) == ("Blinken", "arrival")
    assert agreement.docs == ("a.txt", "c.txt")
    assert empty.cells == ((), (), ()) and empty.kind == ""
    assert table.kinds == ("", "CC-NUM-001", "agreement")


def test_article_segments_mark_values_and_grey_what_was_not_read():
    text = "Home > News\nIt cost 40 million euros. Sunday was sunny.\n"
    doc = Document(name="a.txt", text=text)
    first = text.index("It cost")
    second = text.index("Sunday")
    sentences = [Sentence("a.txt", 0, first, second - 1, text[first:second - 1], 2),
                 Sentence("a.txt", 1, second, len(text) - 1, text[second:-1], 2)]
    finding = dict(FINDING, evidence=[dict(_claim("a.txt", "40", first, second - 1),
                                           value_start=first + 8, value_end=first + 10)])
    data = {"findings": [finding],
            "facts": [{"measure": "m", "kind": "CC-NUM-001", "agree": False, "claims": []},
                      {"measure": "date", "kind": "agreement", "agree": True,
                       "claims": [_claim("a.txt", "Sunday", second, len(text) - 1)]}]}
    segments = article_segments(doc, sentences, data)
    assert "".join(s.text for s in segments) == text  # nothing lost, nothing added
    looks = [(s.text, s.look, s.href) for s in segments]
    assert ("Home > News\n", "unread", "") in looks  # no sentence covers it: not read
    assert ("40", "conflict error", "/finding/f1") in looks
    assert ("Sunday was sunny.", "agree", "/#fact-1") in looks  # the facts list's own numbering
    assert [s.anchor for s in segments if s.anchor] == [f"c{first}", f"c{second}"]
