"""The optional statistical model (``pip install 'tuireader[ner]'``): a spaCy pipeline whose
entities fill what the gazetteer and the rules did not find.

    # ~/.config/tuireader/settings.yaml
    entities:
      model: en_core_web_sm      # a spaCy pipeline installed as a package, or a path to one

Merging: the rules' mentions stand; a model's mention is added only where it overlaps none
of them, typed onto our types (PERSON; ORG; GPE, LOC, FAC -> PLACE; NORP -> GROUP; other labels,
dates included, are left to the rules) and named by the gazetteer when it knows the text
(the gazetteer decides the canonical name). Without spaCy installed, ``load_model`` says so in
one line and everything works as without the extra.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import replace
from typing import Any

from ..core.model import Document
from .extract import (
    BODY,
    DATELINE_AFTER,
    PLACE_BEFORE,
    EntityExtractor,
    Mention,
    _Unit,
    document_units,
    in_capitals,
    is_nation,
    is_team,
)
from .organisations import CALENDAR_WORDS
from .people import TITLE_WORDS

LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
LABELS["NORP"] = "GROUP"
# Rules whose span was read from the words around it (a title, an outlet word): they know its boundary.
_CUE_RULES = frozenset({"title-cue", "outlet-cue"})
# Lower-case words inside a name: "Organisation for Security and Cooperation", "Kengo wa Dondo".
_PARTICLES = frozenset(
    {
        "of",
        "for",
        "and",
        "the",
        "de",
        "del",
        "da",
        "do",
        "dos",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "di",
        "wa",
        "al",
        "el",
        "bin",
        "ibn",
        "&",
    }
)


def _trim(text: str, start: int, end: int) -> tuple[int, int, str]:
    """OntoNotes spans keep a leading article and a possessive: ours do not."""
    span = text[start:end]
    if span.startswith(("the ", "The ")):
        start, span = start + 4, span[4:]
    for suffix in ("'s", "’s", "'", "’"):
        if span.endswith(suffix):
            end, span = end - len(suffix), span[: -len(suffix)]
            break
    return start, end, span


# Where one of the model's spans holds two names: a comma, a bracket, a lower-case word that no
# name has inside it ("I. Healy c Ranatunga", "Vaas, Muralitharan", "A. Ranatunga lbw").
_SPLIT = re.compile(r"\s*[,;()\[\]]\s*|\s+(?=[a-z])\S+\s*|\s+(?=[a-z])\S+$")


# What puts a one-word name the model took for an organisation or a people in a place.
_AT_A_PLACE = re.compile(r"\b(?:in|at|near|from|In|At)\s+$")


# Lower-case words that are no particle but stand inside a name the model found whole:
# "Organisation for Security and Cooperation in Europe", "Council on Foreign Relations".
_INSIDE_NAMES = frozenset({"in", "on"})


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The model's span cut where it runs over what no name holds (see ``_SPLIT``); a
    particle ("of", "van", "al") stays inside, a weekday or month at either end goes."""
    pieces: list[tuple[int, int]] = []
    at = start
    for m in _SPLIT.finditer(text, start, end):
        word = m.group().strip(" ,;()[]")
        if word in _PARTICLES or word in _INSIDE_NAMES:
            continue
        if m.start() > at:
            pieces.append((at, m.start()))
        at = m.end()
    if at < end:
        pieces.append((at, end))
    out = []
    for a, b in pieces:
        words = text[a:b].split(" ")
        while words and words[-1] in CALENDAR_WORDS:
            b -= len(words.pop()) + 1
        while words and words[0] in CALENDAR_WORDS:
            a += len(words.pop(0)) + 1
        if words and b > a:
            out.append((a, b))
    return out


def _looks_like_a_name(text: str) -> bool:
    """What the small model tags that no name looks like: a lower-case start ("senate",
    "national news agency"), digits ("Pusan 0 2 1 3", "182nd"), a run of capitals of
    several words (a headline's)."""
    words = text.split()
    if not words or not text[0].isupper() or any(c.isdigit() for c in text):
        return False
    return not (len(words) > 1 and text.isupper())


def _weak(text: str, etype: str) -> bool:
    """A guess left out unless the gazetteer or the rules know the name: a person named by one
    word. A surname alone is the rules' to give, once the document names the person in full;
    counted on CoNLL-2003's development split, the model's one-word persons that nothing else
    found were right 109 times of 200 (en_core_web_md) and 41 of 94 (the first half, the small
    model): kept, they cost more precision than they bring recall. Its organisations of several
    words are kept since the medium model: 73 right of 105."""
    return etype == "PERSON" and " " not in text


def _one_type_per_name(added: list[Mention]) -> list[Mention]:
    """A name the model typed two ways in one document (``Surrey`` a person here, an
    organisation there) keeps the type it was given most often, throughout."""
    votes: dict[str, Counter[str]] = {}
    for m in added:
        votes.setdefault(m.text, Counter())[m.type] += 1
    kept = []
    for m in added:
        etype = votes[m.text].most_common(1)[0][0]
        kept.append(m if m.type == etype else replace(m, type=etype))
    return kept


_PROPAGATED = frozenset({"PERSON"})
_NAME_END = re.compile(r"[\w’'-]")


def _elsewhere(units: list[_Unit], taken: list[Mention], added: list[Mention]) -> list[Mention]:
    """The model's names where it did not see them again: a name it found once is that name
    at each other place the document writes it, where nothing else was found."""
    names: dict[str, Mention] = {}
    for m in added:
        if m.type in _PROPAGATED:
            names.setdefault(m.text, m)
    if not names:
        return []
    occupied: dict[tuple[str, int, str], list[tuple[int, int]]] = {}
    for m in taken:
        occupied.setdefault((m.part, m.block, m.note), []).append((m.start, m.end))
    more: list[Mention] = []
    for unit in units:
        spans = occupied.setdefault((unit.part, unit.block, unit.note), [])
        for surface, like in names.items():
            at = unit.text.find(surface)
            while at >= 0:
                end = at + len(surface)
                if (
                    not (at and _NAME_END.match(unit.text, at - 1))
                    and not _NAME_END.match(unit.text, end)
                    and not any(at < b and a < end for a, b in spans)
                ):
                    s0, s1 = unit.content.source_span(at, end)
                    more.append(
                        replace(
                            like,
                            block=unit.block,
                            start=at,
                            end=end,
                            source_start=s0,
                            source_end=s1,
                            part=unit.part,
                            note=unit.note,
                        )
                    )
                    spans.append((at, end))
                at = unit.text.find(surface, end)
    return more


class ModelError(RuntimeError):
    """The model cannot be used: spaCy is missing or the pipeline cannot be loaded."""


def load_model(name: str) -> Any:
    try:
        import spacy
    except ImportError:
        raise ModelError(
            "spaCy is not installed, which the entities model needs: pip install 'tuireader[ner]'"
        ) from None
    try:
        with warnings.catch_warnings():
            # W095, a pipeline trained with another spaCy minor version: the PyPI re-upload of
            # en_core_web_md 3.7.1 under spaCy 3.8 scored what README says; the warning would
            # only be noise in every command's output
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            # the parser and lemmatizer are not needed for entities: a third of the time saved
            return spacy.load(name, exclude=["parser", "lemmatizer"])
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {name!r} ({exc.__class__.__name__}): "
            f"install it (python -m spacy download {name}) or fix entities.model"
        ) from None


class ModelExtractor:
    """The rules' extractor with a spaCy pipeline's entities merged in."""

    def __init__(self, base: EntityExtractor, model: str | Any) -> None:
        self.base = base
        self.nlp = load_model(model) if isinstance(model, str) else model

    def extract(self, doc: Document) -> list[Mention]:
        return [m for m in self.extract_all(doc) if m.part == BODY]

    def extract_all(self, doc: Document) -> list[Mention]:
        mentions = self.base.extract_all(doc)
        by_unit: dict[tuple[str, int, str], list[Mention]] = {}
        for m in mentions:
            by_unit.setdefault((m.part, m.block, m.note), []).append(m)
        units = document_units(doc)
        rules_type = {m.text: m.type for m in mentions}  # what the rules made of a surface, here or elsewhere
        added: list[Mention] = []
        replaced: set[int] = set()  # id() of the rules' mentions a longer name of the model's took over
        teams: set[str] = set()  # places the model found playing: a side, named after its town
        placed: set[int] = set()  # indices in added of those named as a place ("in Surrey")
        # ... and of one-word places nothing else knows, with no "in" or dateline: left out unless
        # the document names them so elsewhere, or they play (a side). Counted on eng.testa, such
        # places of en_core_web_md were right 45 times of 91 (teams, people in a list, "Titanic")
        unsure: set[int] = set()
        found: list[list[tuple[int, int, str]]] = []
        for unit, parsed in zip(units, self.nlp.pipe(u.text for u in units), strict=True):
            spans: list[tuple[int, int, str]] = []
            for ent in parsed.ents:
                etype = LABELS.get(ent.label_)
                if etype is not None:
                    start, end, _ = _trim(unit.text, ent.start_char, ent.end_char)
                    spans.extend((a, b, etype) for a, b in _pieces(unit.text, start, end))
            found.append(spans)
        # a person's name the document gives in full: each of its words alone is that person too
        # ("Jansher" after "Jansher Khan", "Xiao" after "Xiao Hongyu": not every name ends with the surname)
        named = {w for m in mentions if m.type == "PERSON" for w in m.text.split()[:1] if " " in m.text}
        named.update(
            w
            for unit, spans in zip(units, found, strict=True)
            for a, b, etype in spans
            if etype == "PERSON"
            for w in unit.text[a:b].split()
            if " " in unit.text[a:b]
        )
        for unit, spans in zip(units, found, strict=True):
            ours = by_unit.get((unit.part, unit.block, unit.note), [])
            capitals = None  # whether the unit is a line in capitals: worked out when needed
            for start, end, etype in spans:
                start, end, text = _trim(unit.text, start, end)
                if not _looks_like_a_name(text):
                    continue
                inside = [m for m in ours if start < m.end and m.start < end]
                entry = self.base.gazetteer.lookup(text)
                if inside:
                    if not self._repairs(unit.text, start, end, inside, entry):
                        continue
                    replaced.update(id(m) for m in inside)
                elif entry is not None and entry.type == "PLACE":
                    continue  # a place the rules saw and left out: a word of a longer name ("Cambridge United")
                elif entry is None and text not in rules_type:
                    if (
                        etype in ("ORG", "GROUP")
                        and " " not in text
                        and _AT_A_PLACE.search(unit.text, max(0, start - 8), start)
                    ):
                        etype = "PLACE"  # "in Huize county", "at Wembley": a name after "in" is where
                    if _weak(text, etype) and text not in named:
                        continue
                    if " " not in text and text.isupper():
                        if capitals is None:
                            capitals = in_capitals(unit.text)
                        if capitals:
                            continue  # "QUALIFIER", "EASTERN": in a line of capitals a word looks like a name
                canonical, etype = (entry.name, entry.type) if entry else (text, rules_type.get(text, etype))
                if etype == "PLACE" and (entry is None or not is_nation(entry)):
                    if is_team(unit.text, start, end):
                        teams.add(text)  # "Surrey 345 for 6": a side named after its county, as the rules read it
                    elif PLACE_BEFORE.search(unit.text, max(0, start - 6), start) or DATELINE_AFTER.match(
                        unit.text, end
                    ):
                        placed.add(len(added))  # "in Surrey": the county itself
                    elif entry is None and " " not in text:
                        unsure.add(len(added))
                if etype == "DATE":
                    continue
                s0, s1 = unit.content.source_span(start, end)
                added.append(
                    Mention(unit.block, start, end, text, canonical, etype, s0, s1, "model", unit.part, unit.note)
                )
        added = _one_type_per_name(added)
        placed_names = {added[i].text for i in placed}
        added = [
            replace(m, type="ORG") if m.text in teams and m.type == "PLACE" and i not in placed else m
            for i, m in enumerate(added)
            if not (i in unsure and m.type == "PLACE" and m.text not in teams and m.text not in placed_names)
        ]
        kept = [m for m in mentions if id(m) not in replaced]
        added += _elsewhere(units, kept + added, added)
        order = {(u.part, u.block, u.note): i for i, u in enumerate(units)}
        return sorted(kept + added, key=lambda m: (order.get((m.part, m.block, m.note), 0), m.start))

    def _repairs(self, text: str, start: int, end: int, inside: list[Mention], entry: object) -> bool:
        """Whether the model's span is a longer name around the rules' shorter ones, which it then
        replaces: "Naina Yeltsin" around the learned surname, "U.S. Treasury Department" around
        "Treasury Department", "Old Trafford" around the town. Only when every rules' mention it
        overlaps lies inside it and every word of it is a name's (a title, a month or a lower-case
        word at either end says the rules' boundary is the right one)."""
        if any(m.start < start or m.end > end for m in inside) or all(
            m.start == start and m.end == end for m in inside
        ):
            return False
        if any(m.rule in _CUE_RULES for m in inside):
            return False  # a cue's span was read from the text around it: it knows its boundary
        words = text[start:end].split()
        if len(words) < 2 or not (words[0][:1].isupper() and words[-1][:1].isupper()):
            return False
        if any(w in TITLE_WORDS or w in CALENDAR_WORDS for w in words[:1]):
            return False
        if any(c in text[start:end] for c in ',;()"') or "'s " in text[start:end] or "’s " in text[start:end]:
            return False
        return all(w[:1].isupper() or w in _PARTICLES for w in words)
