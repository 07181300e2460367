"""Dates as people write them: "22 Jan 2022", "January 6, 2022", "2022-01-22",
"December 28, 2021 – January 18, 2022", "January 10-14", "January 2022".

``find_dates`` returns every match with its character span; ``parse_date_line``
decides whether a whole line is a date (a dateline under a title).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
    r"(?![A-Za-z])"
)
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d])"
_YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)(?!\d)"
_DASH = r"\s*[-–—]\s*"
_SEP = r"\s*(?:[-–—]|to|until|through|thru)\s*"


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


def _endpoint(p: str, *, year: str = "required") -> list[str]:
    m, d, y = _g(p + "m", _MONTH_RE), _g(p + "d", _DAY_RE), _g(p + "y", _YEAR_RE)
    forms = [f"{m}\\s+{d},?\\s+{y}", f"{d}\\s+(?:of\\s+)?{m},?\\s+{y}"]
    if year == "optional":
        forms.append(f"{m}\\s+{d}(?!\\s*,?\\s*(?:1[6-9]|20)\\d\\d(?!\\d))")  # not when a year follows
        forms.append(f"{d}\\s+(?:of\\s+)?{m}")
    return forms


@functools.cache
def _compiled() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(all patterns, those that can match without a month name), compiled on first use.

    Compiling them takes ~30 ms, which every start of the reader would pay.
    """
    patterns: list[re.Pattern[str]] = []

    def add(pattern: str) -> None:
        patterns.append(re.compile(r"(?<![\w])" + pattern))

    # Ranges with two full endpoints (the first may lack its year).
    for a in _endpoint("a", year="optional"):
        for b in _endpoint("b"):
            add(a + _SEP + b)
    # "January 10-14, 2022", "January 10-14"
    add(
        _g("am", _MONTH_RE)
        + r"\s+"
        + _g("ad", _DAY_RE)
        + _DASH
        + _g("bd", _DAY_RE)
        + r"(?:,?\s+"
        + _g("by", _YEAR_RE)
        + ")?"
    )
    # "10–14 January 2022"
    add(
        _g("ad", _DAY_RE)
        + _DASH
        + _g("bd", _DAY_RE)
        + r"\s+"
        + _g("am", _MONTH_RE)
        + r"(?:,?\s+"
        + _g("by", _YEAR_RE)
        + ")?"
    )
    # ISO dates and ISO ranges.
    iso = r"(?P<{p}y>(?:1[6-9]|20)\d\d)-(?P<{p}mn>0[1-9]|1[0-2])-(?P<{p}d>0[1-9]|[12]\d|3[01])(?!\d)"
    add(iso.format(p="a") + r"(?:\s*(?:/|–|—|\s-\s|to)\s*" + iso.format(p="b") + ")?")
    # "26.02.2026" (day first, as written in most of Europe) and "2026/02/26"
    add(r"(?P<ad>0?[1-9]|[12]\d|3[01])\.(?P<amn>0?[1-9]|1[0-2])\.(?P<ay>(?:1[6-9]|20)\d\d)(?!\d)")
    add(r"(?P<ay>(?:1[6-9]|20)\d\d)/(?P<amn>0[1-9]|1[0-2])/(?P<ad>0[1-9]|[12]\d|3[01])(?!\d)")
    iso_only = patterns[-3:]
    # Single full dates, then month-year, then month-day.
    for a in _endpoint("a", year="optional"):
        add(a)
    add(
        _g(
            "am",
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
            r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![A-Za-z])",
        )
        + r",?\s+"
        + _g("ay", _YEAR_RE)
    )
    return patterns, iso_only


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int | None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None

    @property
    def iso(self) -> str | None:
        """ISO date of the start, when the year is known (``YYYY-MM`` without a day)."""
        if self.year is None:
            return None
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def iso_end(self) -> str | None:
        if self.end_month is None or self.end_year is None:
            return None
        if self.end_day is None:
            return f"{self.end_year:04d}-{self.end_month:02d}"
        return f"{self.end_year:04d}-{self.end_month:02d}-{self.end_day:02d}"


def _month(name: str | None) -> int | None:
    if not name:
        return None
    return _MONTHS.get(name[:3].lower())


def _day(text: str | None) -> int | None:
    if not text:
        return None
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is None or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    limit = calendar.monthrange(year if year else 2000, month)[1]
    return 1 <= day <= limit


def _from_match(m: re.Match[str]) -> DateMatch | None:
    gd = m.groupdict()
    a_month = _month(gd.get("am")) or (int(gd["amn"]) if gd.get("amn") else None)
    a_day = _day(gd.get("ad"))
    a_year = int(gd["ay"]) if gd.get("ay") else None
    has_b = any(gd.get(k) for k in ("bm", "bd", "by", "bmn"))
    b_month = _month(gd.get("bm")) or (int(gd["bmn"]) if gd.get("bmn") else None)
    b_day = _day(gd.get("bd"))
    b_year = int(gd["by"]) if gd.get("by") else None
    if has_b:
        b_month = b_month or a_month
        if a_year is None and b_year is not None:
            # "December 28 – January 18, 2022": the start is in the previous year.
            a_year = b_year - 1 if (a_month or 0) > (b_month or 0) else b_year
    if a_month is None or not _valid(a_year, a_month, a_day):
        return None
    if has_b and not _valid(b_year, b_month, b_day):
        return None
    return DateMatch(
        start=m.start(),
        end=m.end(),
        text=m.group(),
        year=a_year,
        month=a_month,
        day=a_day,
        end_year=b_year if has_b else None,
        end_month=b_month if has_b else None,
        end_day=b_day if has_b else None,
    )


_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(r"(?<![A-Za-z])(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def find_dates(text: str) -> list[DateMatch]:
    """Every date or date range in ``text``, longest match first at each place."""
    found: list[DateMatch] = []
    if _DIGIT.search(text) is None:
        return found  # every form has a day or a year in digits
    # Without a month name only the ISO forms can match: skip the other patterns.
    every, iso_only = _compiled()
    patterns = every if _ANY_MONTH.search(text) else iso_only
    for pattern in patterns:
        for m in pattern.finditer(text):
            dm = _from_match(m)
            if dm is not None:
                found.append(dm)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[DateMatch] = []
    last_end = -1
    for dm in found:
        if dm.start >= last_end:
            chosen.append(dm)
            last_end = dm.end
    return chosen


_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME = r"(?:at\s+)?(?:\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
_ZONE = r"(?:[A-Z]{2,4}T?|UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
# What may stand beside the date in a dateline: a cue word, a weekday, a time and zone
# ("Feb. 26, 2026, 10:41 AM ET", "Updated: Thu 26 Feb 2026 10:41 GMT").
_DATELINE_NOISE = re.compile(
    r"^(?:(?:published|posted|updated|date|dated|last updated|reporting period|period)\s*[:\-–]?\s*)?(?:on\b\s*)?"
    r"(?:" + _WEEKDAY + r"\s*,?\s*)?"
    r"(?:(?:" + _TIME + r")\s*(?:" + _ZONE + r")?)?\s*$",
    re.IGNORECASE,
)


def parse_date_line(line: str) -> DateMatch | None:
    """The date if ``line`` is essentially a date (or range) and nothing else."""
    stripped = line.strip().strip("*_|").strip()
    for dm in find_dates(stripped):
        if dm.year is None:
            continue
        rest = (stripped[: dm.start] + " " + stripped[dm.end :]).strip(" ,.;:|–—-()[]")
        if not rest or _DATELINE_NOISE.match(rest):
            return dm
    return None


def date_range(start: str | None, end: str | None, *, undated: str = "") -> str:
    """A document's date as shown: ``2021-12-28 – 2022-01-18`` for a period, the date alone,
    or ``undated`` when it has none (a period without a start shows as undated too)."""
    if start and end:
        return f"{start} – {end}"
    return start or undated
