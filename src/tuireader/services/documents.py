"""A reference (a document id, a path, a file name) resolved and parsed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.formats import format_for, parse_file
from ..core.library import Library, LibraryDocument
from ..core.model import Document


class NoSuchDocument(LookupError):
    """Nothing in the library and no file answers to the reference."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref


class UnsupportedFile(NoSuchDocument):
    """The reference is a file outside the library of a type no format reads."""


@dataclass(frozen=True, slots=True)
class OpenedDocument:
    document: Document
    ref: str  # what names it from now on: its id in the library, else the file's resolved path
    entry: LibraryDocument | None  # None: a file outside the library

    @property
    def library_id(self) -> str | None:
        """The id the index knows it by (None for a file outside the library)."""
        return self.entry.id if self.entry is not None else None


def resolve(library: Library, ref: str) -> tuple[LibraryDocument | None, Path]:
    """The library's document for ``ref`` (by id, path or file name), else a readable file."""
    entry = library.find(ref)
    if entry is not None:
        return entry, entry.path
    path = Path(ref).expanduser()
    if path.is_file():
        if format_for(path) is None:
            raise UnsupportedFile(ref)
        return None, path
    raise NoSuchDocument(ref)


def open_document(library: Library, ref: str) -> OpenedDocument:
    """Resolve and parse; a file that cannot be read raises DocumentError (its one-line message)."""
    return open_resolved(library, *resolve(library, ref))


def open_resolved(library: Library, entry: LibraryDocument | None, path: Path) -> OpenedDocument:
    """Parse what ``resolve`` found."""
    if entry is not None:
        return OpenedDocument(library.parse(entry), entry.id, entry)
    return OpenedDocument(parse_file(path, options=library.parse_options), str(path.resolve()), None)
