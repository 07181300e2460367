"""What the reader and each side of the compare screen do alike with an article and its notes."""

from __future__ import annotations

from ..state.history import Location
from .widgets.article import ArticleView
from .widgets.notes import NotesPanel


def location_in(doc_ref: str, article: ArticleView, notes: NotesPanel, focused: object) -> Location:
    """Where the reader is: the top of the article, and the current note when the notes have the focus."""
    note = notes.current_key if focused is notes else None
    return Location(doc_ref, article.top_source_offset(), note, article.current_ref)


def restore_in_place(article: ArticleView, notes: NotesPanel, location: Location) -> None:
    """Back to a place in the document already shown: its scroll position, then its note or marker."""
    article.scroll_to_source(location.offset, top=True)
    if location.note:
        notes.focus_note(location.note)
    else:
        if location.ref is not None:
            article.go_to_ref(location.ref, scroll=False)
        article.focus()


def citation_place(notes: NotesPanel, key: str, citation: int) -> tuple[int, int] | None:
    """(block, position) of a note's citation number ``citation`` (cycling), or None if it is not cited."""
    note = notes.note(key)
    if note is None or not note.cited_at:
        return None
    return note.cited_at[citation % len(note.cited_at)]
