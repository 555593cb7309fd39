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
    # no `findings` list (an older report): the conflict's finding is the one with its evidence
    assert (conflict.kind, conflict.severity, conflict.finding) == ("CC-NUM-001", "error", "f1")
    assert [tuple(c.value for c in cell) for cell in conflict.cells] == [("45",), ("40",), ()]
    assert (agreement.kind, agreement.agree, agreement.severity, agreement.finding) == ("agreement", True, "", "")
    assert agreement.marks == "agrees"
    assert (agreement.subject, agreement.attribute) == ("Blinken", "arrival")
    assert agreement.docs == ("a.txt", "c.txt")
    assert empty.cells == ((), (), ()) and empty.kind == ""
    assert table.kinds == ("", "CC-NUM-001", "agreement")


def test_a_fact_names_its_findings_and_may_hold_several():
    second = dict(FINDING, id="f2", severity="warning", message="other")
    info = dict(FINDING, id="f3", severity="info", message="approximately")
    data = {"documents": [{"file": "a.txt"}, {"file": "b.txt"}], "findings": [FINDING, second, info],
            "facts": [{"measure": "date of meeting", "kind": "CC-DATE-001 CC-TIME-001", "agree": False,
                       "findings": ["f2", "f1", "gone"],
                       "claims": [_claim("a.txt", "Monday", 0, 5), _claim("a.txt", "Monday", 0, 5),
                                  _claim("b.txt", "Tuesday", 0, 5)]},
                      {"measure": "period", "kind": "CC-PERIOD-001", "agree": True, "findings": ["f3"],
                       "claims": [_claim("a.txt", "in five years", 0, 5)]}]}
    conflict, agreement = facts_table(data).rows
    assert [f.id for f in conflict.findings] == ["f1", "f2"]  # the most severe first; unknown ids left out
    assert conflict.severity == "error" and conflict.kinds == ("CC-DATE-001", "CC-TIME-001")
    assert [tuple(c.value for c in cell) for cell in conflict.cells] == [("Monday",), ("Tuesday",)]  # said once
    assert agreement.agree and agreement.severity == "info" and agreement.marks == "agrees info"
    assert facts_table(data).kinds == ("CC-DATE-001", "CC-PERIOD-001", "CC-TIME-001")


def test_article_segments_mark_values_and_grey_what_was_not_read():
    text = "Home > News\nIt cost 40 million euros. Sunday was sunny.\n"
    doc = Document(name="a.txt", text=text)
    first = text.index("It cost")
    second = text.index("Sunday")
    sentences = [Sentence("a.txt", 0, first, second - 1, text[first:second - 1], 2),
                 Sentence("a.txt", 1, second, len(text) - 1, text[second:-1], 2)]
    try:  # the sentence role arrived with the fact layer; a headline's values are not compared
        sentences.insert(0, Sentence("a.txt", 9, 0, 4, "Home", 1, role="headline"))
    except TypeError:
        pass
    finding = dict(FINDING, evidence=[dict(_claim("a.txt", "40", first, second - 1),
                                           value_start=first + 8, value_end=first + 10)])
    data = {"findings": [finding],
            "facts": [{"measure": "m", "kind": "CC-NUM-001", "agree": False, "claims": []},
                      {"measure": "date", "kind": "agreement", "agree": True,
                       "claims": [_claim("a.txt", "Sunday", second, len(text) - 1)]}]}
    segments = article_segments(doc, sentences, data)
    assert "".join(s.text for s in segments) == text  # nothing lost, nothing added
    looks = [(s.text, s.look, s.href) for s in segments]
    assert (" > News\n", "unread", "") in looks  # no sentence covers it: not read
    assert ("Home", "role-headline", "") in looks
    assert ("40", "conflict error", "/finding/f1") in looks
    assert ("Sunday was sunny.", "agree", "/#fact-1") in looks  # the facts list's own numbering
    assert [s.anchor for s in segments if s.anchor] == ["c0", f"c{first}", f"c{second}"]


def test_columns_are_labelled_by_outlet_else_file_name_and_told_apart():
    from checker.web.views import column_labels

    data = {"documents": [{"file": "001_a.txt", "outlet": "AFP", "published": "2023-06-18"},
                          {"file": "002_b.txt", "outlet": "AFP", "published": "2023-06-19"},
                          {"file": "003_c.txt", "outlet": "Reuters"}, {"file": "004_d.txt", "outlet": "Reuters"},
                          {"file": "pages/005_e.html", "outlet": "  "}]}
    columns = ["001_a.txt", "002_b.txt", "003_c.txt", "004_d.txt", "pages/005_e.html", "elsewhere.txt"]
    assert column_labels(columns, data) == ("AFP, 2023-06-18", "AFP, 2023-06-19", "Reuters (1)", "Reuters (2)",
                                            "005_e.html", "elsewhere.txt")
    table = facts_table(dict(data, facts=[{"measure": "m", "agree": True,
                                           "claims": [_claim("003_c.txt", "1", 0, 1)]}]))
    assert table.columns == ("003_c.txt",) and table.label(0) == "Reuters"  # one Reuters column: no number


def test_draft_segments_mark_the_drafts_evidence_and_nothing_else():
    from checker.web.views import draft_segments

    text = "Intro line.\nThe talks were on Tuesday in Beijing.\nOther line.\n"
    start = text.index("The talks")
    end = text.index("\nOther")
    value = text.index("Tuesday")
    finding = {"id": "f1", "rule": "CC-DATE-001", "severity": "warning", "message": "Tuesday or Monday",
               "evidence": [dict(_claim("<draft>", "Tuesday", start, end), value_start=value, value_end=value + 7),
                            dict(_claim("src.txt", "Monday", 0, 10), value_start=2, value_end=8)]}
    runs = draft_segments(text, {"draft": "<draft>", "findings": [finding]})
    assert "".join(r["text"] for r in runs) == text
    looks = [(r["text"], r.get("look", "")) for r in runs]
    assert looks == [("Intro line.\n", ""), ("The talks were on ", "contradicted warning"),
                     ("Tuesday", "value warning"), (" in Beijing.", "contradicted warning"), ("\nOther line.\n", "")]
    assert all(r["findings"] == ["f1"] and "CC-DATE-001: Tuesday or Monday" in r["title"] for r in runs if r.get("look"))
    assert draft_segments(text, {"draft": "<draft>", "findings": []}) == [{"text": text}]
