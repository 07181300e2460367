"""The status line under the reader: what just happened, or what stays true until there is news."""

from __future__ import annotations

import time

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static


class StatusLine(Static):
    def __init__(self, *, id: str | None = None, seconds: float = 6.0) -> None:
        super().__init__("", id=id, markup=False)
        self.seconds = seconds  # how long a passing message stays
        self.text = ""
        self.standing = ""  # what the line says when it has nothing newer to say
        self.about_document = ""  # true of the open document until another one is shown (it was deleted)
        self._timer: Timer | None = None
        # the open document's warnings: said for ``seconds`` even if other news (the index's) comes between
        self._document_text, self._document_until = "", 0.0

    @property
    def passing(self) -> bool:
        """A passing message is shown (it goes by itself)."""
        return self._timer is not None

    def say(self, text: str, *, passing: bool = False) -> None:
        """Show ``text``; a ``passing`` one goes after ``seconds`` or at the next news
        (one row of 24 is too dear for a stale line)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not text and time.monotonic() < self._document_until:
            text = self._document_text
        text = text or self.about_document or self.standing  # stays said until there is news
        self.text = text
        self.update(Text(text))
        self.display = bool(text)
        if passing and text:
            self._timer = self.set_timer(self.seconds, lambda: self.say(""))

    def document_changed(self) -> None:
        """Another document is shown: what was said about the last one stops being said."""
        if self.about_document:
            shown, self.about_document = self.text == self.about_document, ""
            if shown:
                self.say("")

    def say_for_document(self, text: str) -> None:
        """A passing message about the document just opened, kept through other passing news."""
        self._document_text, self._document_until = text, time.monotonic() + self.seconds
        self.say(text, passing=True)
