"""Find entity mentions in a document.

Sources of mentions, in order of precedence when spans compete for the same
text (a longer span always wins; for equal spans the higher rule wins):

1. outlet cues — ``the Türkiye newspaper``, ``the publication Cumhuriyet``;
2. title cues for people — ``President``, ``Foreign Minister``, ``envoy`` …
   followed by a capitalised name (the title is not part of the span);
3. organisation cues — capitalised names around ``Organization``,
   ``Council``, ``Ministry``, ``Forces``, ``Party``, ``Army`` …; place cues —
   ``Ninewa Province``, ``Aleppo Governorate``;
4. acronyms defined in the text — ``Collective Security Treaty
   Organization (CSTO)`` makes every later ``CSTO`` that entity; a bare
   capitalised acronym defined nowhere (``IED``) is not an entity;
5. the gazetteers (aliases → canonical name and type), and the document's
   own authors and source;
6. names learned in the document — a person's surname alone
   (``Tokayev`` after ``President Kassym-Jomart Tokayev``), an outlet named
   once by a cue;
7. dates — calendar dates, ranges, months, years, decades.

Every part of a document is read: the title, the byline (the authors' names as
the reader shows them), the body's blocks (table cells included; code is not
prose), and the notes' prose (their links and
URLs are blanked first, keeping positions). Names learned in one part hold in
all of them. Spans are positions in a part's cleaned text (footnote markers
already removed, so ``January 11.⁵`` gives ``January 11``) and offsets in the
file: a body mention has its block index; a title, byline or note mention has
block -1, its ``part`` (``title`` / ``byline`` / ``note``) and, for a note, the
note's key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from ..core.dates import find_dates
from ..core.mapped import MappedText, Segment
from ..core.metadata import author_span_key
from ..core.model import CODE, Document
from .gazetteer import Gazetteer, GazetteerEntry
from .model import BODY, BYLINE, NOTE, TITLE, EntitySpan
from .organisations import CALENDAR_WORDS, OrganisationRules
from .people import TITLE_WORDS, PersonRules
from .words import (
    ORG_CUES,
    PLACE_CUES,
    TOKEN,
    WORD_CHARS,
    Candidate,
    after_boundary,
    after_word,
    is_name_token,
    sentence_start,
    strip_possessive,
)

_HAS_CAPITAL = re.compile(r"[A-Z]")
_URL = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True, slots=True)
class Mention:
    block: int
    start: int
    end: int
    text: str
    canonical: str
    type: str
    source_start: int
    source_end: int
    rule: str
    part: str = BODY  # BODY, TITLE or NOTE
    note: str = ""  # the note's key, for a mention in a note

    @property
    def span(self) -> EntitySpan:
        """Where it is in its block (meaningful for the body's mentions)."""
        return EntitySpan(self.block, self.start, self.end, self.type, self.canonical)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "canonical": self.canonical,
            "type": self.type,
            "start": self.source_start,
            "end": self.source_end,
            "block": self.block,
            "at": self.start,
            "rule": self.rule,
            "part": self.part,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class _Unit:
    """One piece of text the rules read: a body block, the title or a note."""

    part: str
    block: int  # -1 outside the body
    note: str
    text: str
    content: MappedText


# A word boundary before these is checked by after_boundary: as the first thing in a pattern
# it keeps Python's re from skipping ahead to the letters that can start a match (3-4x slower).
OUTLET_WORDS = re.compile(r"(?:newspaper|publication|magazine|daily|outlet|news agency|broadcaster|channel)\b")
OUTLET_BEFORE = re.compile(r"\b(?:newspaper|publication|magazine|daily|outlet|news agency|broadcaster|channel)\s+$")
OUTLET_AFTER = re.compile(r"^\s+(?:newspaper|daily|magazine|news agency)\b")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The head of each title ("Minister" of "Foreign Minister"): "Foreign" alone starts many names.
_CAPS_RUN = re.compile(r"[A-Z]{4}")
# Acronyms of the general gazetteer that are also English words: in a line of capitals they
# are read as words (the list is what tools/build_gazetteer.py's word list finds among them).
_ACRONYMS_THAT_ARE_WORDS = frozenset({"WHO", "CIS", "SEC", "IT", "AIDS", "FED"})
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Z0-9&]{1,9})(?=[),;])")
# Not after a word character, point, comma, slash or hyphen: looked behind after the first two
# digits (three characters back), for the reason above.
_YEAR = re.compile(r"(?:1[89]|20)(?<![\w.,/-]..)\d\d(?:s)?(?![\w/-])")
_MONTH_ALONE = re.compile(r"(?:" + "|".join(_MONTH_NAMES) + r")\b")


def _title_content(doc: Document) -> MappedText:
    """The title's text mapped onto the file when its span there is known.

    The title is the span's tail ("title: X" in front matter, "# X" in Markdown) when the
    span is longer; without a span (a title from a sidecar or a file name) it is anchored at 0.
    """
    span = doc.meta_spans.get("title")
    n = len(doc.title)
    if span is None or span[1] - span[0] < n:
        return MappedText.synthetic(doc.title, span[0] if span else 0)
    return MappedText(doc.title, (Segment(0, n, span[1] - n, n),))


def byline_text(doc: Document) -> str:
    """The byline as the reader shows it: the authors' names joined by commas."""
    return ", ".join(doc.authors)


def _byline_content(doc: Document) -> MappedText:
    """The byline as the reader shows it (the names joined by commas), each name mapped onto
    where the file spells it.  When the line spells a name otherwise ("By SMITH, Jane"), every
    name stands for the whole line; without a line (authors from a sidecar or the file's
    metadata) the byline is anchored at 0, as a title without a span is."""
    text = byline_text(doc)
    line = doc.meta_spans.get("byline") or doc.meta_spans.get("authors")
    if line is None or line[1] <= line[0]:
        return MappedText.synthetic(text, 0)
    exact = [doc.meta_spans.get(author_span_key(i)) for i in range(len(doc.authors))]
    if None in exact:
        return MappedText(text, (Segment(0, len(text), line[0], line[1] - line[0]),))
    segments: list[Segment] = []
    at = 0
    for i, (name, span) in enumerate(zip(doc.authors, exact, strict=True)):
        assert span is not None
        if i:
            segments.append(Segment(at, 2, segments[-1].s + segments[-1].slen, 0))  # the ", " shown
            at += 2
        segments.append(Segment(at, len(name), span[0], len(name)))
        at += len(name)
    return MappedText(text, tuple(segments))


def _note_prose(content: MappedText, link_spans: list[tuple[int, int]]) -> str:
    """The note's text with its links and URLs blanked (same length, so positions hold)."""
    chars = list(content.text)
    spans = [(m.start(), m.end()) for m in _URL.finditer(content.text)]
    for s0, s1 in link_spans:
        a, b = content.text_position(s0), content.text_position(max(s0, s1 - 1))
        if a is not None and b is not None:
            spans.append((a, b + 1))
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def document_units(doc: Document, *, notes: bool = True) -> list[_Unit]:
    units = []
    if doc.title.strip():
        units.append(_Unit(TITLE, -1, "", doc.title, _title_content(doc)))
    if any(a.strip() for a in doc.authors):
        units.append(_Unit(BYLINE, -1, "", byline_text(doc), _byline_content(doc)))
    units.extend(_Unit(BODY, i, "", b.text, b.content) for i, b in enumerate(doc.blocks) if b.kind != CODE)
    for note in doc.footnotes if notes else ():
        if note.defined and note.text.strip():
            prose = _note_prose(note.content, [(link.source_start, link.source_end) for link in note.links])
            if _HAS_CAPITAL.search(prose):  # a note that is only a URL has nothing to find
                units.append(_Unit(NOTE, -1, note.key, prose, note.content))
    return units


_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


def in_capitals(text: str) -> bool:
    """A line set in capitals (a headline, a dateline): most of its letters are."""
    head = text[:400]
    upper, lower = len(_UPPER.findall(head)), len(_LOWER.findall(head))
    return upper >= 6 and upper >= 0.7 * (upper + lower)


# A place that plays: a score after it ("Derbyshire 345", "CHICAGO 5 Houston 3"), or a match
# word around it ("Kent v Essex", "beat Somerset"). Not a four-digit year ("LONDON 1996-08-30").
# In a line of capitals, "AT" joins two sides of a fixture: "CHICAGO AT ATLANTA".
_SCORE_AFTER = re.compile(r"\s+(?:\d{1,3}(?:-\d{1,3})?(?![\d-])|v\.?\s|vs\.?\s|AT\s)")
_MATCH_BEFORE = re.compile(r"(?:\bv\.?|\bvs\.?|\bbeat|\bdrew with|\blost to|\bAT)\s+$")
# A place named after "in", "at" ... is the place even where a side of the same name plays.
PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|of|In|At)\s+$")
# A dateline names the place a story is filed from: "NEW YORK 1996-08-30", "LONDON, Aug 30".
DATELINE_AFTER = re.compile(r"(?:\s+(?:1[89]|20)\d\d-\d\d|,\s+[A-Z][a-z]{2}\.? \d)")
# What may follow a place in an office's name: "US National Security Advisor Jake Sullivan".
_TITLE_RUN = re.compile(r"(?: [A-Z][\w’'-]*){0,3}")
_DIRECTIONS = frozenset(
    f"{d}{e}"
    for d in ("North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest")
    for e in ("", "ern")
) | {"Central", "Greater", "Upper", "Lower", "Inner", "Outer", "Old", "New"}
# The home nations field national sides as countries do: their sides are the nation, a PLACE.
_HOME_NATIONS = frozenset({"England", "Scotland", "Wales", "Northern Ireland"})


def _in_title_case(text: str) -> bool:
    """A headline in title case ("Kazakhstan Crisis Exposes Limits of Turkey's Reach"): most words capitalised."""
    words = text[:300].split()
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def is_nation(entry: GazetteerEntry) -> bool:
    return entry.description.startswith("Country (") or entry.name in _HOME_NATIONS


def is_team(text: str, start: int, end: int) -> bool:
    return bool(_SCORE_AFTER.match(text, end) or _MATCH_BEFORE.search(text, max(0, start - 12), start))


class EntityExtractor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._automaton = ahocorasick.Automaton()
        for alias, canonical in gazetteer.aliases.items():
            if len(alias) >= 2:
                self._automaton.add_word(alias, (len(alias), canonical))
        if len(self._automaton):
            self._automaton.make_automaton()
        # Names in capitals (datelines, headlines): "LONDON", "NEW YORK". An alias that is itself
        # in capitals (an acronym) keeps its own entry: "WHO" is not "Who".
        self._caps_automaton = ahocorasick.Automaton()
        for alias, canonical in gazetteer.aliases.items():
            upper = alias.upper()
            if len(alias) >= 4 and alias != upper and upper not in gazetteer.aliases:
                self._caps_automaton.add_word(upper, (len(upper), canonical))
        if len(self._caps_automaton):
            self._caps_automaton.make_automaton()
        self.people = PersonRules(gazetteer)
        self.organisations = OrganisationRules(gazetteer)

    # ------------------------------------------------------------- public
    def extract(self, doc: Document) -> list[Mention]:
        """The body's mentions (what the article view lays out)."""
        return [m for m in self.extract_all(doc) if m.part == BODY]

    def extract_all(self, doc: Document) -> list[Mention]:
        """Mentions in every part: title, byline, body and notes, names learned in one holding in all."""
        return self._extract(document_units(doc), doc.authors, doc.source)

    def extract_header(self, doc: Document) -> list[Mention]:
        """The title's and the byline's mentions alone (what the article's header shows), for a
        document whose body's mentions came from the index: the title does not learn the
        body's names then ("Tokayev" alone in a title is found only if the gazetteer knows him)."""
        units = [u for u in document_units(doc, notes=False) if u.part != BODY]
        return self._extract(units, doc.authors, doc.source)

    def _extract(self, units: list[_Unit], authors: list[str], source: str | None) -> list[Mention]:
        learned: dict[str, tuple[str, str]] = {}  # surface -> (canonical, type), learned from this document
        per_unit: list[list[Candidate]] = [[] for _ in units]
        persons: dict[str, str] = {}  # full name -> canonical

        for name in authors:
            entry = self.gazetteer.lookup(name)
            persons[name] = entry.name if entry else name
        # pass 1: explicit cues, which teach names for the whole document
        for unit, cands in zip(units, per_unit, strict=True):
            text = unit.text
            cands.extend(self._outlets(text, learned))
            cands.extend(self.organisations.org_roles(text, learned))
            for cand in self.people.title_persons(text):
                cands.append(cand)
                persons.setdefault(text[cand.start : cand.end], cand.canonical)
            for cand in self.people.named_persons(text) + self.people.aged_persons(text):
                cands.append(cand)
                persons.setdefault(cand.canonical, cand.canonical)
            cands.extend(self.organisations.cued(text, ORG_CUES, "ORG", "org-cue", allow_after=True))
            cands.extend(self.organisations.cued(text, PLACE_CUES, "PLACE", "place-cue", allow_after=False))
            cands.extend(self._gazetteer(text))
        # people: one canonical name per person; a surname alone means the full name
        canon_person = self.people.merge_people(persons)
        companies = self.organisations.learn_company_short_names(
            [u.text for u in units], per_unit, learned
        )  # before people: they win
        surnames: dict[str, str] = {}
        for full, canonical in canon_person.items():
            tokens = full.split()
            if len(tokens) >= 2:
                surnames.setdefault(tokens[-1], canonical)
        for full, canonical in canon_person.items():
            learned.setdefault(full, (canonical, "PERSON"))
        for surname, canonical in surnames.items():
            learned.setdefault(surname, (canonical, "PERSON"))
        if source:
            learned.setdefault(source, (source, "ORG"))
        # a place that plays once in a document is that side wherever it is not a place ("in Essex")
        teams = {
            unit.text[c.start : c.end]
            for unit, cands in zip(units, per_unit, strict=True)
            for c in cands
            if c.rule == "team"
        }
        for team in teams:
            learned.setdefault(team, (team, "ORG"))
        # acronyms defined right after a recognised name
        for unit, cands in zip(units, per_unit, strict=True):
            text = unit.text
            for cand in self._resolve(cands):
                m = _ACRONYM_AFTER.match(text, cand.end)
                if m and cand.type in ("ORG", "PLACE", "GROUP"):
                    learned.setdefault(m.group("acr"), (cand.canonical, cand.type))
            for acronym, expansion, start, end in self._initials_definitions(text):
                learned.setdefault(acronym, (expansion, "ORG"))
                cands.append(Candidate(start, end, expansion, "ORG", "acronym", 2))
        # pass 2: learned names everywhere, people canonicalised, dates
        # An automaton, not one regex of every learned name: compiling that took a third of the time.
        learned_ac = None
        if learned:
            learned_ac = ahocorasick.Automaton()
            for k in learned:
                learned_ac.add_word(k, len(k))
            learned_ac.make_automaton()
        mentions: list[Mention] = []
        for unit, cands in zip(units, per_unit, strict=True):
            text = unit.text
            if learned_ac is not None:
                for last, length in learned_ac.iter(text):
                    start, end = last - length + 1, last + 1
                    if after_word(text, start, "-") or (end < len(text) and WORD_CHARS.match(text, end)):
                        continue
                    surface = text[start:end]
                    canonical, etype = learned[surface]
                    # a person's surname named in this document beats a place of the same name ("Jordan")
                    priority = 2 if etype == "PERSON" and surface in surnames else 1
                    if surface in companies and learned[surface][1] == "ORG":
                        priority = 3  # "Magna International said": the company, not a person in a said-context
                    if surface in teams:
                        if PLACE_BEFORE.search(text, max(0, start - 6), start) or DATELINE_AFTER.match(text, end):
                            continue
                        priority = 2
                    cands.append(Candidate(start, end, canonical, etype, "learned", priority))
            for cand in cands:
                if cand.type == "PERSON":
                    cand.canonical = canon_person.get(cand.canonical, cand.canonical)
                    if cand.canonical in surnames:
                        cand.canonical = surnames[cand.canonical]
            if unit.part == BODY:  # dates are read in the body only: the index and the notes panel skip them
                cands.extend(self._dates(text))
            for cand in self._resolve(cands):
                s0, s1 = unit.content.source_span(cand.start, cand.end)
                mentions.append(
                    Mention(
                        unit.block,
                        cand.start,
                        cand.end,
                        text[cand.start : cand.end],
                        cand.canonical,
                        cand.type,
                        s0,
                        s1,
                        cand.rule,
                        unit.part,
                        unit.note,
                    )
                )
        return mentions

    def describe(self, canonical: str) -> str:
        entry = self.gazetteer.entries.get(canonical)
        return entry.description if entry else ""

    # ------------------------------------------------------------- rules
    def _gazetteer(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        if not len(self._automaton):
            return found
        capitals_line = None  # worked out when an acronym that is a word is found
        headline = None  # in capitals or in title case: every word may be capitalised
        matches = list(self._automaton.iter(text))
        if _CAPS_RUN.search(text) and len(self._caps_automaton):
            matches += self._caps_automaton.iter(text)
        for end_index, (length, canonical) in matches:
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and (WORD_CHARS.match(text[start - 1]) or text[start - 1] in "@/"):
                continue
            if end < len(text) and WORD_CHARS.match(text[end]):
                continue
            if text[start:end] in _ACRONYMS_THAT_ARE_WORDS:
                if capitals_line is None:
                    capitals_line = in_capitals(text)
                if capitals_line:
                    continue  # "WHO SAID IT": in a line of capitals an acronym may be a word
            entry = self.gazetteer.entries[canonical]
            if entry.type == "PLACE" and self._inside_a_longer_name(text, start, end):
                if headline is None:
                    headline = in_capitals(text) or _in_title_case(text)
                if not headline:
                    continue  # "Air France", "Dynamo Moscow", "Hong Kong Open": a place's name in another's
            if entry.type == "PLACE" and not is_nation(entry) and is_team(text, start, end):
                found.append(Candidate(start, end, text[start:end], "ORG", "team", 1))
                continue
            found.append(Candidate(start, end, canonical, entry.type, "gazetteer", 1))
        return found

    def _inside_a_longer_name(self, text: str, start: int, end: int) -> bool:
        """Whether a capitalised word the gazetteer does not know stands right before or after
        the name (one space between), not a title, a cue word, a month or a sentence's first word."""
        after = TOKEN.match(text, end + 1) if text.startswith(" ", end) else None
        if after is not None and self._unknown_name_word(after.group()):
            if PLACE_BEFORE.search(text, max(0, start - 6), start):
                return False  # "in Azerbaijan Yücel Karauz": the place, then another name
            title_run = _TITLE_RUN.match(text, after.end())
            run = title_run.group().split() if title_run else []
            return not any(strip_possessive(w)[0] in TITLE_WORDS for w in run)  # "US National Security Advisor"
        if start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
            begin = text.rfind(" ", 0, start - 1) + 1  # the word before: its last character is a letter or digit
            if not sentence_start(text, begin):
                return self._unknown_name_word(text[begin : start - 1])
        return False

    def _unknown_name_word(self, word: str) -> bool:
        word = strip_possessive(word)[0]
        if not is_name_token(word) or word.isupper() or word in TITLE_WORDS or word in CALENDAR_WORDS:
            return False
        if word in _DIRECTIONS:
            return False  # "in Northeast Mosul", "Greater London": a part of the place
        if word in ORG_CUES or word in PLACE_CUES:
            return False  # the cue rules read "Moscow State University", "Aleppo Governorate"
        return self.gazetteer.lookup(word) is None

    def _outlets(self, text: str, learned: dict[str, tuple[str, str]]) -> list[Candidate]:
        found: list[Candidate] = []
        if next(after_boundary(OUTLET_WORDS, text), None) is None:
            return found
        for t in TOKEN.finditer(text):
            word, _ = strip_possessive(t.group())
            if not is_name_token(word):
                continue
            before = text[max(0, t.start() - 30) : t.start()]
            after = text[t.start() + len(word) : t.start() + len(word) + 20]
            cue_before = OUTLET_BEFORE.search(before)
            if cue_before and not self._names_what_follows(before[: cue_before.start()]):
                cue_before = None
            if cue_before or OUTLET_AFTER.match(after):
                start = t.start()
                end = start + len(word)
                # an outlet name of several words: "The Economic Times newspaper"
                found.append(Candidate(start, end, word, "ORG", "outlet-cue", 4))
                learned.setdefault(word, (word, "ORG"))
        return found

    def _names_what_follows(self, before_cue: str) -> bool:
        """Whether the outlet word names the word after it: "the newspaper Cumhuriyet", "the Turkish
        daily Sabah" yes; "told Itar-Tass news agency Yeltsin ..." no (the word names Itar-Tass)."""
        words = before_cue.split()
        if not words:
            return True
        prev = strip_possessive(words[-1])[0].strip(",;:")
        if not prev or not prev[0].isupper():
            return True
        entry = self.gazetteer.lookup(prev)
        return entry is not None and entry.type in ("GROUP", "PLACE")

    def _initials_definitions(self, text: str) -> list[tuple[str, str, int, int]]:
        """``The Economic Times (ET)``: capitalised words whose initials are the acronym."""
        found = []
        for m in re.finditer(r"\((?P<acr>[A-Z]{2,8})\)", text):
            acr = m.group("acr")
            words = list(TOKEN.finditer(text[: m.start()]))[-len(acr) :]
            if len(words) != len(acr) or not all(is_name_token(w.group()) or w.group() == "The" for w in words):
                continue
            if "".join(w.group()[0] for w in words) != acr:
                continue
            start = words[0].start()
            if text[start : start + 4] == "The ":
                continue  # "The X Y (TXY)" is rare; "The" is not part of a span
            found.append((acr, text[start : words[-1].end()], start, words[-1].end()))
        # "The Economic Times (ET)": initials of the words after "The"
        for m in re.finditer(
            r"\b[Tt]he\s+(?P<name>(?:[A-Z][\w’'-]*\s+){1,6}?[A-Z][\w’'-]*)\s+\((?P<acr>[A-Z]{2,8})\)", text
        ):
            name, acr = m.group("name"), m.group("acr")
            if "".join(w[0] for w in name.split()) == acr:
                found.append((acr, name, m.start("name"), m.end("name")))
        return found

    @staticmethod
    def _dates(text: str) -> list[Candidate]:
        found = []
        taken = []
        for d in find_dates(text):
            found.append(Candidate(d.start, d.end, d.iso or d.text, "DATE", "date", 1))
            taken.append((d.start, d.end))
        for m in _YEAR.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(Candidate(m.start(), m.end(), m.group(), "DATE", "date", 1))
        for m in after_boundary(_MONTH_ALONE, text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(Candidate(m.start(), m.end(), m.group(), "DATE", "date", 1))
        return found

    @staticmethod
    def _resolve(cands: list[Candidate]) -> list[Candidate]:
        """Longest spans first, then the stronger rule; no two mentions overlap."""
        chosen: list[Candidate] = []
        occupied: list[tuple[int, int]] = []
        for cand in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
            if cand.end <= cand.start:
                continue
            if any(cand.start < e and s < cand.end for s, e in occupied):
                continue
            chosen.append(cand)
            occupied.append((cand.start, cand.end))
        return sorted(chosen, key=lambda c: c.start)
