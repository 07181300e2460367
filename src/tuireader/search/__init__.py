"""Full-text search over a library.  Whoosh is used only inside this package;
callers get the plain objects of ``results``."""

from .index import IndexBusy, IndexError_, LibraryIndex
from .results import IndexReport, SearchHit, SearchResults, Snippet

__all__ = [
    "IndexBusy", "IndexError_", "IndexReport", "LibraryIndex", "SearchHit", "SearchResults", "Snippet",
]
