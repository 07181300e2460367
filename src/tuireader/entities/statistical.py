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

from collections import Counter
from dataclasses import replace
from typing import Any

from ..core.model import Document
from .extract import BODY, EntityExtractor, Mention, document_units

LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
LABELS["NORP"] = "GROUP"


def _looks_like_a_name(text: str) -> bool:
    """What the small model tags that no name looks like: a lower-case start ("senate",
    "national news agency"), digits ("Pusan 0 2 1 3", "182nd"), a run of capitals of
    several words (a headline's)."""
    words = text.split()
    if not words or not text[0].isupper() or any(c.isdigit() for c in text):
        return False
    return not (len(words) > 1 and text.isupper())


def _weak(text: str, etype: str) -> bool:
    """The small model's guesses that are wrong more often than right (counted on the first
    half of CoNLL-2003's development split): a person named by one word (a surname alone is
    the rules' to give, once the document names the person in full: 41 right of 94), and an
    organisation of several words (mostly events and series, "PGA Tour", or pieces of a
    longer name: 12 right of 34)."""
    several = " " in text
    return (etype == "PERSON" and not several) or (etype == "ORG" and several)


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


class ModelError(RuntimeError):
    """The model cannot be used: spaCy is missing or the pipeline cannot be loaded."""


def load_model(name: str) -> Any:
    try:
        import spacy
    except ImportError:
        raise ModelError("entities.model is set but spaCy is not installed: pip install 'tuireader[ner]'") from None
    try:
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
        taken: dict[tuple[str, int, str], list[tuple[int, int]]] = {}
        for m in mentions:
            taken.setdefault((m.part, m.block, m.note), []).append((m.start, m.end))
        units = document_units(doc)
        rules_type = {m.text: m.type for m in mentions}  # what the rules made of a surface, here or elsewhere
        added: list[Mention] = []
        for unit, parsed in zip(units, self.nlp.pipe(u.text for u in units), strict=True):
            spans = taken.get((unit.part, unit.block, unit.note), [])
            for ent in parsed.ents:
                etype = LABELS.get(ent.label_)
                start, end = ent.start_char, ent.end_char
                text = unit.text[start:end]
                if text.startswith(("the ", "The ")):  # OntoNotes spans keep the article: ours do not
                    start, text = start + 4, text[4:]
                for suffix in ("'s", "’s"):  # nor a possessive
                    if text.endswith(suffix):
                        end, text = end - len(suffix), text[: -len(suffix)]
                if etype is None or not _looks_like_a_name(text) or any(start < e and s < end for s, e in spans):
                    continue
                entry = self.base.gazetteer.lookup(text)
                if entry is None and text not in rules_type and _weak(text, etype):
                    continue
                canonical, etype = (entry.name, entry.type) if entry else (text, rules_type.get(text, etype))
                if etype == "DATE":
                    continue
                s0, s1 = unit.content.source_span(start, end)
                added.append(
                    Mention(unit.block, start, end, text, canonical, etype, s0, s1, "model", unit.part, unit.note)
                )
        added = _one_type_per_name(added)
        order = {(u.part, u.block, u.note): i for i, u in enumerate(units)}
        return sorted(mentions + added, key=lambda m: (order.get((m.part, m.block, m.note), 0), m.start))
