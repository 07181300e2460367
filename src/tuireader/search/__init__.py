"""Full-text search over a library, behind one protocol (``backend.py``); Whoosh is used only
inside ``search/whoosh/``.  Callers get the library index and the plain objects of ``results``."""

from ..catalog.report import IndexReport
from ..catalog.store import IndexBusy, IndexDiskFull, IndexError_
from .index import LibraryIndex
from .results import SearchHit, SearchResults, Snippet

__all__ = [
    "IndexBusy",
    "IndexDiskFull",
    "IndexError_",
    "IndexReport",
    "LibraryIndex",
    "SearchHit",
    "SearchResults",
    "Snippet",
]
