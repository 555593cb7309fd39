"""Typed mentions of one sentence: dates, times, numbers, durations, ages, people, titles, places,
superlatives and periods ("since 2018", "in five years")."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from checker.extract import dates as D
from checker.extract.anchors import value_anchor
from checker.ingest.dateline import DATELINE, WIRE_DATELINE
from checker.segment.structure import dated_line
from checker.extract.geo import lookup_place
from checker.extract.numbers import parse_number_tokens, TIME_UNITS
from checker.extract.people import normalise_title, strip_possessive, title_words
from checker.values import Period, Place, Quantity, Superlative
from checker.models import Mention, Sentence, StatedDate

# kinds whose values are compared, each with an anchor saying what it is said of
VALUE_KINDS = frozenset({"date", "time", "number", "duration", "age", "place", "since", "title"})
_FUTURE_WORDS = {"will", "shall", "'ll", "’ll", "expected", "expects", "plans", "planned", "plan",
                 "scheduled", "due", "hopes", "upcoming", "later", "next", "set", "intends", "would",
                 "going", "aims", "seeks", "could"}
# Verbs and nouns too general to tell one event from another. spaCy's stop list is broader ("call",
# "show", "move" are in it) and would hide event words.
_LIGHT_WORDS = {"be", "have", "do", "get", "make", "go", "come", "take", "give", "put", "let", "seem",
                "become", "remain", "keep", "thing", "way", "time", "year", "day", "lot", "part",
                "people", "one", "other", "such", "many", "much", "more", "most", "same", "own"}
_LOCATIVE = {"in", "at", "to", "from", "into", "near", "inside", "outside", "off", "visit", "visited", "visits",
             "visiting", "toward", "towards", "across", "within", "throughout"}
_REPORTING = {"say", "tell", "add", "state", "report", "note", "announce", "claim", "write", "tweet",
              "confirm", "explain", "stress", "underline", "quote"}
_BOUNDS = [("more than", "more than"), ("over", "more than"), ("at least", "at least"),
           ("nearly", "about"), ("almost", "about"), ("about", "about"), ("around", "about"),
           ("approximately", "about"), ("roughly", "about"), ("some", "about"), ("up to", "at most"),
           ("fewer than", "less than"), ("less than", "less than"), ("under", "less than"),
           ("just over", "about"), ("just under", "about"), ("below", "less than")]
_SUPERLATIVE = re.compile(
    r"\b(?P<sup>first|last|only|top|highest[- ]ranking|highest[- ]level|highest|most senior|"
    r"most powerful|biggest|largest|youngest|oldest)\b(?P<scope>(?:\s+[\w.’'-]+){1,8}?)\s+"
    r"(?P<tail>to\s+\w+|since\b|in\s+(?:\w+\s+){0,2}years\b)", re.I)
_RANK_SUPER = {"top", "highest-ranking", "highest ranking", "highest-level", "highest level",
               "highest", "most senior", "most powerful"}
_PERIOD_YEARS = re.compile(r"\b(?:in|for the first time in)\s+(?:(?:the\s+)?(?:last|past)\s+)?"
                           r"(?P<n>\w+(?:[- ]\w+)?)\s+years\b", re.I)
_SINCE = re.compile(r"\bsince\b", re.I)
# "Kai Li, 60,", "Priya Nair (Labour), 34, 1,482 votes": the party or town in brackets goes with the name
_AGE_AFTER = re.compile(r"^(?:\s*\([^()]{1,40}\))?,\s*(?:aged\s+)?(?P<age>\d{1,3})\s*(?:,|\)|;|$)")
_AGE_BEFORE = re.compile(r"(?P<age>\d{1,3})[- ]year[- ]old\s*$")


def _event_lemma(tok) -> str:
    """'meeting' and 'met' name one event: a gerund noun maps to its verb."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "NOUN" and lemma.endswith("ing") and len(lemma) > 6:
        return lemma[:-3]
    return lemma


def sentence_tense(tokens) -> str:
    """past, future or present, from the verbs of the sentence."""
    words = {t.lower_ for t in tokens}
    if words & _FUTURE_WORDS or any(t.lower_ == "to" and t.head.lemma_ in ("plan", "expect", "schedule", "due", "hope", "intend", "set", "aim")
                                      for t in tokens):
        return "future"
    if any(t.tag_ in ("VBD",) for t in tokens):
        return "past"
    if any(t.tag_ == "VBN" and any(c.lemma_ == "have" for c in t.children) for t in tokens):
        return "past"
    return "present"


def _local_tense(span_tokens, all_tokens) -> str:
    """The tense of the verb a date hangs on, falling back to the sentence's."""
    for tok in span_tokens:
        head = tok
        for _ in range(6):
            if head.pos_ in ("VERB", "AUX") or head.head is head:
                break
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            kids = {c.lower_ for c in head.children}
            if kids & {"will", "shall", "'ll", "’ll"} or head.lower_ in _FUTURE_WORDS:
                return "future"
            if head.tag_ == "VBD" or (head.tag_ == "VBN" and kids & {"has", "have", "had", "was", "were"}):
                return "past"
            if head.tag_ in ("VB",) and head.head.lemma_ in ("plan", "expect", "due", "hope", "schedule", "set", "aim"):
                return "future"
            if head.tag_ == "VBG" and head.head is head:
                return sentence_tense(all_tokens)
            break
    return sentence_tense(all_tokens)


def _tokens_in(doc, start: int, end: int):
    return [t for t in doc if t.idx < end and t.idx + len(t.text) > start]


def _content_lemmas(tokens) -> list[str]:
    return [t.lemma_.lower() for t in tokens
            if t.pos_ in ("NOUN", "VERB", "PROPN", "ADJ", "NUM") and t.is_alpha
            and t.lemma_.lower() not in _LIGHT_WORDS]


def _bound_before(text: str, start: int) -> str:
    before = text[max(0, start - 14):start].lower().rstrip()
    for phrase, bound in _BOUNDS:
        if before.endswith(phrase):
            return bound
    return "exact"


def extract_sentence(sentence: Sentence, doc, published: date | None) -> list[Mention]:
    """All mentions of one sentence; `doc` is the sentence's spaCy Doc."""
    text = sentence.text
    base = sentence.start
    tokens = list(doc)
    out: list[Mention] = []
    if sentence.role == "correction":
        return out  # a correction quotes the wrong value on purpose
    # "Ann Roe, 34, of Dunmore": a name after "of" or "in" is a place the small model took for a person
    # "Biden and Xi meet in Bali — November 14, 2022": a title that dates its picture or story
    dated_title = sentence.role == "headline" and bool(dated_line(text))
    persons = sorted({_person_span(ent) for ent in doc.ents
                      if ent.label_ == "PERSON" and _NAME_END.split(ent.text, 1)[0] and not _placed(doc, ent)}
                     | set(_titled_names(doc)) | set(_names_before_ages(doc))
                     | (set(_leading_name(doc)) if sentence.role == "item" else set()))

    def add(kind: str, s: int, e: int, value, key: str = "", note: str = "", stated: StatedDate | None = None) -> None:
        if sentence.role == "headline" and kind in VALUE_KINDS and not (kind == "date" and dated_title):
            return  # a headline's compressed wording says too little of what a value is about
        anchor = value_anchor(doc, s, e, persons, kind) if kind in VALUE_KINDS else None
        if anchor is not None and kind in ("date", "time"):
            anchor = replace(anchor, tense=_local_tense(_tokens_in(doc, s, e), tokens))
        out.append(Mention(kind=kind, doc=sentence.doc, sentence=sentence.index, start=base + s,
                           end=base + e, text=text[s:e], value=value, key=key, note=note, anchor=anchor,
                           stated=stated))

    date_spans = D.find_date_spans(text)
    dateline = DATELINE.match(text) or WIRE_DATELINE.match(text)
    date_chars: set[int] = set()
    for span in date_spans:
        if dateline and span.start >= dateline.start("date") and span.end <= dateline.end("date"):
            date_chars.update(range(span.start, span.end))
            continue  # the dateline dates the article, not an event in it
        span_toks = _tokens_in(doc, span.start, span.end)
        tense = _local_tense(span_toks, tokens)
        value = D.resolve(span, published, tense)
        if value is None:
            continue
        date_chars.update(range(span.start, span.end))
        ctx = _context_key(doc, span.start, span.end)
        add("date", span.start, span.end, value, key=ctx, stated=D.stated(span))
    for t in D.find_time_spans(text):
        if any(c in date_chars for c in range(t.start, t.end)):
            continue
        add("time", t.start, t.end, t.minutes, key=_context_key(doc, t.start, t.end))
        date_chars.update(range(t.start, t.end))

    for m in _ELAPSED.finditer(text):
        # "won in 2:12:07": a race or an elapsed time, hours, minutes and seconds (a clock time with
        # seconds is rare in news, and a time span took it above if it had "a.m." after it)
        if any(c in date_chars for c in range(m.start(), m.end())):
            continue
        h, mi, se = int(m["h"]), int(m["m"]), int(m["s"])
        seconds = float(h * 3600 + mi * 60 + se)
        add("duration", m.start(), m.end(), Quantity(seconds, seconds, "second", display=m.group()),
            key="elapsed time", note="second")
        date_chars.update(range(m.start(), m.end()))

    for q in _compound_durations(parse_number_tokens(doc), text):
        if any(c in date_chars for c in range(q.start, q.end)):
            continue
        bound = _bound_before(text, q.start)
        if bound != "exact":
            q = q.with_bound(bound)
        if q.unit in TIME_UNITS and q.role == "age":
            person = _age_owner(doc, q.end) or _age_role(doc, q.start, q.end)
            if person:
                add("age", q.start, q.end, q.quantity, key=person)
            continue
        if q.unit in TIME_UNITS:
            if q.role == "period":
                continue
            add("duration", q.start, q.end, q.quantity, key=q.key, note=q.unit)
            continue
        add("number", q.start, q.end, q.quantity, key=q.key, note=q.before)

    for m in _ages_after_names(doc):
        add("age", m[0], m[1], m[2], key=m[3])
        # the figure is the age, not a count keyed on the word before it
        out[:] = [x for x in out if not (x.kind == "number" and x.start == base + m[0])]

    named_before = ""  # the sentence's first person, whom a later "known as" name may stand for
    for ent in doc.ents:
        label = ent.label_
        name = strip_possessive(ent.text)
        s, e = ent.start_char, ent.start_char + len(name)
        if label == "PERSON":
            s, e, name = _person_span(ent)
            if not name:
                continue
            # "Secretary Blinken", "Mr. Blinken": the honorific is not part of the name
            words = name.split()
            while len(words) > 1 and (words[0].lower().rstrip(".") in title_words() or
                                      words[0].lower().rstrip(".") in ("mr", "mrs", "ms", "dr", "sir")):
                s += len(words[0]) + 1
                words = words[1:]
            name = " ".join(words)
            add("person", s, e, name, key=name)
            if named_before and _ALIAS_CUE.search(text, max(0, s - 40), s):
                # "Eric Ostrowski, known professionally as Eric Oster": one person, two names
                add("alias", s, e, name, key=named_before)
            named_before = named_before or name
            # "Detective Sergeant Amira Khan" tagged whole: the title runs up to the bare name
            title = _title_before(doc, doc.char_span(s, e, alignment_mode="expand") or ent)
            title = title or _appositive_title(doc, ent)
            if title:
                add("title", title[0], title[1], title[2], key=name, note=title[3])
        elif label in ("GPE", "LOC", "FAC"):
            place = lookup_place(name)
            if place and place.kind == "city" and (label == "FAC" or _after_lower_the(doc, ent)):
                place = None  # "the White House", "the Pentagon": a building or a body, not a town of that name
            if place:
                # "in Beijing" locates an event; "US officials" only says whose officials
                i = ent.start - 1
                while i >= 0 and doc[i].pos_ in ("DET", "ADJ") and ent.start - i <= 3:
                    i -= 1  # "in central Italy", "to the west of"
                before = doc[i].lower_ if i >= 0 else ""
                role = "locative" if before in _LOCATIVE else ""
                add("place", s, e, place, key=_context_key(doc, s, e), note=role)
            else:
                # no place the gazetteer knows: perhaps a surname the small model took for a town
                # ("Blinken held talks"); the corpus's people decide (extract.resolve_people)
                add("org", s, e, name, key=label)
        elif label in ("ORG", "WORK_OF_ART", "PRODUCT") and named_before and \
                _ALIAS_CUE.search(text, max(0, s - 40), s):
            # "better known by his stage name Silento", tagged as an organisation: a person's other name
            add("person", s, e, name, key=name)
            add("alias", s, e, name, key=named_before)
        elif label in ("ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"):
            add("org", s, e, name, key=label)
    for s0, e0, name in _untagged_names(doc):
        add("name?", s0, e0, name)  # a person only if the corpus names someone so (resolve_people)
    for s0, e0, place in _places_after_prepositions(doc, out, base):
        add("place", s0, e0, place, key=_context_key(doc, s0, e0), note="locative")

    events = frozenset(_event_lemma(t) for t in tokens
                       if t.pos_ in ("VERB", "NOUN") and t.is_alpha and not t.ent_type_
                       and t.lemma_.lower() not in _LIGHT_WORDS
                       and t.lemma_.lower() not in _REPORTING and len(t.text) > 2)
    if events:
        add("event", 0, len(text), events, key=sentence_tense(tokens))
    for s0, e0, name in _titled_names(doc):
        add("person", s0, e0, name, key=name)
        title = _title_before(doc, doc[doc.char_span(s0, e0).start:doc.char_span(s0, e0).end])
        if title:
            add("title", title[0], title[1], title[2], key=name, note=title[3])
    # names the small model missed, found by their shape: "Olander, 63,", a list entry's name
    named = {(m.start - base, m.end - base) for m in out if m.kind == "person"}
    for s0, e0, name in sorted(set(_names_before_ages(doc)) | (set(_leading_name(doc)) if sentence.role == "item" else set())):
        if not any(a < e0 and s0 < b for a, b in named) and len(name.split()) >= 2:
            add("person", s0, e0, name, key=name)
    for sup in _superlatives(doc, text):
        add("superlative", sup[0], sup[1], sup[2], key=sup[2].degree)
    for period in _periods(text, date_spans, published, out):
        add("since", period[0], period[1], period[2], key=period[3])
    return out


CONTEXT_WORDS = 7


def _context_key(doc, start: int, end: int) -> str:
    """The content words nearest a value: what it is about, for telling apart values of one kind."""
    toks = [t for t in doc if not (t.idx < end and t.idx + len(t.text) > start)]
    near = sorted(toks, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    words: list[str] = []
    for lemma in _content_lemmas(near):
        if lemma not in words:
            words.append(lemma)
        if len(words) == CONTEXT_WORDS:
            break
    return " ".join(sorted(words))


_NAME_WORD = re.compile(r"^[^\W\d_a-zß-ÿ][^\W\d_A-ZÀ-Þ]+(?:-[^\W\d_a-zß-ÿ][^\W\d_A-ZÀ-Þ]+)?$")


def _titled_names(doc):
    """"Mayor Sergio Pirozzi": two or three capitalised words right after a title word are a
    person's name even when the entity model misses them."""
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end) if ent.label_ == "PERSON"}
    i = 0
    while i < len(doc):
        t = doc[i]
        # "Prefect Gaëlle Perreault", and in apposition "the regional prefect, Gaëlle Perrault,"
        first = i + 2 if i + 2 < len(doc) and doc[i + 1].text == "," and t.text[:1].islower() else i + 1
        if t.lower_ in title_words() and first + 1 < len(doc) and first not in taken:
            j = first
            while j < len(doc) and j - first < 3 and _NAME_WORD.match(doc[j].text) \
                    and doc[j].pos_ in ("PROPN", "NOUN", "ADJ") and doc[j].lower_ not in title_words():
                j += 1
            if j - first >= 2:  # at least a first and a last name
                span = doc[first:j]
                if lookup_place(span.text) is None:
                    yield span.start_char, span.end_char, span.text
                i = j
                continue
        i += 1


def _age_owner(doc, end: int) -> str:
    """The person named right after an age ("48-year-old Mark Swidan")."""
    for ent in doc.ents:
        if ent.label_ == "PERSON" and 0 <= ent.start_char - end <= 3:
            return strip_possessive(ent.text)
    return ""


_UNKNOWN_PLACE_PREPOSITIONS = {"near", "above", "below", "off", "outside", "in", "at"}
_PLACE_CONNECTORS = {"do", "da", "de", "del", "della", "di", "dos", "la", "le", "les", "sur", "upon", "am", "an", "der"}


def fold_name(name: str) -> str:
    from checker.extract.people import fold

    return " ".join(fold(w) for w in name.split())


def _after_lower_the(doc, ent) -> bool:
    """The entity follows a lower-case "the" ("at the White House"), which a town's name never takes
    ("The Hague" writes its article with a capital)."""
    return (ent.start > 0 and doc[ent.start - 1].text == "the") or ent[0].text == "the"


def _places_after_prepositions(doc, found: list[Mention], base: int):
    """"held in Chemnitz", "capsized off Viana do Castelo": a capitalised name after a locative
    preposition that the gazetteer knows is a place, whatever label the small model gave it."""
    for t in doc:
        if (t.lower_ not in _LOCATIVE and t.lower_ != "before") or t.pos_ != "ADP":
            continue
        j = t.i + 1
        after_the = j < len(doc) and doc[j].lower_ == "the"
        if after_the:
            j += 1
        words = []
        while j < len(doc) and len(words) < 5 and (doc[j].text[:1].isupper() or
                                                  (words and doc[j].lower_ in _PLACE_CONNECTORS)):
            words.append(doc[j])
            j += 1
        while words and words[-1].lower_ in _PLACE_CONNECTORS:
            words.pop()
        # the longest run the gazetteer knows: "Viana do Castelo" before "Viana"
        known = False
        for k in range(len(words), 0, -1):
            start, end = words[0].idx, words[k - 1].idx + len(words[k - 1].text)
            shorter = [m for m in found if m.kind == "place" and m.start - base == start]
            if shorter and shorter[0].end - base >= end:
                break  # the model's own entity is as long
            place = lookup_place(doc.text[start:end])
            if place is not None and after_the and (k == 1 or (place.kind == "city" and doc[t.i + 1].text == "the")):
                # "near the Port of Savannah": a common noun, not the town called Port; "at the
                # White House": a building, not the town of that name ("in The Hague" is the town)
                place = None
            if place is not None:
                found[:] = [m for m in found if m not in shorter]
                known = True
                yield start, end, place
                break
        if not known and words and t.lower_ in _UNKNOWN_PLACE_PREPOSITIONS and len(words) <= 3 \
                and all(w.ent_type_ in ("", "GPE", "LOC") for w in words) \
                and not any(m.kind == "place" and m.start - base == words[0].idx for m in found) \
                and (words[-1].i + 1 >= len(doc) or doc[words[-1].i + 1].text not in ("’s", "'s")) \
                and not any(w.lower_ in title_words() for w in words):
            # a village the gazetteer does not know ("near Malekhu"): compared only with another
            # unknown place, never said to lie outside a known one
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            name = doc.text[start:end]
            yield start, end, Place(name=name, code="name:" + fold_name(name), within=(), kind="unknown")


_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+)$")


_ELAPSED = re.compile(r"(?<![\d:.])(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?![\d:]|\s*[ap]\.?m\b)", re.I)


def _compound_durations(spans: list, text: str) -> list:
    """"seven years and four months", "5 years, 1 month": one length, not two."""
    from dataclasses import replace as with_

    out: list = []
    for q in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.unit in TIME_UNITS and q.unit in TIME_UNITS and prev.role == q.role == "duration" \
                and TIME_UNITS[q.unit] < TIME_UNITS[prev.unit] and _JOIN.match(text[prev.end:q.start]):
            a, b = prev.quantity, q.quantity
            merged = with_(a, lo=a.lo + b.lo, hi=a.hi + b.hi, display=text[prev.start:q.end],
                           stated=((a.stated or (a.lo, a.hi))[0] + (b.stated or (b.lo, b.hi))[0],
                                   (a.stated or (a.lo, a.hi))[1] + (b.stated or (b.lo, b.hi))[1]))
            out[-1] = with_(prev, end=q.end, quantity=merged)
            continue
        out.append(q)
    return out


def _untagged_names(doc):
    """Runs of two or three capitalised proper nouns that the model tagged as nothing ("Remedios
    Clement, who heads the agency")."""
    run: list = []
    for t in list(doc) + [None]:
        if t is not None and t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and not t.ent_type_:
            run.append(t)
            continue
        if 2 <= len(run) <= 3:
            yield run[0].idx, run[-1].idx + len(run[-1].text), " ".join(x.text for x in run)
        run = []


NAMED_BEFORE = "<named before>"  # an age of "the 52-year-old", whom the sentences before name


def _age_role(doc, start: int, end: int) -> str:
    """"The 56-year-old driver", "The driver, a 58-year-old Spanish national": the role an age
    describes when no name goes with it, as "the driver". Only a definite role ("the driver") names
    one person; "a 79-year-old woman" is anyone."""
    toks = [t for t in doc if t.idx >= start and t.idx < end + 12]
    noun = None
    for t in toks:
        if t.idx >= end and t.pos_ in ("VERB", "AUX", "ADP", "PUNCT", "DET", "PRON", "SCONJ", "CCONJ"):
            break  # "The 26-year-old left the pitch": the pitch is not what the age describes
        if t.pos_ == "NOUN" and t.lower_ not in ("year", "years", "old"):
            noun = t
            break
    if noun is None:
        # "The 52-year-old was arrested": the person the story named just before (resolve_people)
        return NAMED_BEFORE if re.search(r"\bthe\s+$", doc.text[max(0, start - 5):start], re.I) else ""
    while noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
        noun = noun.head  # "a 36-year-old primary school teacher": the teacher
    if noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON":
        # "Mark Swidan, a 48-year-old Texas businessman": the age of the person it describes
        ent = next((e for e in doc.ents if e.start <= noun.head.i < e.end), None)
        if ent is not None:
            return bare_name(ent.text)
    if noun.dep_ == "appos" and noun.head.pos_ == "NOUN":
        noun = noun.head  # "the driver, a 58-year-old Spanish national"
    elif any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in noun.children) and \
            not any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
        noun = next(c for c in noun.children if c.dep_ == "appos" and c.pos_ == "NOUN")
    if not any((c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in noun.children):
        return ""  # "the captain", "the ferry's captain" name one person; "a captain" does not
    return "the " + noun.lemma_.lower()


def _ages_after_names(doc):
    """'Kai Li, 60,': an age written after a name, between commas. The small English model misses
    many names in this shape ("Olander, 63, said"), so a run of capitalised words before ", 63,"
    that is no place counts as a name too."""
    text = doc.text
    spans = [(ent.start_char, ent.end_char, ent.text) for ent in doc.ents if ent.label_ == "PERSON"]
    spans += list(_titled_names(doc))
    spans += list(_names_before_ages(doc))
    done: set[int] = set()
    for start_char, end_char, ent_text in spans:
        m = _AGE_AFTER.match(text[end_char:end_char + 60])
        if m and end_char not in done:
            age = int(m.group("age"))
            if 0 < age < 120:
                done.add(end_char)
                s = end_char + m.start("age")
                yield (s, s + len(m.group("age")), Quantity(age, age, "year", display=f"{age} years old"),
                       bare_name(ent_text))


def _leading_name(doc):
    """The name an entry of a list opens with: "• Dwayne Greer (Pooler): five counts of theft"."""
    toks = [t for t in doc if not t.is_punct or t.text in ("(", ",", ":")]
    run = []
    for t in toks:
        if not run and not t.text[:1].isalpha():
            continue
        if _NAME_WORD.match(t.text) and t.lower_ not in title_words() and not t.is_stop:
            run.append(t)
            if len(run) > 3:
                return
            continue
        break
    if 2 <= len(run) <= 3 and run[-1].i + 1 < len(doc) and doc[run[-1].i + 1].text in (",", "(", ":", "-", "–"):
        name = " ".join(t.text for t in run)
        if lookup_place(name) is None:
            yield run[0].idx, run[-1].idx + len(run[-1].text), name


def _names_before_ages(doc):
    """Runs of one to three capitalised words (no title word, no place) right before ", NN,"."""
    for m in re.finditer(r",\s*(?:aged\s+)?\d{1,3}\s*[,)]", doc.text):
        end = m.start()
        toks = [t for t in doc if t.idx + len(t.text) <= end][-3:]
        run = []
        for t in reversed(toks):
            if not _NAME_WORD.match(t.text) or t.lower_ in title_words() or t.is_stop:
                break
            run.insert(0, t)
        if run and run[-1].idx + len(run[-1].text) == end:
            name = " ".join(t.text for t in run)
            if lookup_place(name) is None:
                yield run[0].idx, end, name


_ALIAS_CUE = re.compile(r"\b(?:known|nicknamed|dubbed)(?:\s+(?:professionally|popularly|locally|publicly))?"
                        r"\s+as\s*[\"“'‘]?\s*$|\b(?:née|aka|a\.k\.a\.)\s*$"
                        r"|\b(?:stage|ring|pen|screen|professional)\s+name(?:\s+(?:is|was|of))?\s*,?\s*[\"“'‘]?\s*$", re.I)
_NAME_END = re.compile(r"\s+[-–—]+(?:\s|$)|\s*[(\[;]|\s+\S*\d")


def _placed(doc, ent) -> bool:
    """A name after "in", "near" or "from", or after "of" that follows a name, an age or a comma
    ("Ann Roe, 34, of Dunmore"), is a town the small model took for a person; "ahead of Liesl
    Brandt", "the wife of Tom Reyes" name people."""
    if ent.start == 0:
        return False
    before = doc[ent.start - 1]
    if before.lower_ in ("in", "from", "near", "at", "to"):
        return True
    return before.lower_ == "of" and (ent.start < 2 or doc[ent.start - 2].pos_ in ("PROPN", "NUM", "PUNCT"))


def _person_span(ent) -> tuple[int, int, str]:
    """(start, end, name) of a person the model tagged, the name ending before a dash, a bracket or
    a figure ("Mirela Kovacs - April 2," is tagged whole)."""
    name = _NAME_END.split(strip_possessive(ent.text), 1)[0]
    return ent.start_char, ent.start_char + len(name), name


def bare_name(name: str) -> str:
    """A person's name without a leading title or honorific ("Councilwoman Patrice Olander")."""
    words = strip_possessive(name).split()
    while len(words) > 1 and (words[0].lower().rstrip(".") in title_words() or
                              words[0].lower().rstrip(".") in ("mr", "mrs", "ms", "dr", "sir")):
        words = words[1:]
    return " ".join(words)


DESCRIBED = "described"  # a post in lower case, before a name or in apposition: loose words (rules.title)


def _title_before(doc, ent):
    """(start, end, Title, note) for the title written just before a person's name; the note is
    DESCRIBED for a post written in lower case."""
    i = ent.start - 1
    words = []
    while i >= 0:
        t = doc[i]
        # "returning officer", "presiding judge": a participle inside the title is part of it
        inside = t.tag_ == "VBG" and t.dep_ in ("amod", "compound", "nmod")
        if t.is_punct and t.text not in (".", "&") or t.pos_ in ("DET", "VERB", "AUX", "PRON", "ADP") \
                and t.lower_ != "of" and not inside \
                or t.tag_ == "POS" or t.lower_ in ("and", "with", "by", "as", "said", "told"):
            break
        if t.text in ("’s", "'s"):
            break
        words.insert(0, t)
        i -= 1
    while words and words[0].lower_ in ("of", "the"):
        words.pop(0)
    if not words or not any(w.lower_ in title_words() for w in words):
        return None
    # Only a capitalised head, or a head under a named body ("CIA chief"), makes a formal title;
    # "top diplomat", "deputy returning officer" in lower case describe as much as they name
    heads = [w for w in words if w.lower_ in title_words()]
    named_body = any(w.text.isupper() and len(w.text) >= 2 and w.text.isalpha() for w in words)
    # "Deputy chief of staff Caitlin Moorhouse": a title written before a name opens with a capital
    described = not heads[-1].text[:1].isupper() and not named_body and not words[0].text[:1].isupper()
    qualifiers = set()
    kept = []
    for w in words:
        place = lookup_place(w.text) if w.text[:1].isupper() and w.lower_ not in title_words() else None
        if place and place.kind == "country":
            qualifiers.add(place.code)
        elif w.ent_type_ == "NORP":
            qualifiers.add(w.text.lower())
        else:
            kept.append(w.text)
    title = normalise_title(" ".join(kept), frozenset(qualifiers))
    if title is None:
        return None
    start = words[0].idx
    end = words[-1].idx + len(words[-1].text)
    return start, end, title, DESCRIBED if described else ""


def _appositive_title(doc, ent):
    """(start, end, Title, DESCRIBED) for a post told in apposition to a person's name, in lower case as news
    style writes it there: "the union's deputy general secretary, Koen Verstraete", "Caitlin
    Moorhouse, chief of staff to the mayor". "a police officer" (indefinite) describes; no title."""
    root = ent.root
    told = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        told.append(root.head)
    for noun in told:
        if noun.pos_ != "NOUN" or noun.lower_ not in title_words() or ent.start <= noun.i < ent.end:
            continue
        if any(c.dep_ in ("det", "predet") and c.lower_ in ("a", "an", "another", "one", "some") for c in noun.children):
            continue
        words = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and t.is_alpha]
        first = min(words, key=lambda t: t.i) if words else noun
        if any(t.dep_ in ("poss", "det", "punct") or not t.is_alpha for t in doc[first.i:noun.i]):
            continue  # a run broken by a possessive or a comma is not one title
        last = noun
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [p for p in c.children if p.dep_ == "pobj" and p.right_edge.i - noun.i <= 4]
                last = objs[0].right_edge if objs else last
        title = normalise_title(doc[first.i:last.i + 1].text, frozenset())
        if title is not None:
            return first.idx, last.idx + len(last.text), title, DESCRIBED
    return None


def _subject_of(doc, char_at: int) -> str:
    """The person a clause is about: its subject, a possessive, or a pronoun resolved by the caller."""
    tok = next((t for t in doc if t.idx <= char_at < t.idx + len(t.text)), None)
    if tok is None:
        return ""
    head = tok
    for _ in range(10):
        # climb to the clause that has a subject: "highest-ranking" hangs on a participle first
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children) or head.head is head:
            break
        head = head.head
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            for ent in doc.ents:
                if ent.label_ == "PERSON" and ent.start <= child.i < ent.end:
                    return strip_possessive(ent.text)
            if child.pos_ == "PRON" and child.lower_ in ("he", "she"):
                return "<" + child.lower_ + ">"
            for sub in child.subtree:
                for ent in doc.ents:
                    if ent.label_ == "PERSON" and ent.start <= sub.i < ent.end:
                        return strip_possessive(ent.text)
            if child.ent_type_ in ("GPE", "ORG") and child.text[:1].isupper():
                return strip_possessive(child.text)
    return ""


def _superlatives(doc, text: str):
    for m in _SUPERLATIVE.finditer(text):
        tail = m.group("tail").split()
        # "the first X to visit ...": a superlative said of whoever did something, which only one can be
        if tail[0].lower() != "to":
            continue
        verb = _tokens_in(doc, m.start("tail") + 3, m.end("tail"))
        if not verb or verb[0].pos_ not in ("VERB", "AUX"):
            continue
        sup = m.group("sup").lower().replace("-", " ")
        degree = "rank" if sup in {s.replace("-", " ") for s in _RANK_SUPER} else "order"
        scope_toks = _tokens_in(doc, m.start("scope"), len(text))
        scope = " ".join(_content_lemmas(scope_toks[:14]))
        subject = _subject_of(doc, m.start())
        if not subject:
            continue
        yield (m.start(), m.end(), Superlative(degree=degree, scope=scope, subject=subject))


def _periods(text: str, date_spans, published, mentions):
    """'since X' and 'in N years' as the start of a period that runs to publication."""
    from checker.extract.numbers import words_to_number

    for m in _PERIOD_YEARS.finditer(text):
        n = words_to_number(m.group("n"))
        if n is None:
            continue
        scope = _scope_before(text, m.start())
        yield (m.start(), m.end(), Period(start=None, years=float(n), published=published), scope)
    for m in _SINCE.finditer(text):
        # the first date after "since" within a few words
        nxt = [s for s in date_spans if 0 <= s.start - m.end() <= 60 and s.kind in
               ("year", "my", "mdy", "dmy_words", "iso", "dmy", "mon", "md", "year_end")]
        if not nxt:
            continue
        span = nxt[0]
        value = next((x.value for x in mentions if x.kind == "date" and x.text == span.text), None)
        if value is None or not value.resolved:
            continue
        scope = _scope_before(text, m.start())
        yield (m.start(), span.end, Period(start=value, years=None, published=published), scope)


def _scope_before(text: str, at: int) -> str:
    words = re.findall(r"[A-Za-z]+", text[max(0, at - 80):at].lower())
    return " ".join(words[-12:])
