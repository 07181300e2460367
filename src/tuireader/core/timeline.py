"""The library in time: documents placed by date or reporting period, and an entity's mentions per week or month.

Pure: it works on plain records (what the index's catalog and stored entity data hold), so the
CLI, the reader and the tests share it without Textual or Whoosh.

An entity mention is dated by the text around it when it can be: a DATE with a day in its own
sentence (the nearest, when there are several), else the nearest in its paragraph ("On January 6,
... Erdogan called"), resolved against the document's own date ("January 6" in a report of
January 18, 2022 is 2022-01-06). The sentence comes first because a paragraph often tells of
several days: in "Protests began on January 2. Erdogan called Tokayev on January 6." the call is
on January 6 even where "January 2" is nearer to the name. Without a date, the mention
takes the day the document was written: its date, or the end of its reporting period (a report
covering December 28 - January 18 speaks on January 18); a document with no date leaves its
mentions undated. Dates are read in the body only (as the entity extractor does), so a title's
or a note's mentions take the document's date.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .dates import find_dates

GROUP_BY = ("source", "tag", "none")
BINS = ("week", "month")
NO_GROUP = "(none)"
# A chart of at most this many weeks is drawn by week; a longer span by month.
AUTO_WEEKS = 26


@dataclass(frozen=True, slots=True)
class DatedDocument:
    """What the timeline knows of one document (from the index catalog)."""

    id: str
    title: str
    date: str | None = None
    date_end: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def start(self) -> dt.date | None:
        return parse_iso(self.date)

    @property
    def end(self) -> dt.date | None:
        """The last day covered: the period's end, or the start for a single date."""
        end = parse_iso(self.date_end, last=True)
        start = self.start
        if end is None or start is None or end < start:
            return start
        return end

    @property
    def reference(self) -> dt.date | None:
        """The day the document speaks from: the end of its period (a report is written at its end)."""
        return self.end


@dataclass(frozen=True, slots=True)
class TimelineRow:
    group: str
    document: DatedDocument


@dataclass(slots=True)
class DocumentTimeline:
    group_by: str
    rows: list[TimelineRow]  # grouped, then by start date (then title) in each group
    undated: list[DatedDocument]

    @property
    def first(self) -> dt.date | None:
        return min((r.document.start for r in self.rows), default=None)  # type: ignore[type-var]

    @property
    def last(self) -> dt.date | None:
        return max((r.document.end for r in self.rows), default=None)  # type: ignore[type-var]

    def to_json(self) -> dict[str, Any]:
        return {
            "group_by": self.group_by,
            "first": _iso(self.first),
            "last": _iso(self.last),
            "documents": [{**_doc_json(r.document), "group": r.group} for r in self.rows],
            "undated": [_doc_json(d) for d in self.undated],
        }


@dataclass(frozen=True, slots=True)
class DatedMention:
    doc_id: str
    day: dt.date | None
    how: str  # "text" (a date beside it), "document" (the document's date) or "undated"


@dataclass(slots=True)
class Bin:
    start: dt.date
    end: dt.date  # the last day of the week or month
    mentions: int = 0
    documents: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EntityTimeline:
    entity: str
    type: str
    by: str
    bins: list[Bin]
    dated_in_text: int
    dated_by_document: int
    undated: int

    @property
    def total(self) -> int:
        return self.dated_in_text + self.dated_by_document + self.undated

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "type": self.type,
            "by": self.by,
            "mentions": self.total,
            "dated_in_text": self.dated_in_text,
            "dated_by_document": self.dated_by_document,
            "undated": self.undated,
            "bins": [
                {
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "mentions": b.mentions,
                    "documents": b.documents,
                }
                for b in self.bins
            ],
        }


# ------------------------------------------------------------------ dates
def parse_iso(value: str | None, *, last: bool = False) -> dt.date | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (the first day of the month, or its last with ``last``)."""
    if not value:
        return None
    parts = value.strip()[:10].split("-")
    try:
        year, month = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1
        if len(parts) > 2:
            return dt.date(year, month, int(parts[2]))
        if last and len(parts) == 2:
            return _month_end(dt.date(year, month, 1))
        return dt.date(year, month, 1)
    except (ValueError, IndexError):
        return None


def resolve_day(text: str, reference: dt.date | None) -> dt.date | None:
    """The calendar day a DATE mention names, or None when it names no day.

    A date without a year ("January 6") is the one nearest the document's reference day, so
    "December 30" in a report of January 18, 2022 is 2021-12-30. Ranges give their first day;
    months, years and decades name no day.
    """
    found = find_dates(text)
    if not found:
        return None
    match = found[0]
    if match.day is None:
        return None
    if match.year is not None:
        try:
            return dt.date(match.year, match.month, match.day)
        except ValueError:
            return None
    if reference is None:
        return None
    best: dt.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            day = dt.date(year, match.month, match.day)
        except ValueError:  # February 29 in a year without one
            continue
        if best is None or abs((day - reference).days) < abs((best - reference).days):
            best = day
    return best


# -------------------------------------------------------------- documents
def document_timeline(
    documents: Iterable[DatedDocument], *, group_by: str = "source", only: set[str] | None = None
) -> DocumentTimeline:
    """Documents placed by date; ``only``: the ids to keep (a search or an entity's documents)."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    rows: list[TimelineRow] = []
    undated: list[DatedDocument] = []
    for doc in documents:
        if only is not None and doc.id not in only:
            continue
        if doc.start is None:
            undated.append(doc)
            continue
        if group_by == "source":
            groups = [doc.source or NO_GROUP]
        elif group_by == "tag":
            groups = list(dict.fromkeys(doc.tags)) or [NO_GROUP]  # a document under each of its tags
        else:
            groups = [""]
        rows.extend(TimelineRow(g, doc) for g in groups)
    rows.sort(
        key=lambda r: (r.group == NO_GROUP, r.group.casefold(), r.document.start, r.document.title, r.document.id)
    )
    undated.sort(key=lambda d: (d.title.casefold(), d.id))
    return DocumentTimeline(group_by, rows, undated)


# -------------------------------------------------------------- sentences
# A sentence ends at . ! or ? (and any closing quotes or brackets) before white space and a
# capital or an opening quote; not after an abbreviation or an initial ("Gen. Ivanov",
# "J. Smith", "the U.S. Army", "Jan. 6" - a digit never starts a sentence here).
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z\u00C0-\u024F])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen lt col maj sgt capt adm gov sen rep pres jr sr vs no fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of a paragraph begins (0 first)."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"[\w.]*$", text[: m.start()])
            token = word.group(0) if word else ""
            if (len(token) == 1 and token.isalpha()) or "." in token or token.casefold() in _ABBREVIATIONS:
                continue  # an initial, "U.S", an abbreviation: the sentence goes on
        starts.append(m.end())
    return starts


# -------------------------------------------------------------- mentions
def dated_mentions(
    doc: DatedDocument,
    body: Iterable[tuple[int, int, int, str, str]],
    other_parts: Iterable[tuple[Any, ...]],
    canonical: str,
    block_text: Callable[[int], str | None] | None = None,
) -> list[DatedMention]:
    """Each mention of ``canonical`` in one document, with its day.

    ``body``: (block, start, end, canonical, type) as the index stores it, DATE mentions
    included; ``other_parts``: (part, note, start, end, canonical, type) for the title and notes.
    ``block_text``: a paragraph's text, to find its sentences; asked only for a paragraph whose
    dates name more than one day (with one day, sentence and paragraph give the same answer).
    """
    reference = doc.reference
    anchors: dict[int, list[tuple[int, dt.date]]] = {}
    targets: list[tuple[int, int]] = []
    key = canonical.casefold()
    for block, start, _end, name, etype in body:
        if etype == "DATE":
            day = resolve_day(name, reference)
            if day is not None:
                anchors.setdefault(block, []).append((start, day))
        elif name.casefold() == key:
            targets.append((block, start))
    fallback = DatedMention(doc.id, reference, "document") if reference else DatedMention(doc.id, None, "undated")
    found: list[DatedMention] = []
    sentences: dict[int, list[int] | None] = {}
    for block, start in targets:
        in_block = anchors.get(block, [])
        if block_text is not None and len({d for _, d in in_block}) > 1:
            if block not in sentences:
                text = block_text(block)
                sentences[block] = sentence_starts(text) if text is not None else None
            in_block = _same_sentence(in_block, start, sentences[block]) or in_block
        day = _nearest(in_block, start)
        found.append(DatedMention(doc.id, day, "text") if day is not None else fallback)
    for *_, name, etype in other_parts:
        if etype != "DATE" and name.casefold() == key:
            found.append(fallback)
    return found


def _same_sentence(anchors: list[tuple[int, dt.date]], at: int, starts: list[int] | None) -> list[tuple[int, dt.date]]:
    """The anchors in the sentence holding character ``at``."""
    if not starts:
        return []
    i = bisect_right(starts, at) - 1
    lo, hi = starts[i], starts[i + 1] if i + 1 < len(starts) else float("inf")
    return [a for a in anchors if lo <= a[0] < hi]


def _nearest(anchors: list[tuple[int, dt.date]], at: int) -> dt.date | None:
    """The anchor closest to ``at`` in the paragraph; one before it wins a tie ("On January 6, X said")."""
    if not anchors:
        return None
    anchors = sorted(anchors)
    i = bisect_left(anchors, (at, dt.date.min))
    candidates = []
    if i > 0:
        candidates.append((at - anchors[i - 1][0], 0, anchors[i - 1][1]))
    if i < len(anchors):
        candidates.append((anchors[i][0] - at, 1, anchors[i][1]))
    return min(candidates)[2]


def entity_timeline(entity: str, etype: str, mentions: list[DatedMention], *, by: str = "auto") -> EntityTimeline:
    """Mentions counted per week (Monday to Sunday) or calendar month, every bin from the first to the last."""
    days = sorted(m.day for m in mentions if m.day is not None)
    if by == "auto":
        by = "week" if not days or (days[-1] - days[0]).days <= AUTO_WEEKS * 7 else "month"
    if by not in BINS:
        raise ValueError(f"by must be one of {', '.join(BINS)} or auto")
    bins: list[Bin] = []
    if days:
        start = _bin_start(days[0], by)
        last = _bin_start(days[-1], by)
        while start <= last:
            end = start + dt.timedelta(days=6) if by == "week" else _month_end(start)
            bins.append(Bin(start, end))
            start = end + dt.timedelta(days=1)
        starts = [b.start for b in bins]
        for m in mentions:
            if m.day is None:
                continue
            b = bins[bisect_left(starts, _bin_start(m.day, by))]
            b.mentions += 1
            if m.doc_id not in b.documents:
                b.documents.append(m.doc_id)
    return EntityTimeline(
        entity=entity,
        type=etype,
        by=by,
        bins=bins,
        dated_in_text=sum(1 for m in mentions if m.how == "text"),
        dated_by_document=sum(1 for m in mentions if m.how == "document"),
        undated=sum(1 for m in mentions if m.how == "undated"),
    )


def _bin_start(day: dt.date, by: str) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if by == "week" else day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _doc_json(doc: DatedDocument) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "date": doc.date,
        "date_end": doc.date_end,
        "start": _iso(doc.start),
        "end": _iso(doc.end),
        "source": doc.source,
        "tags": list(doc.tags),
    }
