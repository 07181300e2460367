"""Full-text search over a library.  Whoosh is used only inside this package;
callers get the plain objects of ``results``."""

from .index import IndexBusy, IndexDiskFull, IndexError_, LibraryIndex
from .results import IndexReport, SearchHit, SearchResults, Snippet

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
