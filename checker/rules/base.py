"""What every rule shares: its identity, the context it reads, and how it builds findings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Literal, NamedTuple

from checker.align.pairs import SentencePair
# the context every rule reads is made by the facts stage; rules import it from here as before
from checker.facts.context import CompareContext  # noqa: F401
from checker.facts.link import distinct_claims, unique_by, CLOSE_MEANING, Link  # noqa: F401 (re-exported)
from checker.models import Evidence, Finding, Mention, Severity


CERTAIN_NOUNS = 2  # shared words of what two values describe, beyond the verb, for a certain link

# approximate, update: info; note: something worth a look that is not a conflict (info)
Verdict = Literal["agree", "approximate", "update", "conflict", "note"]


@dataclass(frozen=True)
class Comparison:
    """What a rule's `compare` says of two values linked as one fact.

    verdict: agree, approximate (agree once rounding is allowed for: info), update (a later report's
    running figure: info) or conflict. `explanation` gives the resolved values and the arithmetic.
    """

    verdict: Literal["agree", "approximate", "update", "conflict"]
    a_label: str
    b_label: str
    explanation: str
    message: str = ""


class Rule:
    """A comparator. Subclasses set code, name, severity and implement `compare` (two linked values
    of `kinds` → a Comparison) or, for rules that look at a whole story, `check`.

    `compare` is the one place where two values are judged: the corpus check, drafts, single claims
    and the web app all call it.

    The docstring of each rule has a **Conflict** example before an **Agreement** example; both
    run as tests (tests/test_rule_docs.py) and each has a fixture file in fixtures/rules/.
    """

    code: str = ""
    name: str = ""
    severity: Severity = Severity.WARNING
    summary: str = ""

    kinds: tuple[str, ...] = ()

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Judge two values of one fact (ctx is read for publication dates only); None when the
        two cannot be compared."""
        raise NotImplementedError

    def measure(self, a: Mention) -> str:
        """What the fact is, in a few words ("number of flights")."""
        return self.name

    def specificity(self, m: Mention) -> float:
        """How coarse a value is (lower is finer). A value that agrees with a value of the other
        sentence at least as fine as the one it conflicts with has found its counterpart there; a
        coarser agreement ("Canada" against "Ottawa") does not excuse a finer conflict."""
        return 0.0

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        """The findings to report: every candidate not answered by an agreeing counterpart."""
        return self.judge(ctx).findings

    def judge(self, ctx: CompareContext) -> Judgement:
        """What the rule says of a story, as values: its candidates and the agreements it found.
        The rule reads `ctx` and writes nothing into it."""
        candidates: list[Candidate] = []
        agreements: list[Agreement] = []
        for outcome in self.outcomes(ctx):
            (agreements if isinstance(outcome, Agreement) else candidates).append(outcome)
        return Judgement(tuple(candidates), tuple(agreements))

    def candidates(self, ctx: CompareContext) -> Iterator[Candidate]:
        """The candidates alone (`make calibrate` reads them all, reported or not)."""
        return (o for o in self.outcomes(ctx) if isinstance(o, Candidate))

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        """Every linked pair of values of the rule's kinds that `compare` does not find equal, with
        the link it rests on, and every pair it finds equal, in the order judged; rules that look at
        a whole story override this."""
        for kind in self.kinds:
            links = ctx.links(kind)
            results = [(link, self.compare(link.a, link.b, ctx)) for link in links]
            # a value that agrees with a value of the other sentence has found its counterpart there:
            # "3,412 acres" meets "about 3,400 acres by Monday and 5,100 by Tuesday" in the 3,400
            agreed: dict[tuple, list[tuple[float, float]]] = {}
            for link, result in results:
                if result is not None and result.verdict == "agree":
                    for m, o in ((link.a, link.b), (link.b, link.a)):
                        agreed.setdefault((m.doc, m.start, o.doc, o.sentence), []).append(
                            (self.specificity(o), link.confidence))

            def has_counterpart(m: Mention, o: Mention, confidence: float) -> bool:
                return any(fine <= self.specificity(o) and conf >= confidence
                           for fine, conf in agreed.get((m.doc, m.start, o.doc, o.sentence), ()))

            for link, result in results:
                if result is None:
                    continue
                if result.verdict == "agree":
                    yield Agreement(self.measure(link.a), (link.a, result.a_label), (link.b, result.b_label))
                    continue
                answered = has_counterpart(link.a, link.b, link.confidence) or \
                    has_counterpart(link.b, link.a, link.confidence)
                yield self.candidate(ctx, result.message or f"{self.summary}: {result.a_label} and {result.b_label}",
                                     result.explanation, [(link.a, result.a_label), (link.b, result.b_label)],
                                     link, result.verdict, fact=self.measure(link.a), shown=not answered)

    def candidate(self, ctx: CompareContext, message: str, explanation: str,
                  items: list[tuple[Mention, str]], link: Link, verdict: Verdict = "conflict",
                  fact: str = "", shown: bool = True) -> Candidate:
        """A finding with what it rests on; its severity and confidence come from `assess`."""
        # a severity set in the configuration (checker.config) is the reader's word for this rule
        configured = self.severity if "severity" in vars(self) else None
        severity, confidence = assess(verdict, link, configured)
        evidence = tuple(evidence_for(ctx, m, label) for m, label in items)
        finding = Finding(rule=self.code, name=self.name, severity=severity, confidence=confidence,
                          message=message, explanation=explanation, evidence=evidence, fact=fact)
        return Candidate(finding, link, verdict, shown)


class Agreement(NamedTuple):
    """Two linked values that a rule found equal: reported as a fact, so readers see who says what.
    A tuple (measure, (mention, label), (mention, label)), as the cache stores it."""

    measure: str
    a: tuple[Mention, str]
    b: tuple[Mention, str]


@dataclass(frozen=True)
class Candidate:
    """A finding before it is reported, with the link it rests on and the rule's verdict.

    shown is False when a value of the other sentence agrees with it (its counterpart was found
    there): such a candidate is not reported; `make calibrate` reads it as a likely false alarm.
    """

    finding: Finding
    link: Link
    verdict: Verdict
    shown: bool = True


@dataclass(frozen=True)
class Judgement:
    """A rule's word on a story: the candidates (reported or answered) and the agreements."""

    candidates: tuple[Candidate, ...]
    agreements: tuple[Agreement, ...]

    @property
    def findings(self) -> list[Finding]:
        """The candidates to report: those no agreeing counterpart answered."""
        return [c.finding for c in self.candidates if c.shown]


def holds(link: Link) -> bool:
    """Whether a link holds well enough on published news for its conflict to be a warning: what
    real multi-source clusters showed right (bench/realnews.py). A copy of one sentence whose people
    are named; a date, time, length or place linked by what it is said of; a count linked by one
    action (the same verb) of the same thing, told in sentences close in meaning.
    Not: a value stated with doubt, the date of a statement, a value whose person is only a pronoun
    or a generic noun (a template told of several people), one of a list of values in a sentence.
    Values said of one person (age, title, spelling) or of one post are judged by their rules."""
    f = link.features
    if link.how in ("person", "scope"):
        return True  # the rule judged the person or the post; a title said in a saying is still one
    if f.unnamed and not f.owner_shared:
        return False
    doubtful = f.hedged and not far_apart(link.a, link.b)
    if link.how == "copy" and f.similarity >= NEAR_IDENTICAL and not doubtful:
        return True  # one sentence with one value changed: which value stands for which is no guess
    if doubtful or f.crowded:
        return False
    if link.how == "copy":
        return True
    if link.how != "anchor":
        return False
    if link.a.kind == "number":
        # counts are where published news crowds most: a story's figures of one noun are many
        # (tolls by day and by place, rockets fired and intercepted, rates by group), and two of them
        # are one count only when one action of one thing is told in sentences close in meaning
        return f.same_verb and f.shared_nouns >= 1 and f.similarity >= CLOSE_MEANING
    # a date, time, length or place: what it is said of is told in two or more shared words, or by
    # the same named people, or in sentences not far apart in meaning
    return f.shared_nouns >= CERTAIN_NOUNS or f.owner_shared or f.similarity >= LOOSE_MEANING


NEAR_IDENTICAL = 0.95  # two sentences this close (cosine) are one sentence, a word or a figure changed
LOOSE_MEANING = 0.4  # sentences further apart than this (cosine) tell another thing, whatever one word says
FAR_APART = 1.25  # two amounts this many times apart conflict however loosely one is told ("about")


def far_apart(a: Mention, b: Mention) -> bool:
    """Two quantities so far apart that "about" or "more than" cannot reconcile them; two dates (a
    weekday the tense leaves open is compared on both readings before it conflicts)."""
    from checker.values import DateValue, Quantity

    x, y = a.value, b.value
    if isinstance(x, DateValue) and isinstance(y, DateValue):
        return True  # a date left open between two readings conflicts only when neither fits
    if not (isinstance(x, Quantity) and isinstance(y, Quantity)) or x.unit != y.unit:
        return False
    lo = min(abs(x.stated[0] if x.stated else x.lo), abs(y.stated[0] if y.stated else y.lo))
    hi = max(abs(x.stated[0] if x.stated else x.lo), abs(y.stated[0] if y.stated else y.lo))
    return lo > 0 and hi / lo >= FAR_APART


def certain(link: Link) -> bool:
    """Whether two claims are surely one fact, both values read without doubt: near-verbatim
    sentences with the values in one slot, or one action (same verb, two or more shared words of
    what it is done to, sentences close in meaning) of one named person. Values said of a person
    (one name may be two people) or of a post or a superlative in a story are judgements, never
    certain."""
    f = link.features
    if not holds(link) or f.unnamed or f.hedged or f.reported:
        return False
    if link.how == "copy":
        return True
    return link.how == "anchor" and f.owner_shared and f.same_verb and f.shared_nouns >= CERTAIN_NOUNS \
        and f.similarity >= CLOSE_MEANING


def assess(verdict: Verdict, link: Link, configured: Severity | None = None) -> tuple[Severity, float]:
    """The severity and the confidence of a finding, decided here only.

    error: a conflict between two claims `certain` to be one fact; warning: a conflict on a link that
    `holds`; info: a conflict on a weaker link, approximate agreement, a later running figure, a
    note. A severity set in the configuration replaces error/warning for the rule's conflicts on
    links that hold. The confidence is the calibrated probability that the finding is a real
    conflict (checker.rules.calibration)."""
    from checker.rules.calibration import probability

    if verdict != "conflict" or not holds(link):
        severity = Severity.INFO
    elif configured is not None:
        severity = configured
    else:
        severity = Severity.ERROR if certain(link) else Severity.WARNING
    return severity, probability(verdict, link)


def evidence_for(ctx: CompareContext, m: Mention, value_label: str) -> Evidence:
    s = ctx.sentence_of(m)
    text = ctx.documents[m.doc].text
    line_start = max(text.rfind("\n", 0, s.start), text.rfind("\r", 0, s.start)) + 1
    return Evidence(doc=m.doc, start=s.start, end=s.end, line=s.line, text=s.text, value=value_label,
                    mention_start=m.start, mention_end=m.end, column=s.start - line_start + 1)


def mentions_in(pair: SentencePair, ctx: CompareContext, kind: str) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    return ctx.of(pair.a, kind), ctx.of(pair.b, kind)




def same_sentence(a: Mention, b: Mention) -> bool:
    return a.doc == b.doc and a.sentence == b.sentence


RuleFactory = Callable[[], Rule]
