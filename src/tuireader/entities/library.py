"""Entities for a library: the merged gazetteers."""

from __future__ import annotations

from pathlib import Path

from ..core.library import GAZETTEER_FILE
from .extract import EntityExtractor
from .gazetteer import load_gazetteers


def extractor_for(library_root: Path, user_gazetteer: Path | None) -> tuple[EntityExtractor, list[str]]:
    """General gazetteer, then the library's entities.yaml, then the user's."""
    paths = [library_root / GAZETTEER_FILE]
    if user_gazetteer is not None:
        paths.append(user_gazetteer)
    gazetteer, problems = load_gazetteers(paths)
    return EntityExtractor(gazetteer), problems
