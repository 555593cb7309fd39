"""People and their titles, from spaCy's named entities, and name variants across a corpus.

A title is the run of words written right before a name ("Chinese Foreign Minister Qin Gang",
"CIA chief William Burns"). Its head must be a title word known to nameparser's title list. Titles
are normalised to a post: "Defense Secretary" and "Secretary of Defense" are one post; "chief",
"director" and "head" are one rank; qualifiers (US, Chinese) say whose post it is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from checker.values import Title

# Ranks that English uses interchangeably for the head of a body.
_RANK_SYNONYMS = {"chief": "head", "director": "head", "head": "head", "boss": "head",
                  "advisor": "adviser", "chairman": "chair", "chairwoman": "chair",
                  "chairperson": "chair", "spokesman": "spokesperson", "spokeswoman": "spokesperson"}
# Words that turn a post into another post.
_MODIFIERS = {"deputy", "vice", "assistant", "acting", "associate", "under", "principal", "junior"}
# Words that say the post is not held now: such titles are history, not a claim about today.
_PAST = {"former", "then", "ex", "late", "onetime", "erstwhile", "outgoing", "predecessor"}
# Relational nouns name a relation to someone, not a post.
_RELATIONAL = {"counterpart", "predecessor", "successor", "ally", "friend", "colleague", "rival",
               "wife", "husband", "son", "daughter", "father", "mother", "brother", "sister"}
_SPELLING = {"defence": "defense", "councillor": "councilor", "programme": "program"}


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    words = set(CONSTANTS.titles)
    words |= {"advisor", "spokesperson", "spokesman", "spokeswoman", "coordinator", "chair",
              "chairwoman", "chairperson", "secretary-general", "envoy", "councilwoman", "councilman",
              "councillor", "councilmember", "alderman", "alderwoman", "assemblyman", "assemblywoman",
              "congressman", "congresswoman", "commissioner", "superintendent", "sheriff", "prefect",
              "inspector", "constable", "prosecutor"}
    return frozenset(words)


def strip_possessive(name: str) -> str:
    return re.sub(r"(’s|'s|’|')$", "", name.strip())


def normalise_title(raw: str, qualifier_codes: frozenset[str]) -> Title | None:
    """The post a title names, or None when its words name no post."""
    words = [w for w in re.split(r"[\s]+", raw.replace("’s", "").replace("'s", "")) if w]
    lowered = [_SPELLING.get(w.lower().strip(".,"), w.lower().strip(".,")) for w in words]
    if not lowered or any(w in _PAST for w in lowered):
        return None
    heads = [i for i, w in enumerate(lowered) if w in title_words() and w not in _RELATIONAL]
    if not heads:
        return None
    # "Secretary of State": the head comes before "of"; "Defense Secretary": the last title word.
    if "of" in lowered:
        of_at = lowered.index("of")
        before = [i for i in heads if i < of_at]
        head_i = before[-1] if before else heads[-1]
        domain = [w for w in lowered[of_at + 1:] if w not in ("the", "and", "for")]
        domain += [w for w in lowered[:head_i] if w not in _MODIFIERS]
    else:
        head_i = heads[-1]
        domain = [w for w in lowered[:head_i] if w not in _MODIFIERS]
    head = _RANK_SYNONYMS.get(lowered[head_i], lowered[head_i])
    if head in _RELATIONAL:
        return None
    modifiers = frozenset(w for w in lowered[:head_i] if w in _MODIFIERS)
    # "chief" before another rank word ranks it ("Chief financial officer"): it says nothing of what
    # the post is over, and two different posts share it
    domain_set = frozenset(w for w in domain if w not in ("u.s.", "us", "top", "senior", "new", "chief")
                           and len(w) > 1)
    return Title(raw=raw.strip(), head=head, domain=domain_set, modifiers=modifiers,
                 qualifier=qualifier_codes)


def name_tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name) if t]


class PersonRegistry:
    """Maps every way a corpus writes a person's name to one canonical (longest) name.

    "Yi" is Wang Yi when Wang Yi is the only full name that contains "Yi"; "Wang" stays ambiguous
    when the corpus also names Wang Wenbin. Within a document, its own full names win.
    """

    def __init__(self, names_by_doc: dict[str, set[str]], first_seen: dict[str, dict[str, int]] | None = None,
                 aliases: dict[str, str] | None = None):
        self.aliases = aliases or {}  # a second name → the name it stands for
        # where each document first names each person: "Ashby" in an article that names Darnell
        # Ashby first and his mother Loretta Ashby later is Darnell
        self.first_seen = first_seen or {}
        self.full_by_doc = {d: {n for n in names if len(name_tokens(n)) >= 2} for d, names in names_by_doc.items()}
        self.all_full = set().union(*self.full_by_doc.values()) if self.full_by_doc else set()
        # Prefer the longest spelling of a full name ("Joe Biden" over "Biden"): each full name is
        # the canonical form of those of its endings that the corpus also writes as a full name.
        self._canon: dict[str, str] = {}
        for n in sorted(self.all_full, key=lambda x: (-len(x), x)):
            toks = name_tokens(n)
            for k in range(1, len(toks)):
                ending = " ".join(toks[-k:])
                if ending in self.all_full:
                    self._canon.setdefault(ending, n)
        # full names by the words they contain, so that a lone "Yi" finds its full names at once
        self._holding_all = self._by_token(self.all_full)
        self._holding_doc = {d: self._by_token(names) for d, names in self.full_by_doc.items()}

    @staticmethod
    def _by_token(names: set[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for n in names:
            for t in name_tokens(n):
                out.setdefault(t, set()).add(n)
        return out

    def canonical(self, name: str, doc: str) -> str:
        found = self._canonical(name, doc)
        primary = self.aliases.get(found) or self.aliases.get(strip_possessive(name))
        return self._canonical(primary, doc) if primary and primary != found else found

    def _canonical(self, name: str, doc: str) -> str:
        name = strip_possessive(name)
        if name in self._canon:
            return self._canon[name]
        toks = name_tokens(name)
        if len(toks) >= 2:
            return name
        for holding in (self._holding_doc.get(doc, {}), self._holding_all):
            hits = {self._canon.get(f, f) for f in holding.get(name, ())}
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                if holding is not self._holding_all:
                    # the person the story is about is named by every source; a relative named in
                    # one ("his mother, Loretta Ashby") keeps her full name, and "Ashby" is the other
                    first = self.first_seen.get(doc, {})
                    spread = {h: sum(1 for names in self.full_by_doc.values() if h in names) for h in hits}
                    ranked = sorted(hits, key=lambda h: (-spread[h], first.get(h, 1 << 62)))
                    if ranked[0] in first and spread[ranked[0]] > spread[ranked[1]]:
                        return ranked[0]
                return name
        return name

    def full_holding(self, token: str) -> set[str]:
        """The corpus's full names that contain this word."""
        return self._holding_all.get(token, set())

    def known_tokens(self) -> set[str]:
        return {t for n in self.all_full for t in name_tokens(n)}


MIN_SIMILARITY = 0.8  # Jaro-Winkler similarity of the two spellings of the differing word
CLOSE_SPELLING = 0.9  # Jaro-Winkler above which a long name's spellings differ by a slip, not a sound
MIN_LETTERS = 4  # shorter words ("Li", "Wu") differ by a letter between different people


@lru_cache(maxsize=1 << 14)
def fold(word: str) -> str:
    """A word without accents or special letters, lower-cased: "Łódź" → "lodz", "Michał" → "michal"."""
    from unidecode import unidecode

    return unidecode(word).lower()


_AROUND_NAME_WORD = ".,;:/!?()[]\"“”"  # punctuation a name's word may carry in text, not part of it


def name_words(name: str) -> list[str]:
    return [w.strip(_AROUND_NAME_WORD) for w in name.split() if w.strip(_AROUND_NAME_WORD)]


def proper_part(words: list[str]) -> list[str]:
    """A name's capitalised words: particles ("de", "van", "bin") are written or left out by outlets."""
    return [w for w in words if not w.islower()]


def _joined_surname(longer: list[str], shorter: list[str]) -> tuple[str, str] | None:
    """"Joseph Van Wert" / "Joseph VanWert": a surname written in two words and in one (the
    longer name's last two words, the shorter's last), the first names alike."""
    if len(longer) < 3 or fold(longer[0]) != fold(shorter[0]):
        return None
    two = longer[-2:]
    if fold("".join(two)).replace("-", "") == fold(shorter[-1]).replace("-", "") and len(shorter[-1]) > len(two[1]):
        return " ".join(two), shorter[-1]
    return None


def name_variant(a: str, b: str) -> tuple[str, str] | None:
    """The two spellings of the one word in which two full names differ, when they are likely one
    person's name spelled two ways ("Gaëlle Perrault" / "Gaëlle Perreault", "Youssef Amari" /
    "Yusuf Amari"); None for equal names, names that differ only in accents, and different names.

    The differing word must sound alike (Metaphone), start with the same letter and be close in
    spelling (Jaro-Winkler), and every other word must be the same."""
    wa, wb = proper_part(name_words(a)), proper_part(name_words(b))
    if len(wa) < 2 or len(wb) < 2:
        return None
    joined = _joined_surname(wa, wb) or _joined_surname(wb, wa)
    if joined:
        return joined if len(wa) > len(wb) else (joined[1], joined[0])
    # one outlet gives more of the name ("Vicomte Arthur de Soultrait" / "Arthur Solutrait"): the
    # shorter is compared with as many words at the end of the longer
    wa, wb = wa[len(wa) - min(len(wa), len(wb)):], wb[len(wb) - min(len(wa), len(wb)):]
    diff = [(x, y) for x, y in zip(wa, wb) if fold(x) != fold(y)]
    if len(diff) != 1 or not word_variant(*diff[0]):
        return None
    return diff[0]


def word_variant(x: str, y: str) -> bool:
    """Two spellings of one name's word: they sound alike (Metaphone), start with the same letter and
    are close in spelling (Jaro-Winkler), or differ by a slip of the keyboard in a long word."""
    import jellyfish

    fx, fy = fold(x), fold(y)
    if min(len(fx), len(fy)) < MIN_LETTERS or fx[0] != fy[0] or not fx.replace("-", "").isalpha():
        return False
    similarity = jellyfish.jaro_winkler_similarity(fx, fy)
    if similarity < MIN_SIMILARITY:
        return False
    if jellyfish.metaphone(fx) != jellyfish.metaphone(fy):
        # letters swapped or doubled in a long name ("Okonkwo" / "Okonkow") sound apart but
        # are one slip of the keyboard
        return min(len(fx), len(fy)) >= 6 and similarity >= CLOSE_SPELLING \
            and jellyfish.damerau_levenshtein_distance(fx, fy) <= 2
    return True
