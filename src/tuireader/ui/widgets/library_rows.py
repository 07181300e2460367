"""The library list's rows: every document in both sort orders, and the filter as you type.

Built once per catalog (off the UI thread: sorting and folding 100,000 titles takes a few
hundred milliseconds); a keystroke then costs one pass of ``in`` over folded strings, and
a longer needle only looks through what the shorter one matched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from ...core.library import LibraryDocument

SORTS = ("date", "title")
NARROWED_KEPT = 16  # needles whose matches are kept to narrow from (typing, then backspace)


def _by_date(items: list[LibraryDocument]) -> list[LibraryDocument]:
    # newest first, by title within a day; undated last.  Two stable sorts, not a composed key.
    dated = sorted((i for i in items if i.date), key=lambda i: i.listed_title)
    dated.sort(key=lambda i: i.date, reverse=True)  # type: ignore[arg-type, return-value]
    return dated + sorted((i for i in items if not i.date), key=lambda i: i.listed_title)


def haystack(item: LibraryDocument) -> str:
    """What the filter looks in: title, byline, date and id, case-folded."""
    return f"{item.listed_title} {item.byline} {item.date or ''} {item.id}".casefold()


class Matches(Sequence[LibraryDocument]):
    """The rows a needle matched, in the list's order, without copying the documents."""

    def __init__(self, ordered: list[LibraryDocument], positions: list[int] | None) -> None:
        self._ordered = ordered
        self.positions = positions  # None: every row

    def __len__(self) -> int:
        return len(self._ordered) if self.positions is None else len(self.positions)

    @overload
    def __getitem__(self, index: int) -> LibraryDocument: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[LibraryDocument]: ...
    def __getitem__(self, index: int | slice) -> LibraryDocument | Sequence[LibraryDocument]:
        if self.positions is None:
            return self._ordered[index]
        if isinstance(index, slice):
            return [self._ordered[p] for p in self.positions[index]]
        return self._ordered[self.positions[index]]

    def __iter__(self) -> Iterator[LibraryDocument]:
        if self.positions is None:
            return iter(self._ordered)
        return (self._ordered[p] for p in self.positions)


class LibraryRows:
    """The documents of a catalog ready to list: sorted both ways, folded for the filter."""

    def __init__(self, items: list[LibraryDocument]) -> None:
        self.items = items
        by_date = _by_date(items)
        by_title = sorted(items, key=lambda i: i.listed_title.casefold())
        self._ordered = {"date": by_date, "title": by_title}
        folded = {id(item): haystack(item) for item in items}
        self._folded = {sort: [folded[id(item)] for item in rows] for sort, rows in self._ordered.items()}
        self._narrowed: dict[tuple[str, str], list[int]] = {}

    def __len__(self) -> int:
        return len(self.items)

    def filter(self, needle: str, sort: str) -> Matches:
        """The rows whose title, byline, date or id hold every word of ``needle`` (case-folded)."""
        ordered = self._ordered[sort]
        words = needle.casefold().split()
        if not words:
            return Matches(ordered, None)
        key = " ".join(words)
        found = self._narrowed.get((sort, key))
        if found is None:
            found = self._search(sort, key, words)
            self._narrowed[(sort, key)] = found
            while len(self._narrowed) > NARROWED_KEPT:
                del self._narrowed[next(iter(self._narrowed))]
        return Matches(ordered, found)

    def _search(self, sort: str, key: str, words: list[str]) -> list[int]:
        folded = self._folded[sort]
        # A needle that extends one already matched can only match fewer rows: each of its
        # words holds the shorter needle's word in that place (or is new).
        base: list[int] | None = None
        for (s, earlier), positions in self._narrowed.items():
            if s == sort and key.startswith(earlier) and (base is None or len(positions) < len(base)):
                base = positions
        for word in words:
            if base is None:
                base = [k for k, h in enumerate(folded) if word in h]
            else:
                base = [k for k in base if word in folded[k]]
        return base if base is not None else list(range(len(folded)))
