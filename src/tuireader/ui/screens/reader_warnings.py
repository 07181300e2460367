"""What the reader says about a document's warnings (ParseWarning): one status line with the
most telling one, a badge on the article's border while it is open, the full list on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.model import Document, ParseWarning

if TYPE_CHECKING:
    from .reader import ReaderScreen

# What the reader says first: a file decoded the wrong way is worth knowing before a note
# that is never cited.
_WARNING_ORDER = ("encoding", "wrong-suffix", "sidecar", "front-matter")


def warnings_line(warnings: list[ParseWarning]) -> str:
    """One status line for a document's warnings: the most telling one, and how many more."""
    first = min(
        warnings, key=lambda w: _WARNING_ORDER.index(w.code) if w.code in _WARNING_ORDER else len(_WARNING_ORDER)
    )
    more = f" · +{len(warnings) - 1} more (palette: Document warnings)" if len(warnings) > 1 else ""
    return f"⚠ {first.message}{more}"


def warnings_badge(doc: Document) -> str:
    """For the article's border (markup): stays while the document is open."""
    count = len(doc.warnings)
    return f"  [b]⚠ {count} warning{'s' if count > 1 else ''}[/b]" if count else ""


def show_warnings(screen: ReaderScreen) -> None:
    """Every warning of the open document, listed (the palette's "Document warnings")."""
    doc = screen.document
    if doc is None or not doc.warnings:
        screen.notify("This document opened without warnings.", markup=False)
        return
    lines = [f"• {w.message}" for w in doc.warnings[:12]]
    if len(doc.warnings) > 12:
        lines.append(f"… and {len(doc.warnings) - 12} more (tuireader check)")
    screen.reader_app.notify_listing("Document warnings", lines)
