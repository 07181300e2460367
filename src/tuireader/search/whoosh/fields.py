"""A document as the schema's fields: the texts with their maps back to the source, dates, links."""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...core.mapped import MappedText, Segment
from ...core.model import Document
from .entity_fields import entity_fields

if TYPE_CHECKING:
    from ...entities.extract import Mention

MAX_PERIOD_DAYS = 800


def flatten_map(parts: list[MappedText]) -> tuple[str, bytes]:
    """Join texts with blank lines; keep one flat segment table back to the source."""
    texts: list[str] = []
    flat = array("q")
    pos = 0
    for part in parts:
        if texts:
            texts.append("\n\n")
            pos += 2
        for seg in part.segments:
            flat.extend((pos + seg.t, seg.tlen, seg.s, seg.slen))
        texts.append(part.text)
        pos += len(part.text)
    return "".join(texts), flat.tobytes()


def unflatten_map(text: str, blob: bytes) -> MappedText:
    flat = array("q")
    flat.frombytes(blob)
    segs = tuple(Segment(*flat[i : i + 4]) for i in range(0, len(flat), 4))
    return MappedText(text, segs)


class FlatMap:
    """``MappedText.source_span`` over a stored segment table, without the text or a
    Segment per entry: a big document's table has one entry per edit (130,000 for a
    50 MB report), and a search maps only its hits."""

    def __init__(self, text_length: int, blob: bytes) -> None:
        flat = array("q")
        flat.frombytes(blob)
        self._length = text_length
        # the table's four columns apart: a look-up is a bisection and four indexings
        self._t, self._tlen, self._s, self._slen = flat[0::4], flat[1::4], flat[2::4], flat[3::4]

    def to_source(self, i: int) -> int:
        if not self._t:
            return 0
        if i >= self._length:
            return self._s[-1] + self._slen[-1]
        k = max(0, bisect_right(self._t, i) - 1)
        t, tlen, s, slen = self._t[k], self._tlen[k], self._s[k], self._slen[k]
        if i >= t + tlen:
            return s + slen
        return s + (i - t) if tlen == slen else s

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """As ``MappedText.source_span`` (tests compare the two)."""
        if not self._t:
            return (0, 0)
        src_start = self.to_source(start)
        if end <= start:
            return (src_start, src_start)
        k = max(0, bisect_right(self._t, end - 1) - 1)
        t, tlen, s, slen = self._t[k], self._tlen[k], self._s[k], self._slen[k]
        src_end = s + (end - 1 - t) + 1 if tlen == slen else s + slen
        return (src_start, max(src_start, src_end))

    def source_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``source_span`` of each of ``spans`` (sorted, not overlapping) in one walk down the
        table, without a bisection each: a big document's hits are counted in hundreds of thousands."""
        if not self._t:
            return [(0, 0)] * len(spans)
        ts, tlens, ss, slens = self._t, self._tlen, self._s, self._slen
        count, length = len(ts), self._length
        past_end = ss[-1] + slens[-1]
        out: list[tuple[int, int]] = []
        k = 0
        for a, b in spans:
            while k + 1 < count and ts[k + 1] <= a:
                k += 1
            if a >= length:
                src_a = past_end
            else:
                t, tlen, s, slen = ts[k], tlens[k], ss[k], slens[k]
                src_a = s + slen if a >= t + tlen else (s + (a - t) if tlen == slen else s)
            if b <= a:
                out.append((src_a, src_a))
                continue
            j = k
            while j + 1 < count and ts[j + 1] <= b - 1:
                j += 1
            t, tlen, s, slen = ts[j], tlens[j], ss[j], slens[j]
            src_b = s + (b - 1 - t) + 1 if tlen == slen else s + slen
            out.append((src_a, src_b if src_b > src_a else src_a))
        return out


def _days(start: str | None, end: str | None) -> list[dt.datetime]:
    if not start:
        return []
    try:
        if len(start) == 7:  # YYYY-MM: the whole month
            first = dt.date.fromisoformat(start + "-01")
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            first = dt.date.fromisoformat(start[:10])
            last = first
        if end:
            last = max(last, dt.date.fromisoformat(end[:10] if len(end) >= 10 else end + "-01"))
    except ValueError:
        return []
    span = min((last - first).days, MAX_PERIOD_DAYS)
    return [dt.datetime.combine(first + dt.timedelta(days=i), dt.time()) for i in range(span + 1)]


def normalise_url(url: str) -> str:
    """A URL as compared for "is this link a document of the library?"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def _domains(url: str) -> list[str]:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] if len(labels) >= 2 else []


def document_fields(doc: Document, path: str, mentions: Sequence[Mention] | None) -> dict[str, Any]:
    body, body_map = flatten_map([b.content for b in doc.blocks])
    notes, notes_map = flatten_map([n.content for n in doc.footnotes if n.defined])
    urls = [u for n in doc.footnotes for u in n.urls]
    domains = sorted({d for u in urls for d in _domains(u)})
    fields: dict[str, Any] = {
        "id": doc.id,
        "path": path,
        "title": doc.title,
        "authors": ", ".join(doc.authors),
        "source": doc.source or "",
        "url": normalise_url(doc.url) if doc.url else "",
        "date_start": doc.date,
        "date_end": doc.date_end,
        "body": body,
        "footnotes": notes,
        "urls": ",".join(u.replace(",", "%2C") for u in urls),
        "domain": ",".join(domains),
        "tags": ",".join(t.replace(",", " ") for t in doc.tags),
        "body_map": body_map,
        "notes_map": notes_map,
    }
    if any(p.page is not None for p in doc.parts):
        fields["page_starts"] = [p.start for p in doc.parts]
    days = _days(doc.date, doc.date_end)
    if days:
        fields["date"] = days
    if mentions is not None:
        fields.update(entity_fields(mentions))
    return fields
