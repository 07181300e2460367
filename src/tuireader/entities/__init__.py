"""Entities: people, organisations, places, groups and dates in documents.  Plain Python."""

from .extract import EntityExtractor, Mention
from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteers

__all__ = ["EntityExtractor", "Gazetteer", "GazetteerEntry", "Mention", "load_gazetteers"]
