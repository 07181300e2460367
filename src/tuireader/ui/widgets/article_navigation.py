"""Moving through the article's footnote markers (``]``, ``[``, enter) and its search
hits: a current marker and a current hit, and scrolling to them."""

from __future__ import annotations

from .article_layout import marker_label
from .article_lines import ArticleLines


class ArticleNavigation(ArticleLines):
    """The current footnote marker and the current hit of an article."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: list[tuple[int, int, int]] = []  # (block, start char, end char)
        self.current_hit: int | None = None

    def _note_requested(self, key: str, ref_index: int) -> None:
        """The reader asked for the note behind marker ``ref_index`` (the view posts a message)."""
        raise NotImplementedError

    def go_to_ref(self, index: int, *, scroll: bool = True) -> None:
        if not self.refs:
            return
        self.current_ref = max(0, min(index, len(self.refs) - 1))
        self._invalidate()
        if scroll:
            place = self.refs[self.current_ref]
            self.ensure_line_visible(self._line_of(place.block, place.display_start))

    def ref_index_for(self, block: int, at: int, key: str) -> int | None:
        places = self.refs.in_block(block)
        for place in places:
            if place.key == key:
                layout = self._layouts[block]
                if layout.display(at) >= place.display_start - len(marker_label(place.label)) - 1:
                    return place.index
        for place in places:
            if place.key == key:
                return place.index
        return None

    def go_to_citation(self, block: int, at: int, key: str) -> None:
        """Select the marker citing note ``key`` at (block, at), show it, and take the focus."""
        index = self.ref_index_for(block, at, key)
        if index is not None:
            self.go_to_ref(index, scroll=False)
            self.scroll_to_line(self.line_of_char(block, at))
        self.focus()

    def _first_ref_in_view(self) -> int | None:
        first, last = self.visible_line_range()
        for place in self.refs_in_lines(first, last):
            return place.index
        return None

    def action_next_marker(self) -> None:
        if not self.refs:
            self.app.bell()
            return
        if self.current_ref is None or not self._ref_in_view(self.current_ref):
            start = self._first_ref_in_view()
            self.go_to_ref(start if start is not None else 0)
        elif self.current_ref + 1 < len(self.refs):
            self.go_to_ref(self.current_ref + 1)
        else:
            self.app.bell()

    def action_previous_marker(self) -> None:
        if not self.refs:
            self.app.bell()
            return
        if self.current_ref is None or not self._ref_in_view(self.current_ref):
            start = self._first_ref_in_view()
            self.go_to_ref(start if start is not None else len(self.refs) - 1)
        elif self.current_ref > 0:
            self.go_to_ref(self.current_ref - 1)
        else:
            self.app.bell()

    def _ref_in_view(self, index: int) -> bool:
        place = self.refs[index]
        first, last = self.visible_line_range()
        return first <= self._line_of(place.block, place.display_start) < last

    def action_open_marker(self) -> None:
        if self.current_ref is None:
            self.action_next_marker()
        if self.current_ref is not None:
            place = self.refs[self.current_ref]
            self._note_requested(place.key, place.index)

    # ------------------------------------------------------------- hits
    def _scroll_to_hit(self, index: int) -> None:
        b, s, _ = self.hits[index]
        self.ensure_line_visible(self.line_of_char(b, s))
        self._invalidate()

    def go_to_hit(self, index: int) -> None:
        if not self.hits:
            return
        self.current_hit = index % len(self.hits)
        self._scroll_to_hit(self.current_hit)

    def clear_current_hit(self) -> None:
        self.current_hit = None
        self._invalidate()
