"""What the palette offers over the reading screen: its verbs (with the keys bound to them now),
the open document's entities and notes, the library's documents, and "page 12" of a paged one."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..commands import PaletteCommand, key_hint
from .reader_warnings import show_warnings

if TYPE_CHECKING:
    from .reader import ReaderScreen

# (name, action on the screen or the app, help, binding id)
VERBS = (
    ("Search the library", "action_search", "Search all documents", "app.search"),
    ("Find in this document", "action_find", "Search this document, notes included", "app.find"),
    ("Toggle library pane", "action_toggle_library", "Show or hide the document list", "app.toggle_library"),
    ("Toggle footnotes panel", "action_toggle_notes", "Show or hide the notes", "app.toggle_notes"),
    ("Back", "action_history_back", "Go back to where you were", "app.back"),
    ("Forward", "action_history_forward", "Go forward again", "app.forward"),
    ("Timeline of the library", "action_timeline", "Documents by date or period, grouped", "app.timeline"),
    ("Keys and help", "app.action_help", "Every key and its id", "app.help"),
    ("Switch theme", "app.action_change_theme", "Light, dark and more", None),
    ("Entities: change highlighting", "action_cycle_entities", "All, one type, or none", "app.entity_highlight"),
    ("Entities: show the list", "action_toggle_entity_panel", "People, organisations, places…", "app.entity_panel"),
    ("Compare with…", "action_compare", "Two documents side by side", "app.compare"),
    ("Related documents", "action_related", "The library documents most like this one", "app.related"),
)


def reader_commands(screen: ReaderScreen) -> list[PaletteCommand]:
    keymap = screen.reader_app.settings.keys
    commands = []
    for name, action, help_text, binding_id in VERBS:
        owner, _, method = action.rpartition(".")
        callback = getattr(screen.app if owner == "app" else screen, method)
        commands.append(
            PaletteCommand(name, callback, help_text, key_hint(screen.app, keymap, binding_id) if binding_id else "")
        )
    commands.extend(
        PaletteCommand(name, callback, help_text) for name, callback, help_text in screen.annotator.commands()
    )
    problems = screen.reader_app.problems
    commands.append(
        PaletteCommand(
            "Problems", screen.reader_app.show_problems, f"{len(problems) or 'none'} since the reader started"
        )
    )
    if screen.document is not None and screen.document.warnings:
        count = len(screen.document.warnings)
        commands.append(PaletteCommand("Document warnings", partial(show_warnings, screen), f"{count} for this file"))
    pane = screen.pane
    seen = set()
    for m in pane.mentions:
        if m.canonical not in seen and m.type != "DATE":
            seen.add(m.canonical)
            commands.append(
                PaletteCommand(f"Entity: {m.canonical}", partial(screen.select_entity, m.canonical), m.type)
            )
    doc = pane.document
    for note in doc.footnotes if doc is not None else []:
        preview = note.text.replace("\n", " ")[:60] if note.defined else "(no definition)"
        commands.append(PaletteCommand(f"Go to footnote {note.label}", partial(pane.go_to_note, note.key), preview))
    for item in screen.library_items:
        commands.append(
            PaletteCommand(f"Open: {item.listed_title}", partial(screen.open_document, item.id), item.date or item.id)
        )
    return commands


def page_command(screen: ReaderScreen, page: int) -> PaletteCommand | None:
    """ "page 12" typed in the palette: that page of a paged document."""
    doc = screen.document
    if doc is None or not doc.page_count:
        return None
    help_text = f"of {doc.page_count}" if page <= doc.page_count else f"only {doc.page_count} pages"
    return PaletteCommand(f"Go to page {page}", partial(go_to_page, screen, page), help_text)


def go_to_page(screen: ReaderScreen, page: int) -> None:
    doc = screen.document
    start = doc.page_start(page) if doc is not None else None
    if start is None:
        screen.notify(f"There is no page {page} in this document.", severity="warning", markup=False)
        return
    screen.pane.visit()
    screen.pane.article.scroll_to_source(start, top=True)
    screen.pane.article.focus()
