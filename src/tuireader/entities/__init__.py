"""Entities: people, organisations, places, groups and dates in documents.  Plain Python.

The names below load on first use: ``entities.model`` (the types the index and the reader
share) must not bring in the extractor's automaton and rules with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import EntityExtractor, Mention
    from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteers

__all__ = ["EntityExtractor", "Gazetteer", "GazetteerEntry", "Mention", "load_gazetteers"]
_HOME = {
    "EntityExtractor": "extract",
    "Mention": "extract",
    "Gazetteer": "gazetteer",
    "GazetteerEntry": "gazetteer",
    "load_gazetteers": "gazetteer",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_HOME[name]}", __name__), name)
