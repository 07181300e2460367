"""Organisations: names around an organisation word (``… Council``, ``… Corp``, ``Bank of …``),
after a word for a kind of organisation (``tyre giant Pirelli``), joined by ``&``, and a company's
short name once it was named with its suffix."""

from __future__ import annotations

import functools
import re

import ahocorasick

from .gazetteer import Gazetteer
from .people import TITLE_WORDS
from .words import NOT_NAMES, TOKEN, Candidate, after_boundary, after_word, is_name_token, strip_possessive

# Lower-case words for what an organisation is, before its name: "tyre and cables giant Pirelli",
# "Dutch side Ajax", "rebel group Hamas". The name is learned for the whole document.
_ORG_ROLE_WORDS = (
    "giant group firm company maker carrier airline bank insurer retailer brewer conglomerate subsidiary "
    "operator producer manufacturer chain broker brokerage side club"
).split()
_ORG_ROLE = re.compile(r"(?:" + "|".join(_ORG_ROLE_WORDS) + r")\s+(?=[A-Z])")

# Names joined by an ampersand are a firm's: "Douglas & Lomason", "Procter & Gamble".
_AMPERSAND_NAME = re.compile(r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)? & [A-Z][\w.-]*\w(?: (?:Co|Inc|Corp|Ltd)\b\.?)?")
# Company suffixes take no "of" after them: "Daniels Pharmaceuticals Inc of St. Louis" is a company in a place.
_COMPANY_SUFFIXES = frozenset(
    {"Corp", "Inc", "Ltd", "Limited", "plc", "Plc", "PLC", "Co", "AG", "SA", "NV", "GmbH", "SpA", "Holdings", "Bancorp"}
)
CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
# Possessives that are part of organisation names ("People's Protection Units"), not an owner.
_COLLECTIVE_POSSESSIVES = frozenset(
    f"{w}{p}" for w in ("People", "Workers", "Women", "Children", "Farmers", "Veterans") for p in ("'s", "’s", "'", "’")
)


@functools.lru_cache(maxsize=4)
def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word-like token; cached, as both cue rules may read a paragraph's."""
    return [(t.start(), t.end(), t.group()) for t in TOKEN.finditer(text)]


@functools.lru_cache(maxsize=8)
def _cue_pattern(cues: frozenset[str]) -> re.Pattern[str]:
    # Plain substrings, no word boundaries: a filter may let extra paragraphs through, never drop one.
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


class OrganisationRules:
    """The rules that find organisations in a part's text, with the gazetteer to tell an
    organisation's name from a place's or a group's."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._org_role_words = ahocorasick.Automaton()
        for word in _ORG_ROLE_WORDS:
            self._org_role_words.add_word(word + " ", word)
        self._org_role_words.make_automaton()

    def cued(self, text: str, cues: frozenset[str], etype: str, rule: str, *, allow_after: bool) -> list[Candidate]:
        if not _cue_pattern(cues).search(text):
            return []  # most paragraphs have no cue word: skip listing every token of them
        tokens = _tokens(text)
        found = []
        for n, (_start, _end, word) in enumerate(tokens):
            if word not in cues:
                continue
            first = n
            while first > 0:
                ps, pe, prev = tokens[first - 1]
                if text[pe : tokens[first][0]] != " " or not is_name_token(prev):
                    break
                if prev in cues and word not in _COMPANY_SUFFIXES:
                    break  # "Jones Medical Industries Inc" is one name, "Security Council Foreign Ministry" two
                # not across a title or a possessive: "President Nelson Mandela's African National Congress"
                if prev in TITLE_WORDS or (strip_possessive(prev)[1] and prev not in _COLLECTIVE_POSSESSIVES):
                    break
                if prev in CALENDAR_WORDS:
                    break  # "August National Association of ...": a date before the name
                first -= 1
            last = n
            if (
                allow_after
                and word not in _COMPANY_SUFFIXES
                and n + 2 < len(tokens)
                and tokens[n + 1][2] in ("of", "for")
            ):
                last = self._name_after(text, tokens, n + 2, last)
            if first == n and last == n:
                continue  # the cue word alone ("Council") is not a name
            start, end = tokens[first][0], tokens[last][1]
            name = strip_possessive(text[start:end])[0]
            end = start + len(name)
            if last == n and word in _COMPANY_SUFFIXES and text.startswith(".", end) and word != "plc":
                end += 1  # the abbreviation's point is the name's: "NationsBank Corp.", "Cofinec S.A."
                name += "."
            entry = self.gazetteer.lookup(name)
            found.append(Candidate(start, end, entry.name if entry else name, entry.type if entry else etype, rule, 2))
        return found

    @staticmethod
    def _name_after(text: str, tokens: list[tuple[int, int, str]], j: int, last: int) -> int:
        """The last token of the name after an organisation word's "of"/"for": capitalised words,
        joined by "and" or "in" between two of them ("Organisation for Security and Cooperation
        in Europe"); never past a possessive ("University of Michigan's")."""
        if tokens[j][2] == "the" and j + 1 < len(tokens):
            j += 1
        while j < len(tokens) and text[tokens[j - 1][1] : tokens[j][0]] == " ":
            word = tokens[j][2]
            if is_name_token(word):
                last = j
                if strip_possessive(word)[1]:
                    break
            elif not (word in ("and", "in", "on") and j + 1 < len(tokens) and is_name_token(tokens[j + 1][2])):
                break
            j += 1
        return last

    def org_roles(self, text: str, learned: dict[str, tuple[str, str]]) -> list[Candidate]:
        """A name after a word for a kind of organisation, and names joined by "&"."""
        found: list[Candidate] = []
        if "&" in text:
            for m in _AMPERSAND_NAME.finditer(text):
                if (
                    not after_word(text, m.start(), "-")
                    and text[m.start() : text.find(" ", m.start())] not in NOT_NAMES
                ):
                    entry = self.gazetteer.lookup(m.group())
                    if entry is None or entry.type == "ORG":
                        found.append(
                            Candidate(m.start(), m.end(), entry.name if entry else m.group(), "ORG", "org-cue", 2)
                        )
        if next(self._org_role_words.iter(text), None) is None:
            return found  # found in one pass of C: the regex alone tries its 22 words at every place
        for m in after_boundary(_ORG_ROLE, text):
            words: list[tuple[int, int]] = []
            for t in TOKEN.finditer(text, m.end()):
                if t.start() != (words[-1][1] + 1 if words else m.end()):
                    break
                word, possessive = strip_possessive(t.group())
                if not is_name_token(word) or word in CALENDAR_WORDS:
                    break
                words.append((t.start(), t.start() + len(word)))
                if possessive or len(words) == 3:
                    break
            if not words or words[0][1] - words[0][0] < 2:
                continue  # not an initial: "company N / A" in a table
            start, end = words[0][0], words[-1][1]
            name = text[start:end]
            entry = self.gazetteer.lookup(name) or self.gazetteer.lookup(text[start : words[0][1]])
            if entry is not None and entry.type != "ORG":
                continue  # "group Chinese investors", "side Brazil": not an organisation's name
            canonical = entry.name if entry and entry.name == name else name
            found.append(Candidate(start, end, canonical, "ORG", "org-cue", 2))
            learned.setdefault(name, (canonical, "ORG"))
        return found

    def learn_company_short_names(
        self, texts: list[str], per_unit: list[list[Candidate]], learned: dict[str, tuple[str, str]]
    ) -> set[str]:
        """A company named once with its suffix is named later without it: "NationsBank Corp." then
        "NationsBank", "Magna International Inc" then "Magna International" and "Magna" (a first
        word the document also writes in lower case, "First Chicago Corp", is a word, not the name)."""
        lower_words: set[str] | None = None
        short_names: set[str] = set()
        for text, cands in zip(texts, per_unit, strict=True):
            for c in cands:
                if c.rule != "org-cue" or c.type != "ORG":
                    continue
                words = text[c.start : c.end].rstrip(".").split()
                if len(words) < 2 or words[-1] not in _COMPANY_SUFFIXES:
                    continue
                short = " ".join(words[:-1])
                if self.gazetteer.lookup(short) is None:
                    learned.setdefault(short, (c.canonical, "ORG"))
                    short_names.add(short)
                first = strip_possessive(words[0])[0]
                if len(words) > 2 and len(first) > 2 and self.gazetteer.lookup(first) is None:
                    if lower_words is None:
                        lower_words = {w for t in texts for w in re.findall(r"\b[a-z][a-z'-]+\b", t)}
                    if first.lower() not in lower_words and first not in TITLE_WORDS:
                        learned.setdefault(first, (c.canonical, "ORG"))
                        short_names.add(first)
        return short_names
