"""The reader's own marks on documents: highlights, notes, tags and bookmarks.

A package of its own beside ``core``, ``search`` and ``entities``: ``core`` turns files into
documents and never writes anything, while annotations are user state that change
often, live in their own store and are searched apart from the document index.
Nothing here imports Textual or Rich.
"""

from .model import Annotation, TextQuote
from .store import AnnotationStore

__all__ = ["Annotation", "AnnotationStore", "TextQuote"]
