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

from typing import Any

from ..core.model import Document
from .extract import BODY, EntityExtractor, Mention, document_units

LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
LABELS["NORP"] = "GROUP"


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
        added: list[Mention] = []
        for unit, parsed in zip(units, self.nlp.pipe(u.text for u in units), strict=True):
            spans = taken.get((unit.part, unit.block, unit.note), [])
            for ent in parsed.ents:
                etype = LABELS.get(ent.label_)
                start, end = ent.start_char, ent.end_char
                text = unit.text[start:end]
                if text.startswith(("the ", "The ")):  # OntoNotes spans keep the article: ours do not
                    start, text = start + 4, text[4:]
                if etype is None or not text.strip() or any(start < e and s < end for s, e in spans):
                    continue
                entry = self.base.gazetteer.lookup(text)
                canonical, etype = (entry.name, entry.type) if entry else (text, etype)
                s0, s1 = unit.content.source_span(start, end)
                added.append(
                    Mention(unit.block, start, end, text, canonical, etype, s0, s1, "model", unit.part, unit.note)
                )
        order = {(u.part, u.block, u.note): i for i, u in enumerate(units)}
        return sorted(mentions + added, key=lambda m: (order.get((m.part, m.block, m.note), 0), m.start))
