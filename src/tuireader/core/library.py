"""A library is a folder of documents, with optional sidecars and a settings file.

Layout:
  library/
    some-article.txt           a document (.txt, .md, .markdown)
    some-article.yaml          its optional metadata sidecar
    tuireader.yaml             library settings (extra boilerplate lines, …)
    entities.yaml              the library's own gazetteer
Hidden files and folders are ignored; anything else is reported as unsupported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .clean import DEFAULT_BOILERPLATE, BoilerplateMatcher
from .model import Document
from .parse import MARKDOWN_SUFFIXES, SUPPORTED_SUFFIXES, ParseOptions, parse_file, slugify

SETTINGS_FILE = "tuireader.yaml"
GAZETTEER_FILE = "entities.yaml"
_RESERVED = frozenset({SETTINGS_FILE, GAZETTEER_FILE})
_SIDECAR_SUFFIXES = (".yaml", ".yml")
_DOC_SUFFIXES = SUPPORTED_SUFFIXES


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    id: str
    path: Path
    format: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(slots=True)
class LibrarySettings:
    boilerplate: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def parse_options(self) -> ParseOptions:
        return ParseOptions(BoilerplateMatcher((*DEFAULT_BOILERPLATE, *self.boilerplate)))


def load_settings(root: Path) -> LibrarySettings:
    path = root / SETTINGS_FILE
    settings = LibrarySettings()
    if not path.is_file():
        return settings
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        settings.warnings.append(f"{SETTINGS_FILE}: cannot read it ({type(exc).__name__}); defaults used")
        return settings
    if not isinstance(data, dict):
        settings.warnings.append(f"{SETTINGS_FILE}: expected a mapping; defaults used")
        return settings
    extra = data.get("boilerplate", [])
    if isinstance(extra, list) and all(isinstance(x, str) for x in extra):
        settings.boilerplate = list(extra)
    else:
        settings.warnings.append(f"{SETTINGS_FILE}: 'boilerplate' must be a list of lines; ignored")
    return settings


@dataclass(slots=True)
class LibraryScan:
    documents: list[LibraryEntry]
    unsupported: list[Path]


class Library:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.settings = load_settings(root) if root.is_dir() else LibrarySettings()
        self._options = self.settings.parse_options()
        self._slug_cache: dict[tuple[str, str], str] = {}  # a long-running reader scans often

    @property
    def parse_options(self) -> ParseOptions:
        return self._options

    def scan(self) -> LibraryScan:
        """Every document and unsupported file below the root, in a stable order.

        Plain strings and os.scandir: this runs on every start and every search
        update, over libraries of tens of thousands of files.
        """
        if not self.root.is_dir():
            return LibraryScan([], [])
        files: list[tuple[str, str]] = []  # (relative folder, file name)
        pending = [""]
        while pending:
            rel = pending.pop()
            try:
                entries = sorted(os.scandir(os.path.join(self.root, rel)), key=lambda e: e.name)
            except OSError:
                continue
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    subdirs.append(os.path.join(rel, entry.name) if rel else entry.name)
                else:
                    files.append((rel, entry.name))
            pending.extend(reversed(subdirs))
        files.sort()
        doc_files = [(rel, name) for rel, name in files if _suffix(name) in _DOC_SUFFIXES]
        stems = {(rel, name.rsplit(".", 1)[0]) for rel, name in doc_files} | set(doc_files)
        unsupported: list[Path] = []
        for rel, name in files:
            suffix = _suffix(name)
            if suffix in _DOC_SUFFIXES:
                continue
            if suffix in _SIDECAR_SUFFIXES:
                if (not rel and name in _RESERVED) or (rel, name.rsplit(".", 1)[0]) in stems:
                    continue
            unsupported.append(self.root / rel / name)
        return LibraryScan(self._assign_ids(doc_files), unsupported)

    def _assign_ids(self, docs: list[tuple[str, str]]) -> list[LibraryEntry]:
        slugs = []
        cache = self._slug_cache
        for rel, name in docs:
            key = (rel, name)
            slug = cache.get(key)
            if slug is None:
                parts = [p for p in rel.split(os.sep) if p] + [name.rsplit(".", 1)[0]]
                slug = cache[key] = "/".join(slugify(part) for part in parts)
            slugs.append(slug)
        counts: dict[str, int] = {}
        for slug in slugs:
            counts[slug] = counts.get(slug, 0) + 1
        entries = []
        for (rel, name), slug in zip(docs, slugs, strict=True):
            suffix = _suffix(name)
            if counts[slug] > 1:  # report.txt and report.md: keep both, told apart by type
                slug = f"{slug}.{suffix.lstrip('.')}"
            path = Path(os.path.join(self.root, rel, name))
            entries.append(LibraryEntry(slug, path, "markdown" if suffix in MARKDOWN_SUFFIXES else "text"))
        return entries

    def find(self, ref: str) -> LibraryEntry | None:
        """A document by id, by path (absolute, relative to cwd or to the library), or by file name."""
        entries = self.scan().documents
        for e in entries:
            if e.id == ref:
                return e
        candidate = Path(ref).expanduser()
        for path in (candidate, self.root / candidate):
            if path.is_file():
                resolved = path.resolve()
                for e in entries:
                    if e.path.resolve() == resolved:
                        return e
        for e in entries:
            if e.path.name == ref or e.path.stem == ref:
                return e
        return None

    def parse(self, entry: LibraryEntry) -> Document:
        return parse_file(entry.path, doc_id=entry.id, options=self._options)
