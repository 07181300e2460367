"""Command palette: the reader's verbs, documents to open and notes to go to.

Titles and note texts come from documents, so they are shown as plain rich
``Text`` and escaped help: Textual renders palette strings as markup, and a
title like ``[@click=app.quit]x[/]`` must stay text."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .literal import literal_markup

if TYPE_CHECKING:
    from .app import ReaderApp


# "page 12", "go to page 12", "p 12", "p. 12": a paged document's page, typed in the palette
_PAGE_QUERY = re.compile(r"^\s*(?:go\s*to\s*)?(?:page|p\.?)\s*(\d{1,5})\s*$", re.IGNORECASE)


def highlight(query: str, candidate: str) -> Text:
    """``candidate`` as plain text with the letters of ``query`` found in order made bold."""
    text = Text(candidate, end="")
    pos = 0
    lowered = candidate.casefold()
    for ch in query.casefold():
        if ch.isspace():
            continue
        found = lowered.find(ch, pos)
        if found < 0:
            break
        text.stylize("bold underline", found, found + 1)
        pos = found + 1
    return text


class ReaderCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        app: ReaderApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, object, str]] = [
            ("Search the library", app.action_search, "Search all documents (/)"),
            ("Find in this document", app.action_find, "Search this document, notes included (ctrl+f)"),
            ("Toggle library pane", app.action_toggle_library, "Show or hide the document list (l)"),
            ("Toggle footnotes panel", app.action_toggle_notes, "Show or hide the notes (f)"),
            ("Back", app.action_history_back, "Go back to where you were (backspace)"),
            ("Forward", app.action_history_forward, "Go forward again (alt+right)"),
            ("Timeline of the library", app.action_timeline, "Documents by date or period, grouped (T)"),
            ("Keys and help", app.action_help, "Every key and its id (?)"),
            ("Switch theme", app.action_change_theme, "Light, dark and more"),
        ]
        commands.extend(app.extra_commands())
        doc = app.document
        if doc is not None:
            for note in doc.footnotes:
                preview = note.text.replace("\n", " ")[:60] if note.defined else "(no definition)"
                commands.append((f"Go to footnote {note.label}", partial(app.go_to_note, note.key), preview))
        for item in app.library_items:
            commands.append((f"Open: {item.title}", partial(app.open_document, item.id), item.date or item.id))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands()[:12]:
            yield DiscoveryHit(Text(name), callback, text=name, help=literal_markup(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        doc = app.document
        asked = _PAGE_QUERY.search(query)
        if doc is not None and doc.page_count and asked:
            page = int(asked.group(1))
            name = f"Go to page {page}"
            help_text = f"of {doc.page_count}" if page <= doc.page_count else f"only {doc.page_count} pages"
            yield Hit(1.0, Text(name), partial(app.go_to_page, page), text=name, help=help_text)  # type: ignore[arg-type]
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    highlight(query, name),
                    callback,
                    text=name,  # type: ignore[arg-type]
                    help=literal_markup(help_text),
                )
