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
from .parse import ParseOptions, format_for, parse_file, slugify

SETTINGS_FILE = "tuireader.yaml"
GAZETTEER_FILE = "entities.yaml"
_RESERVED = frozenset({SETTINGS_FILE, GAZETTEER_FILE})
_SIDECAR_SUFFIXES = (".yaml", ".yml")


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

    @property
    def parse_options(self) -> ParseOptions:
        return self._options

    def scan(self) -> LibraryScan:
        if not self.root.is_dir():
            return LibraryScan([], [])
        files: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    files.append(Path(dirpath) / name)
        docs = [p for p in files if format_for(p)]
        doc_stems = {(p.parent, p.stem) for p in docs} | {(p.parent, p.name) for p in docs}
        unsupported: list[Path] = []
        for p in files:
            if format_for(p):
                continue
            if p.suffix.lower() in _SIDECAR_SUFFIXES:
                if (p.parent == self.root and p.name in _RESERVED) or (p.parent, p.stem) in doc_stems:
                    continue
            unsupported.append(p)
        return LibraryScan(self._assign_ids(docs), unsupported)

    def _assign_ids(self, docs: list[Path]) -> list[LibraryEntry]:
        base: dict[Path, str] = {}
        for p in docs:
            rel = p.relative_to(self.root)
            base[p] = "/".join(slugify(part) for part in (*rel.parent.parts, rel.stem))
        counts: dict[str, int] = {}
        for slug in base.values():
            counts[slug] = counts.get(slug, 0) + 1
        entries = []
        for p in docs:
            slug = base[p]
            if counts[slug] > 1:  # report.txt and report.md: keep both, told apart by type
                slug = f"{slug}.{p.suffix.lstrip('.').lower()}"
            entries.append(LibraryEntry(slug, p, format_for(p) or "text"))
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
