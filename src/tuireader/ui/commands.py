"""Command palette: what the current screen offers (its verbs, documents to open, notes to go to).

A screen lists its commands with ``palette_commands()`` (and ``palette_page(n)`` for "page 12"
typed in the palette); the key shown beside a command comes from its binding id, through the
user's keymap, so a remapped key is shown as it now is.

Titles and note texts come from documents, so they are shown as plain rich ``Text`` and escaped
help: Textual renders palette strings as markup, and a title like ``[@click=app.quit]x[/]`` must
stay text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .literal import literal_markup
from .screens.help import key_label

# "page 12", "go to page 12", "p 12", "p. 12": a paged document's page, typed in the palette
_PAGE_QUERY = re.compile(r"^\s*(?:go\s*to\s*)?(?:page|p\.?)\s*(\d{1,5})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    name: str
    callback: Callable[[], Any]
    help: str
    key: str = ""  # the key that does the same, shown after the help

    @property
    def help_text(self) -> str:
        return f"{self.help} ({self.key})" if self.key else self.help


@runtime_checkable
class OffersCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...

    def palette_page(self, page: int) -> PaletteCommand | None: ...


def key_hint(app: App[Any], keymap: dict[str, str], binding_id: str) -> str:
    """The keys bound to ``binding_id`` now: the user's keymap, else the binding's own keys."""
    if binding_id in keymap:
        return key_label(keymap[binding_id])
    for node in (app.screen_stack[0] if app.screen_stack else None, app):
        for binding in getattr(node, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return key_label(binding.key)
    return ""


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


class ScreenCommands(Provider):
    """Asks the screen the palette was opened over what it can do."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        return screen.palette_commands() if isinstance(screen, OffersCommands) else []

    async def discover(self) -> Hits:
        for command in self._commands()[:12]:
            yield DiscoveryHit(
                Text(command.name), command.callback, text=command.name, help=literal_markup(command.help_text)
            )

    async def search(self, query: str) -> Hits:
        screen = self.screen
        asked = _PAGE_QUERY.search(query)
        if asked and isinstance(screen, OffersCommands):
            page = screen.palette_page(int(asked.group(1)))
            if page is not None:
                yield Hit(1.0, Text(page.name), page.callback, text=page.name, help=page.help_text)
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    highlight(query, command.name),
                    command.callback,
                    text=command.name,
                    help=literal_markup(command.help_text),
                )
