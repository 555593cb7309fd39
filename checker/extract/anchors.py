"""What a value is said of, read from the dependency parse.

"The fire was reported at 2:17 p.m." says the time of the fire's being reported; "46 flights were
cancelled" counts flights that were cancelled; "Gregory Halloran, 52, of Dunmore: 12 counts of theft"
gives a count that belongs to Halloran. Two values are one fact only when what they are said of is
the same: the same verb or event noun, sharing its subject or object, and the same owner. The anchor
records that, so the fact layer (checker.facts) links values by what they describe rather than by
how alike their sentences look.
"""
from __future__ import annotations

import re

from checker.values import Anchor

# Verbs that report speech: the date of "said on Monday" is the date of a statement.
REPORTING = {"say", "tell", "add", "state", "report", "note", "announce", "claim", "write", "tweet",
             "confirm", "explain", "stress", "underline", "quote", "speak", "brief", "post"}
# Verbs and nouns too general to say what a value is about.
LIGHT = {"be", "have", "do", "get", "make", "go", "come", "take", "give", "put", "let", "seem",
         "become", "remain", "keep", "thing", "way", "time", "year", "day", "lot", "part", "people",
         "one", "other", "such", "many", "much", "more", "most", "same", "own", "accord", "number",
         "total", "least", "about", "hour", "minute", "week", "month", "morning", "night", "evening",
         "afternoon", "today", "yesterday", "percent", "%", "official", "authority", "source"}
# Words that mark a figure as the state at a moment of a running story, not a fixed fact.
UPDATE_CUES = {"still", "now", "so far", "rise", "risen", "rose", "climb", "climbed", "bring", "bringing",
               "grow", "grown", "increase", "latest", "updated", "total", "jump", "reach", "reached",
               "remain", "remained", "currently", "as of", "by then", "scaled back", "revised", "lowered",
               "raised", "reduced", "more than doubled"}
_PARTITIVE = re.compile(r"^\s+of\s+(?:the|those|these|them|whom|which|its|their)\b", re.I)
_LOCATIVE_PREPOSITIONS = {"in", "at", "near", "off", "outside", "inside", "before", "into", "from", "to"}
_PREPOSITIONS_OF_TIME = {"at", "on", "in", "by", "before", "after", "until", "since", "around", "about"}


def _content(tok) -> str:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("NOUN", "PROPN", "VERB") and tok.is_alpha and lemma not in LIGHT and len(lemma) > 2:
        return lemma
    return ""


def _span_root(doc, start: int, end: int):
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not toks:
        return None, set()
    inside = {t.i for t in toks}
    for t in toks:
        if t.head.i not in inside or t.head is t:
            return t, inside
    return toks[-1], inside


def _phrase_words(tok, skip: set[int], depth: int = 2) -> set[str]:
    """Content lemmas of a noun phrase: the noun, its compounds and its "of" complement."""
    out = set()
    w = _content(tok)
    if w and tok.i not in skip:
        out.add(w)
    if depth <= 0:
        return out
    for c in tok.children:
        if c.i in skip:
            continue
        if c.dep_ in ("compound", "amod", "nmod") and _content(c):
            out.add(_content(c))
        elif c.dep_ == "prep" and c.lower_ in ("of", "for"):
            for p in c.children:
                if p.dep_ == "pobj" and p.i not in skip:
                    out |= _phrase_words(p, skip, depth - 1)
    return out


def _subject_words(tok, skip: set[int]) -> set[str]:
    words = _phrase_words(tok, skip)
    if tok.pos_ == "PRON" and tok.lower_ in ("it", "they", "he", "she", "this", "that"):
        words.add("<pron>")  # a subject we cannot name: never the same as a named one
    return words


def _with_person(verb) -> bool:
    """"spoke by phone with Qin Gang": a conversation with someone is an event, not a statement."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "to"):
            if any(t.ent_type_ == "PERSON" for t in c.subtree):
                return True
    return False


def _thing_reported(verb) -> bool:
    """"The Tumalo Ridge Fire, reported at about 1:40 p.m.": the fire is what was reported (found),
    not who reported; people, bodies and pronouns report."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return not (c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or c.pos_ == "PRON"
                        or c.tag_ in ("NNS", "NNPS"))
    return False


def _complement(tok) -> str:
    """A verb's predicative complement as one word, negation kept ("not-guilty")."""
    negated = any(c.dep_ == "neg" or c.lower_ == "not" for c in tok.children)
    return ("not-" if negated else "") + tok.lemma_.lower()


def _own_participle(tok):
    """The participle right after a number that it governs ("30 killed", "12 injured"), or None."""
    return next((c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN" and 0 < c.i - tok.i <= 2), None)


def _indefinite(tok) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "any", "some") for c in tok.children)


_RANGE_END = re.compile(r"\d\s*(?:-{1,2}|–|—)\s*$")


def value_anchor(doc, start: int, end: int, persons: list[tuple[int, int, str]], kind: str = "") -> Anchor:
    """The anchor of the value written at [start, end) of the parsed sentence `doc`.

    persons: (start, end, name) of the people the sentence names, in order."""
    root, inside = _span_root(doc, start, end)
    if root is None:
        return Anchor()
    node = root
    nominal = ""
    nominal_tok = None
    # "including at least 30 killed in Gaza": a count with its own participle counts what it says
    verb_tok = _own_participle(root) if kind == "number" else None
    for _ in range(8 if verb_tok is None else 0):
        head = node.head
        if head is node:
            if node.pos_ in ("VERB", "AUX"):
                verb_tok = node
            break
        # a copula heads its own clause, also inside a saying ("an official said the building was
        # home to 58 families"): the value is the clause's, not the saying's
        if head.pos_ == "VERB" or (head.pos_ == "AUX" and head.dep_ in ("ROOT", "ccomp", "conj", "advcl")):
            verb_tok = head
            break
        if head.pos_ in ("NOUN", "PROPN") and not nominal and head.i not in inside and _content(head):
            # "the nearly three-hour meeting", "in a phone call on Wednesday": an event noun
            if node.dep_ in ("compound", "nummod", "amod", "npadvmod", "prep", "nmod", "appos") \
                    or head.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
                nominal, nominal_tok = _content(head), head
                if kind == "duration" and node.dep_ in ("compound", "nummod", "amod"):
                    break  # "the three-hour meeting": the length of the meeting, whatever it did
        node = head
    skip = set(inside)
    subject: set[str] = set()
    words: set[str] = set()
    verb = ""
    indefinite = False
    reported = False
    if verb_tok is not None:
        lemma = verb_tok.lemma_.lower()
        # "the fire was reported at 2:17 p.m." tells when the fire was found, not a statement
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb_tok.children) or \
            (verb_tok.tag_ == "VBN" and verb_tok.dep_ in ("acl", "relcl"))
        reported = lemma in REPORTING and not passive and not (lemma == "report" and _thing_reported(verb_tok)) \
            and not (lemma in ("speak", "talk") and _with_person(verb_tok))
        event_noun = nominal_tok is not None and reported and nominal_tok.dep_ == "pobj"
        if kind == "time" and reported:
            # "reported at 2:17 p.m.": a clock time dates the reporting itself, an event of the story
            reported = False
            verb = lemma
        elif event_noun:
            # "said in a phone call on Wednesday": the date of the call, which the saying is part of
            reported = False
        elif lemma not in LIGHT and not reported:
            verb = lemma
        for c in verb_tok.children:
            if c.i in skip:
                continue
            if c.dep_ in ("nsubj", "nsubjpass"):
                subject |= _subject_words(c, skip)
                indefinite |= _indefinite(c) and reported
            elif c.dep_ in ("dobj", "attr", "oprd"):
                words |= _phrase_words(c, skip)
                if c.dep_ == "oprd" and verb and c.pos_ == "ADJ":
                    verb = f"{verb} {_complement(c)}"  # "found liable", "declared dead"
            elif c.dep_ in ("acomp", "xcomp") and verb and c.tag_ in ("JJ", "VBN"):
                verb = f"{verb} {_complement(c)}"  # "were found stabbed"
            elif c.dep_ == "prep":
                for p in c.children:
                    # "on the night shift" says what; "on Monday" says when
                    if p.dep_ == "pobj" and p.i not in skip and not (
                            c.lower_ in _PREPOSITIONS_OF_TIME and p.ent_type_ in ("DATE", "TIME")):
                        words |= _phrase_words(p, skip, 1)
            elif c.dep_ == "prt":
                verb = f"{verb} {c.lower_}" if verb else verb
        if verb_tok.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb_tok.children):
            # "The show debuted in 2005 and ran for 201 episodes": the first verb's subject is the second's
            for c in verb_tok.head.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i not in skip:
                    subject |= _subject_words(c, skip)
        head = verb_tok.head
        if verb_tok.dep_ == "acl" and head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ == "VERB":
            head = head.head
        if verb_tok.dep_ in ("xcomp", "ccomp", "acl") and head.pos_ == "VERB" and head is not verb_tok:
            # "organizers ordered the grounds evacuated at 7:55": the ordering is the event too
            if _content(head) and head.lemma_.lower() not in REPORTING:
                words.add(_content(head))
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i not in skip:
                        words |= _phrase_words(c, skip)
        if verb_tok.dep_ in ("acl", "relcl") and verb_tok.head.pos_ in ("NOUN", "PROPN"):
            subject |= _phrase_words(verb_tok.head, skip)  # "the first round of talks, held in Leipzig"
        if reported and nominal_tok is None:
            # "At a briefing Monday, officials said": the statement's occasion is the event
            for c in verb_tok.children:
                if c.dep_ == "prep":
                    for p in c.children:
                        if p.dep_ == "pobj" and _content(p) and p.i not in skip:
                            nominal, nominal_tok = _content(p), p
                            break
    if nominal_tok is not None:
        indefinite |= _indefinite(nominal_tok)
        words |= _phrase_words(nominal_tok, skip)
    owner = _owner(start, persons)
    if nominal_tok is not None and any(c.dep_ == "prep" and c.lower_ in ("between", "with", "among")
                                       for c in nominal_tok.children):
        owner = ""  # "the meeting last November between Biden and Xi": an event of several people
    if reported and verb_tok is not None:
        # the speaker: "Speaking with reporters on Sunday ..., Biden said"
        owner = _speaker(verb_tok, persons) or owner
    text = doc.text.lower()
    cues = frozenset(c for c in UPDATE_CUES if f" {c} " in f" {text} ")
    relation = ""
    if root.dep_ == "pobj" or (root.head.dep_ == "pobj" and root.dep_ in ("nummod", "compound")):
        prep = root.head if root.dep_ == "pobj" else root.head.head
        if prep.pos_ == "ADP":
            relation = prep.lower_
            if relation in ("after", "before") and prep.i > 0 and \
                    doc[prep.i - 1].lower_ in ("shortly", "just", "soon", "right", "immediately", "moments"):
                relation = "at"  # "shortly after 3 a.m." is about 3 a.m.
    if not relation and _RANGE_END.search(doc.text, max(0, start - 12), start):
        relation = "to"  # "May 2, 1950 – June 4, 2011": the second date ends a span, as "to" does
    life = _life_span_verb(doc.text, start, end, persons) if kind == "date" else ""
    if life:
        # "Jane Roe (4 May 1931 – 2 June 2008)": the span after a name is a life, born to died
        verb, relation = life, ""
    # "Sunday's lineup", "a Kansas City band" name things; "at Bradford Magistrates' Court" locates
    top = root.head
    while top.dep_ in ("compound", "poss") and top.head is not top:
        top = top.head  # "Bradford Magistrates' Court": the name the place word is part of
    modifier = root.dep_ in ("poss", "compound") and root.head.pos_ in ("NOUN", "PROPN") \
        and root.head.i not in inside and not root.head.ent_type_ in ("DATE", "TIME") \
        and not (top.dep_ == "pobj" and top.head.lower_ in _LOCATIVE_PREPOSITIONS)
    partitive = bool(_PARTITIVE.match(doc.text[end:end + 16]))
    return Anchor(verb=verb, nominal=nominal, subject=frozenset(subject), words=frozenset(words - {verb}),
                  owner=owner, indefinite=indefinite, reported=reported, cues=cues, relation=relation,
                  modifier=modifier, partitive=partitive)


_SPAN_OPENING = re.compile(r"\s*(?:\(|-{1,2}\s|–|—)\s*")
_SPAN_LINK = r",?\s*(?:-{1,2}|–|—|to)\s*"
_SPAN_START = re.compile(_SPAN_LINK + r"(?:\d|[A-Z][a-z]+\.? \d)")  # a second date follows
_SPAN_END = re.compile(r"\d{4}" + _SPAN_LINK + "$")  # the value follows a first date


def _life_span_verb(text: str, start: int, end: int, persons: list[tuple[int, int, str]]) -> str:
    """"bear" or "die" for the first or the second date of a span in brackets or dashes just after
    a person's name ("Jane Roe (4 May 1931 – 2 June 2008)", "Jane Roe - May 4, 1931, to June 2,
    2008 - was ..."), else ""."""
    ends = [e for _, e, _ in persons if e <= start]
    opening = _SPAN_OPENING.match(text, max(ends)) if ends else None
    if opening is None:
        return ""
    between = text[opening.end():start]
    if not between:
        return "bear" if _SPAN_START.match(text, end) else ""
    if ")" not in between and len(between) <= 40 and _SPAN_END.search(between):
        return "die"
    return ""


def _speaker(verb, persons: list[tuple[int, int, str]]) -> str:
    """The person who is the subject of a saying verb, or of the clause it opens."""
    for v in (verb, verb.head):
        for c in v.children:
            if c.dep_ == "nsubj":
                for s, e, name in persons:
                    if s <= c.idx < e:
                        return name
    return ""


def _owner(start: int, persons: list[tuple[int, int, str]]) -> str:
    """The person a value belongs to: the only one the sentence names, else the nearest named
    before it ("Ann Roe, 34, held since 2011, and Bo Chen, 52, held since 2019")."""
    from checker.extract.geo import lookup_place

    persons = [p for p in persons if lookup_place(p[2]) is None]  # the small model takes towns for people
    names = {p[2] for p in persons}
    if len(names) == 1:
        return next(iter(names))
    before = [p for p in persons if p[1] <= start]
    return before[-1][2] if before else ""
