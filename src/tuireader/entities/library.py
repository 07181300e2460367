"""Entities for a library: the merged gazetteers, and what the index stores per document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..core.library import GAZETTEER_FILE
from ..core.model import Document
from .extract import BODY, EntityExtractor, Mention
from .gazetteer import load_gazetteers

INDEXED_TYPES = ("PERSON", "ORG", "PLACE", "GROUP")


def extractor_for(library_root: Path, user_gazetteer: Path | None) -> tuple[EntityExtractor, list[str]]:
    """General gazetteer, then the library's entities.yaml, then the user's."""
    paths = [library_root / GAZETTEER_FILE]
    if user_gazetteer is not None:
        paths.append(user_gazetteer)
    gazetteer, problems = load_gazetteers(paths)
    return EntityExtractor(gazetteer), problems


def summary(mentions: list[Mention]) -> dict[str, list[Any]]:
    """canonical name -> [type, mention count] (dates left out: they are not things to navigate by)."""
    counts = Counter((m.canonical, m.type) for m in mentions if m.type in INDEXED_TYPES)
    return {name: [etype, n] for (name, etype), n in counts.most_common()}


def index_fields(extractor: EntityExtractor, doc: Document) -> dict[str, Any]:
    mentions = extractor.extract_all(doc)  # title and notes too: person:lavrov finds a name cited in a note
    by_type: dict[str, set[str]] = {t: set() for t in INDEXED_TYPES}
    for m in mentions:
        if m.type in by_type:
            by_type[m.type].add(m.canonical)
            by_type[m.type].add(m.text)  # so org:CSTO finds the Collective Security Treaty Organization
    fields: dict[str, Any] = {
        "entity": " ; ".join(sorted(by_type["PERSON"] | by_type["ORG"] | by_type["PLACE"] | by_type["GROUP"])),
        "person": " ; ".join(sorted(by_type["PERSON"])),
        "org": " ; ".join(sorted(by_type["ORG"])),
        "place": " ; ".join(sorted(by_type["PLACE"])),
        "group": " ; ".join(sorted(by_type["GROUP"])),
        "entity_keys": ",".join(sorted({m.canonical.replace(",", " ") for m in mentions if m.type in INDEXED_TYPES})),
        "entity_data": [(m.block, m.start, m.end, m.canonical, m.type) for m in mentions if m.part == BODY],
        # Outside the body: (part, note key, start in that part's text, end, canonical, type).
        "entity_parts": [(m.part, m.note, m.start, m.end, m.canonical, m.type) for m in mentions if m.part != BODY],
    }
    return fields
