"""Metadata: YAML front matter, a sidecar ``NAME.yaml``, and what the text itself says
(a title line, a byline "by NAME on DATE", an author line, a dateline, a
"Contributors:" line, a signature at the end).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import DateMatch, find_dates
from .yamlsafe import load_untrusted

FIELDS = ("title", "authors", "date", "date_end", "source", "url", "tags")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    date_end: str | None = None
    source: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)

    def merged_over(self, base: Metadata) -> Metadata:
        """This metadata where set, ``base`` elsewhere."""
        return Metadata(
            title=self.title or base.title,
            authors=self.authors or base.authors,
            date=self.date or base.date,
            date_end=self.date_end if self.date else base.date_end,
            source=self.source or base.source,
            url=self.url or base.url,
            tags=self.tags or base.tags,
        )


class MetadataError(ValueError):
    pass


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"\s*(?:;|,| and | & )\s*", value) if ";" in value or " and " in value else [value]
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _as_date(value: Any) -> tuple[str | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    found = find_dates(str(value))
    if found and found[0].iso:
        return found[0].iso, found[0].iso_end
    raise MetadataError(f"date {value!r} is not a date this reader understands")


def metadata_from_mapping(data: Any) -> Metadata:
    if data is None:
        return Metadata()
    if not isinstance(data, dict):
        raise MetadataError("metadata must be a mapping of field: value")
    lowered = {str(k).lower(): v for k, v in data.items()}
    date, date_end = _as_date(lowered.get("date"))
    if lowered.get("date_end") is not None:
        date_end = _as_date(lowered.get("date_end"))[0]
    authors = _as_list(lowered.get("authors", lowered.get("author")))
    title = lowered.get("title")
    source = lowered.get("source", lowered.get("publisher"))
    url = lowered.get("url")
    return Metadata(
        title=str(title).strip() if title else None,
        authors=authors,
        date=date,
        date_end=date_end,
        source=str(source).strip() if source else None,
        url=str(url).strip() if url else None,
        tags=_as_list(lowered.get("tags")),
    )


def split_front_matter(text: str) -> tuple[int, str | None]:
    """``(body_start, yaml_text)``; ``yaml_text`` is None when there is no front matter."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return 0, None
    return m.end(), m.group(1)


def load_yaml_metadata(yaml_text: str) -> Metadata:
    import yaml  # only for documents with metadata: a slow import the reader's start can skip

    try:
        data = load_untrusted(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = str(getattr(exc, "problem", "") or "")
        why = f": {problem}" if "alias" in problem else ""
        raise MetadataError(f"invalid YAML{where}{why}") from None
    return metadata_from_mapping(data)


def sidecar_for(path: Path) -> Path | None:
    for candidate in (
        path.with_suffix(".yaml"),
        path.with_suffix(".yml"),
        path.with_name(path.name + ".yaml"),
        path.with_name(path.name + ".yml"),
    ):
        if candidate.is_file():
            return candidate
    return None


# ------------------------------------------------------------ detection
_PARTICLES = frozenset("de da del della der den van von la le al el bin ibn ben dos das du di st. y e".split())
_NOT_NAME_START = frozenset(
    "The A An In On At For And Of To By From With Analysis Commentary Opinion Report News "
    "Update Updated Published Posted Introduction Summary Abstract Contents Notes".split()
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|text by)\s+(?P<names>.+?)"
    r"(?:\s*(?:\bon\b|,|\||·|•|\s-\s|–|—|\bpublished\b|\bposted\b)\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_CONTRIBUTORS = re.compile(
    r"^(?:contributors?|contributing (?:authors?|writers?)|authors?|written by|reporting by)\s*:\s*(?P<names>.+)$",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|&|;)\s*")
_SIGNATURE = re.compile(r"^(?P<name>[^,]{3,60}),\s*(?P<desc>.+)$", re.DOTALL)
_SIGNATURE_CUES = re.compile(
    r"\b(?:observer|analyst|journalist|correspondent|editor|professor|fellow|researcher|writer|"
    r"expert|columnist|contributor|director|author|exclusively for|writing for|for the)\b",
    re.IGNORECASE,
)
_SOURCE_IN_SIGNATURE = re.compile(
    r"\bfor\s+(?:the\s+)?(?:online\s+)?(?:magazine|journal|newspaper|website|outlet|publication|site|blog|"
    r"news agency|newsletter)?\s*[“\"«‘']([^”\"»’']{2,80})[”\"»’']"
)


def looks_like_name(text: str) -> bool:
    tokens = text.strip().split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = 0
    for tok in tokens:
        if tok.lower() in _PARTICLES:
            continue
        core = tok.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
        if not core.isalpha() or not tok[0].isupper():
            return False
        capitalised += 1
    return capitalised >= 2 and tokens[0] not in _NOT_NAME_START


def names_in(text: str) -> list[str]:
    """Person names in a list like "Ezgi Yazici and Fatih Cungurlu" (all must be names)."""
    parts = [p.strip(" .") for p in _NAME_SPLIT.split(text.strip()) if p.strip(" .")]
    if parts and all(looks_like_name(p) for p in parts):
        return parts
    return []


@dataclass(slots=True)
class Byline:
    authors: list[str]
    date: DateMatch | None


def parse_byline(line: str) -> Byline | None:
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    names = names_in(m.group("names"))
    if not names:
        # "by Jane Doe 22 Jan 2022": take the longest prefix that is a name.
        words = m.group("names").split()
        for n in range(min(5, len(words)), 1, -1):
            if looks_like_name(" ".join(words[:n])):
                names = [" ".join(words[:n])]
                break
    if not names:
        return None
    dates = [d for d in find_dates(line) if d.year is not None]
    return Byline(names, dates[0] if dates else None)


def parse_contributors(line: str) -> list[str]:
    m = _CONTRIBUTORS.match(line.strip())
    if not m:
        return []
    return names_in(m.group("names"))


@dataclass(slots=True)
class Signature:
    name: str
    source: str | None


def parse_signature(text: str, known_authors: list[str]) -> Signature | None:
    if len(text.split()) > 60:
        return None
    m = _SIGNATURE.match(text.strip())
    if not m or not looks_like_name(m.group("name")):
        return None
    name = m.group("name").strip()
    if name not in known_authors and not _SIGNATURE_CUES.search(m.group("desc")):
        return None
    src = _SOURCE_IN_SIGNATURE.search(m.group("desc"))
    return Signature(name, src.group(1).strip() if src else None)
