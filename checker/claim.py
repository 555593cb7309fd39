"""One claim against a corpus: the source sentences that speak of the same thing, and a verdict for
every value the claim states.

The claim becomes a one-sentence Document and runs through the corpus pipeline with the corpus
(`pipeline.run_prepared`), so its values are linked to the sources' by the fact layer
(checker.facts.link: the same attribute of the same thing) and judged by the rules' own `compare`,
exactly as an article's: every finding with evidence in the claim is a conflict, every agreement
the rules noted for a claim value is support. Nothing here compares two values itself: a value is
"supported" only when a source states the same value for the same fact, and a name or a country
in common supports nothing.

Without a date the claim has no publication date: "on Sunday" stays a weekday and is compared with
the weekday of the sources' dates, never resolved against today.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Iterable, Sequence

from checker.align.pairs import SentencePair
from checker.models import Document, Finding, Mention, Sentence, Severity
from checker.parallel import one_thread
from checker.pipeline import DetailedRun, Options, PreparedCorpus, prepare_corpus, run_prepared
from checker.rules.base import CompareContext

if TYPE_CHECKING:
    from checker.cache import Cache

CLAIM_DOC = "<claim>"
# The best aligned source sentence must be at least this similar for the claim to be "found".
# Measured on the seed corpus with all-MiniLM-L6-v2 (tests/test_claim.py keeps the measurement):
# 17 claims the seeds state score 0.57-0.97 with their best sentence (16 of them 0.63 or more; the
# 0.57 is a fact the seeds give only in a dropped "Keep reading" line); 10 claims on other topics
# score 0.12-0.26; 7 claims on neighbouring topics the seeds never state (other diplomats' visits)
# score 0.34-0.57. 0.6 lies in the gap between the last two groups and the first.
FOUND_SIMILARITY = 0.6

VERDICTS = ("supported", "contradicted", "mixed", "not found")
# Kinds of value a claim can state, as the report names them (the extractor's "since" is a period).
VALUE_KINDS = {"date": "date", "time": "time", "number": "number", "duration": "duration", "age": "age",
               "person": "person", "title": "title", "place": "place", "since": "period",
               "superlative": "superlative"}


@dataclass(frozen=True)
class SourceSentence:
    """A corpus sentence aligned with the claim, with its cosine similarity."""

    doc: str
    line: int
    start: int
    end: int
    text: str
    similarity: float


@dataclass(frozen=True)
class Comparison:
    """One source's value set against one of the claim's values."""

    relation: str  # "agrees", "approximately agrees", "conflicts"
    doc: str
    line: int
    text: str
    value: str
    explanation: str
    start: int = -1  # the source sentence's offset in its document
    rule: str = ""  # the rule that found the conflict, or whose comparison was used
    finding: str = ""  # the finding's id when a rule reported it


@dataclass(frozen=True)
class ValueVerdict:
    kind: str  # date, time, number, duration, age, person, title, place, period, superlative
    text: str  # as written in the claim
    value: str  # normalised label
    verdict: str  # "agrees", "conflicts", "not stated"
    comparisons: tuple[Comparison, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    claim: str
    date: date | None
    verdict: str  # one of VERDICTS
    sources: tuple[SourceSentence, ...]
    values: tuple[ValueVerdict, ...]
    findings: tuple[Finding, ...] = ()
    threshold: float = FOUND_SIMILARITY
    stats: dict = field(default_factory=dict, compare=False)


def claim_document(text: str, published: date | None = None) -> Document:
    """The claim as a one-sentence document; without a date its relative expressions stay as stated."""
    one_line = " ".join(text.split())
    return Document(name=CLAIM_DOC, text=one_line, published=published,
                    published_source="option" if published else "unknown")


def check_claim(text: str, against: str | PreparedCorpus | Sequence[Document], claim_date: date | None = None,
                embedder=None, top: int = 5, options: Options | None = None,
                cache: Cache | None = None) -> ClaimResult:
    """Check one claim against a corpus (a folder, documents, or a `PreparedCorpus` for repeated use).

    Returns the `top` most similar source sentences and a verdict for each value of the claim;
    the overall verdict is "supported", "contradicted", "mixed" or "not found".
    """
    if not text or not text.strip():
        from checker.errors import InputError

        raise InputError("the claim is empty")
    prepared = prepare_corpus(against, embedder, cache)
    doc = claim_document(text, claim_date)
    detailed = run_prepared(prepared, [doc], options)
    return judge(detailed, doc, top)


def judge(detailed: DetailedRun, doc: Document, top: int = 5) -> ClaimResult:
    """The ClaimResult for the claim document `doc` of a run with the corpus."""
    ctx = detailed.context
    claim_sentences = [s for (d, _), s in sorted(ctx.sentences.items()) if d == doc.name]
    pairs = sorted(_claim_pairs(ctx.pairs, doc.name), key=lambda x: -x[0].similarity)
    sources = tuple(SourceSentence(o.doc, o.line, o.start, o.end, o.text, round(p.similarity, 3))
                    for p, _, o in pairs[:max(0, top)])
    findings = tuple(f for f in detailed.report.findings if any(e.doc == doc.name for e in f.evidence))
    best = pairs[0][0].similarity if pairs else 0.0
    # a rule that judged the claim found a source about the same thing, however worded
    found = best >= FOUND_SIMILARITY or bool(findings) or any(
        doc.name in (a.doc, b.doc) for _, (a, _la), (b, _lb) in ctx.agreements)
    mentions = [m for s in claim_sentences for m in _claim_values(ctx, s)]
    values = [_verdict_for(ctx, m, findings, mentions) for m in mentions]
    # every value must be stated alike by a source, but for people (named, not claimed) and
    # countries ("in China"): too coarse to support a claim, and too coarse to hold one back
    required = [v for m, v in zip(mentions, values)
                if not (m.kind == "person" or (m.kind == "place" and m.value.kind == "country"))]
    verdict = overall(values, found=found, required=required)
    stats = dict(detailed.report.stats)
    stats["best_similarity"] = round(best, 3)
    return ClaimResult(doc.text, doc.published, verdict, sources, tuple(values), findings, FOUND_SIMILARITY,
                       stats)


def overall(values: Sequence[ValueVerdict], found: bool, required: Sequence[ValueVerdict] | None = None) -> str:
    """contradicted: a value conflicts with the sources and no source states it as the claim does;
    mixed: the sources disagree with one another about a value of the claim; supported: every value
    the claim states is stated alike by a source (people named: named by a source), so a claim is
    never supported because a name or a country in it matches while another value goes unchecked;
    not found otherwise (no source close enough, or a value no source states)."""
    conflicting = [v for v in values if v.verdict == "conflicts"]
    if conflicting:
        if any(c.relation == "agrees" for v in conflicting for c in v.comparisons):
            return "mixed"
        return "contradicted"
    if not found:
        return "not found"
    required = [v for v in values if v.kind != "person"] if required is None else list(required)
    if required and all(v.verdict == "agrees" for v in required) and \
            all(v.verdict == "agrees" for v in values if v.kind == "person"):
        return "supported"
    return "not found"


def _claim_pairs(pairs: Iterable[SentencePair], name: str) -> list[tuple[SentencePair, Sentence, Sentence]]:
    """(pair, the claim's sentence, the source sentence) for pairs between the claim and the corpus."""
    out = []
    for p in pairs:
        if p.a.doc == name and p.b.doc != name:
            out.append((p, p.a, p.b))
        elif p.b.doc == name and p.a.doc != name:
            out.append((p, p.b, p.a))
    return out


def _claim_values(ctx: CompareContext, s: Sentence) -> list[Mention]:
    from checker.rules.date import event_dates

    dates = set(id(m) for m in event_dates(ctx, s))
    out = []
    for m in sorted(ctx.mentions.get((s.doc, s.index), []), key=lambda m: m.start):
        if m.kind not in VALUE_KINDS or (m.kind == "date" and id(m) not in dates):
            continue  # the date that opens a period ("since 2017") is the period's
        out.append(m)
    # a figure that is an age, a length or a date is judged as that, not as a bare number
    return [m for m in out if m.kind != "number" or not any(
        o.kind in _SPECIFIC and _overlaps(o, m.start, m.end) for o in out)]


_SPECIFIC = ("age", "duration", "date", "time", "since")


def _label(m: Mention) -> str:
    v = m.value
    if m.kind == "date":
        return v.label()
    if m.kind in ("number", "duration", "age"):
        return v.display or m.text
    if m.kind in ("title", "place"):
        return v.raw if m.kind == "title" else v.name
    if m.kind == "since":
        from checker.rules.period import describe_period

        return describe_period(v, m).split(" (")[0]
    if m.kind == "superlative":
        return f"{m.text} ({v.subject})" if v.subject else m.text
    if m.kind == "time":
        return f"{v // 60:02d}:{v % 60:02d}"
    return str(v)


def _rule_for(kind: str) -> str:
    """The code of the rule that compares values of this kind."""
    from checker.rules.age import AgeMismatch
    from checker.rules.date import DateMismatch
    from checker.rules.duration import DurationMismatch
    from checker.rules.number import NumberMismatch
    from checker.rules.period import PeriodMismatch
    from checker.rules.place import PlaceMismatch
    from checker.rules.superlative import SuperlativeSubject
    from checker.rules.time import TimeMismatch
    from checker.rules.title import TitleMismatch

    return {"date": DateMismatch, "time": TimeMismatch, "number": NumberMismatch, "duration": DurationMismatch,
            "age": AgeMismatch, "title": TitleMismatch, "place": PlaceMismatch, "since": PeriodMismatch,
            "superlative": SuperlativeSubject}.get(kind, type("NoRule", (), {"code": ""})).code


def _overlaps(m: Mention, start: int, end: int) -> bool:
    return start < m.end and m.start < end


def _concerns(f: Finding, m: Mention, values: Sequence[Mention]) -> list:
    """The finding's evidence items in the claim that are about the value m: they cover it, and no
    value of the kind the rule compares covers them instead ("top US official" is a superlative's
    evidence, not the place's)."""
    kinds = {k for k in VALUE_KINDS if _rule_for(k) == f.rule} | _EXTRA_KINDS.get(f.rule, set())
    out = []
    for e in f.evidence:
        if e.doc != m.doc or not _overlaps(m, e.mention_start, e.mention_end):
            continue
        if m.kind in kinds or not any(v.kind in kinds and _overlaps(v, e.mention_start, e.mention_end)
                                      for v in values):
            out.append(e)
    return out


_EXTRA_KINDS = {"CC-POST-001": {"title", "person"}, "CC-NAME-001": {"person"}}


def _verdict_for(ctx: CompareContext, m: Mention, findings: Sequence[Finding],
                 values: Sequence[Mention] = ()) -> ValueVerdict:
    comparisons: list[Comparison] = []
    reported: set[tuple[str, int]] = set()
    for f in findings:
        mine = _concerns(f, m, values or [m])
        if not mine:
            continue
        relation = "conflicts" if f.severity.rank >= Severity.WARNING.rank else "approximately agrees"
        for e in f.evidence:
            if e.doc == m.doc:
                continue
            reported.add((e.doc, e.start))
            # a source in the finding that gives the claim's very value sides with the claim
            same = any(e.value == x.value for x in mine)
            comparisons.append(Comparison("agrees" if same else relation, e.doc, e.line, e.text, e.value,
                                          f.explanation, e.start, f.rule, f.id))
    for _measure, (a, a_label), (b, b_label) in getattr(ctx, "agreements", ()):
        # agreements the rules noted while linking values (when the rules record them)
        mine, theirs = ((a, a_label), (b, b_label)) if a.doc == m.doc else ((b, b_label), (a, a_label))
        if mine[0].doc != m.doc or theirs[0].doc == m.doc or not _overlaps(m, mine[0].start, mine[0].end):
            continue
        s = ctx.sentence_of(theirs[0])
        reported.add((s.doc, s.start))
        comparisons.append(Comparison("agrees", s.doc, s.line, s.text, theirs[1],
                                      f"{mine[1]} and {theirs[1]} agree", s.start,
                                      _rule_for(m.kind)))
    if m.kind == "person":
        comparisons.extend(_named_by_sources(ctx, m))
    comparisons = _dedupe(comparisons)
    if any(c.relation == "conflicts" for c in comparisons):
        verdict = "conflicts"
    elif comparisons:
        verdict = "agrees"
    else:
        verdict = "not stated"
    order = {"conflicts": 0, "agrees": 1, "approximately agrees": 2}
    comparisons.sort(key=lambda c: (order[c.relation], c.doc, c.line))
    return ValueVerdict(VALUE_KINDS[m.kind], m.text, _label(m), verdict, tuple(comparisons))


def _named_by_sources(ctx: CompareContext, m: Mention) -> list[Comparison]:
    """The source sentences that name the person the claim names (the first of each source)."""
    from checker.facts.matching import same_person

    out: dict[str, Comparison] = {}
    for o in ctx.all_mentions("person"):
        if o.doc != m.doc and o.doc not in out and same_person(m.value, o.value):
            s = ctx.sentence_of(o)
            out[o.doc] = Comparison("agrees", o.doc, s.line, s.text, o.value, f"{o.value} is named", s.start)
    return list(out.values())


def _dedupe(cs: list[Comparison]) -> list[Comparison]:
    from checker.rules.base import unique_by

    return unique_by(cs, lambda c: (c.relation, c.doc, c.start, c.finding))


_WARM_UP = "The minister, 61, arrived in the capital on Sunday for two days of talks since 2019."


def warm_up(prepared: PreparedCorpus) -> None:
    """Load the models and the extractors' data now, not on the first claim: with a warm cache the
    corpus needed none of them, and the first answer would otherwise take a second or more."""
    from checker.extract import extract_documents
    from checker.pipeline import segment_documents

    doc = claim_document(_WARM_UP)
    model = getattr(prepared.embedder, "inner", prepared.embedder)  # a cached embedder loads lazily
    with one_thread():
        model.encode([doc.text])
        extract_documents([doc], segment_documents([doc]))  # around the cache: it must really run
        check_claim(doc.text, prepared)  # and the rules once
