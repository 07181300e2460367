"""Back/forward navigation, like a browser, across documents."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class Location:
    doc_id: str
    offset: int  # source offset of the first line in view
    note: str | None = None  # a footnote key focused at this place, if any
    ref: int | None = None  # the footnote marker selected in the text, if any


class History:
    def __init__(self) -> None:
        self._back: list[Location] = []
        self._forward: list[Location] = []

    def visit(self, leaving: Location | None) -> None:
        """Called before a jump, with where the reader is leaving from (None: nothing was open)."""
        if leaving is None or (self._back and self._back[-1] == leaving):
            return
        self._back.append(leaving)
        del self._back[:-MAX_ENTRIES]
        self._forward.clear()

    def back(self, current: Location) -> Location | None:
        if not self._back:
            return None
        self._forward.append(current)
        return self._back.pop()

    def forward(self, current: Location) -> Location | None:
        if not self._forward:
            return None
        self._back.append(current)
        return self._forward.pop()

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)
