"""Metadata: YAML front matter, a sidecar ``NAME.yaml``, and what the text itself says
(a title line, a byline "by NAME on DATE", an author line, a dateline, a
"Contributors:" line, a signature at the end).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
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
    language: str | None = None

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
            language=self.language or base.language,
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


# Front-matter keys as exporters and site generators write them, first found wins.
_DATE_KEYS = (
    "date",
    "published",
    "date_published",
    "datepublished",
    "publish_date",
    "published_at",
    "pubdate",
    "created",
    "created_at",
    "date_created",
)
_AUTHOR_KEYS = ("authors", "author", "byline", "creator", "creators", "by")
_SOURCE_KEYS = ("source", "site", "site_name", "publisher", "publication", "website")
_URL_KEYS = ("url", "link", "canonical", "canonical_url", "source_url", "original_url")
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$")


def _first(lowered: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = lowered.get(key)
        if value not in (None, "", []):
            return value
    return None


_CONTACT = re.compile(r"\s*(?:\(@[\w.-]+\)|<[^<>\s]+@[^<>\s]+>|\([^()\s]+@[^()\s]+\))")
_NAME_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b|&)\s*")
_ET_AL = re.compile(r"et\.? al\.?", re.IGNORECASE)


def _names(value: Any) -> list[str]:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _names(v)]
    if isinstance(value, str):
        # "Jane Doe (@jdoe) <jane@example.org>, John Roe, et al.": names without their contacts
        value = _CONTACT.sub("", value).strip()
        parts = [p for p in _NAME_SEPARATOR.split(value) if p and not _ET_AL.fullmatch(p)]
        if "," in value and len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            value = parts  # a list of full names; "Doe, Jane" stays one name
    names = _as_list(value)
    return [re.sub(r"^(?:by|written by)\s+", "", n, flags=re.IGNORECASE) for n in names]


def metadata_from_mapping(data: Any) -> Metadata:
    if data is None:
        return Metadata()
    if not isinstance(data, dict):
        raise MetadataError("metadata must be a mapping of field: value")
    lowered = {str(k).lower().replace("-", "_"): v for k, v in data.items()}
    date, date_end = _as_date(_first(lowered, _DATE_KEYS))
    if lowered.get("date_end") is not None:
        date_end = _as_date(lowered.get("date_end"))[0]
    authors = _names(_first(lowered, _AUTHOR_KEYS))
    title = lowered.get("title")
    source = _first(lowered, _SOURCE_KEYS)
    url = _first(lowered, _URL_KEYS)
    if source is not None and _URL_LIKE.match(str(source).strip()):
        # "source: https://…" is where the page came from, not a publication's name
        url = url or str(source).strip()
        source = None
    language = lowered.get("language", lowered.get("lang"))
    return Metadata(
        title=str(title).strip() if title else None,
        authors=authors,
        date=date,
        date_end=date_end,
        source=str(source).strip() if source else None,
        url=str(url).strip() if url else None,
        tags=_as_list(lowered.get("tags")),
        language=str(language).strip() if language else None,
    )


# A scrape's header fields: "- **URL**: …", "Domain: …", "Published: …" (bold already gone).
FIELD_NAMES = {
    "url": "url",
    "link": "url",
    "source url": "url",
    "canonical": "url",
    "domain": "source",
    "site": "source",
    "source": "source",
    "publication": "source",
    "published": "date",
    "date": "date",
    "date published": "date",
    "publish date": "date",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "byline": "authors",
    "title": "title",
    "language": "language",
}
_FIELD = re.compile(
    r"(?:^|(?<=\s))(" + "|".join(sorted(map(re.escape, FIELD_NAMES), key=len, reverse=True)) + r")[ \t]*:[ \t]+",
    re.IGNORECASE,
)


def header_fields(text: str) -> Metadata | None:
    """The fields of a line (or lines run together) such as "URL: … Published: …", when the
    whole text is such fields; None otherwise."""
    if len(text) > 600:
        return None
    found = list(_FIELD.finditer(text))
    if not found or found[0].start() != 0:
        return None
    meta = Metadata()
    for n, m in enumerate(found):
        value = text[m.end() : found[n + 1].start() if n + 1 < len(found) else len(text)].strip()
        if not value:
            return None
        name = FIELD_NAMES[m.group(1).lower()]
        if name == "url":
            meta.url = meta.url or value
        elif name == "source":
            if _URL_LIKE.match(value):
                meta.url = meta.url or value
            else:
                meta.source = meta.source or value
        elif name == "date":
            dates = [d for d in find_dates(value) if d.year is not None]
            if not dates:
                return None
            meta.date = meta.date or dates[0].iso
        elif name == "authors":
            meta.authors = meta.authors or names_in(value) or _as_list(value)
        elif name == "title":
            meta.title = meta.title or value
        elif name == "language":
            meta.language = meta.language or value
    return meta


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
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a document's name at the file system's limit: its sidecar's name is too long
            continue
    return None


# ------------------------------------------------------------ detection
_PARTICLES = frozenset("de da del della der den van von la le al el bin ibn ben dos das du di st. y e".split())
_NOT_NAME_START = frozenset(
    "The A An In On At For And Of To By From With Analysis Commentary Opinion Report News "
    "Update Updated Published Posted Introduction Summary Abstract Contents Notes "
    "Chapter Part Book Section Volume Preface Foreword Appendix Index Canto Act Scene".split()
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
# A bio line at the end: "Jane Doe is an editor at …", "Jane Doe is a senior fellow …".
_BIO = re.compile(r"^(?P<name>[^,.]{3,60}?)\s+(?:is|was|serves as)\s+(?P<desc>(?:a|an|the)\b.+)$", re.DOTALL)
_SIGNATURE_CUES = re.compile(
    r"\b(?:observer|analyst|journalist|correspondent|editor|professor|fellow|researcher|writer|"
    r"expert|columnist|contributor|director|author|reporter|scholar|lecturer|exclusively for|writing for|for the)\b",
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
    return capitalised >= 2 and tokens[0].capitalize() not in _NOT_NAME_START


def names_in(text: str) -> list[str]:
    """Person names in a list like "Ezgi Yazici and Fatih Cungurlu" (all must be names)."""
    parts = [p.strip(" .") for p in _NAME_SPLIT.split(text.strip()) if p.strip(" .")]
    if parts and all(looks_like_name(p) for p in parts):
        return parts
    return []


def author_span_key(i: int) -> str:
    """The ``Document.meta_spans`` key of the i-th author's name where the file spells it."""
    return f"author:{i}"


def author_spans(
    text: str, authors: list[str], source_span: Callable[[int, int], tuple[int, int]], first: int = 0
) -> dict[str, tuple[int, int]]:
    """Where each author's name stands in the line it was read from (``text``, mapped to the
    source by ``source_span``), in order, keyed for authors ``first``, ``first + 1``, ...; a
    name the line does not spell as the byline shows it has no entry, and keeps the line's range."""
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    for i, name in enumerate(authors):
        at = text.find(name, pos)
        if at < 0:
            continue
        start, end = source_span(at, at + len(name))
        if end - start == len(name):  # one to one: no joined line or replaced character inside
            spans[author_span_key(first + i)] = (start, end)
        pos = at + len(name)
    return spans


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
        m = _BIO.match(text.strip())
        if not m or not looks_like_name(m.group("name")) or not _SIGNATURE_CUES.search(m.group("desc")):
            return None
    name = m.group("name").strip()
    if name not in known_authors and not _SIGNATURE_CUES.search(m.group("desc")):
        return None
    src = _SOURCE_IN_SIGNATURE.search(m.group("desc"))
    return Signature(name, src.group(1).strip() if src else None)
