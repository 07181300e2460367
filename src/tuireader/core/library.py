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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import DEFAULT_BOILERPLATE, BoilerplateMatcher
from .formats import ParseOptions, format_for_name, parse_file, suffix_of, supported_suffixes
from .model import Document
from .parse import slugify
from .visible import visible_name
from .yamlsafe import load_untrusted

SETTINGS_FILE = "tuireader.yaml"
GAZETTEER_FILE = "entities.yaml"
_RESERVED = frozenset({SETTINGS_FILE, GAZETTEER_FILE})
_SIDECAR_SUFFIXES = (".yaml", ".yml")
_MTIME_TRUST_NS = 2_000_000_000  # coarse filesystems keep mtimes in 1-2 s steps
_UNTRUSTED = -1  # a folder's mtime too recent when it was listed: list it again next time


@dataclass(slots=True)
class LibraryDocument:
    """A document of the library. A scan knows its id, its file and its format; the catalog
    (what the index recorded when it read the document) adds its metadata, so the library
    list and ``related`` need no parse. Those fields stay empty until it has been indexed.

    Treat it as read-only (it is shared between threads).  Not a frozen dataclass only
    because a frozen one takes three times as long to make: 0.43 s for the 100,000 of a
    large library's catalog at every start, against 0.15 s."""

    id: str
    location: str  # the file's path; a string because a scan makes tens of thousands of entries
    format: str
    title: str | None = None
    date: str | None = None
    date_end: str | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    url: str | None = None
    footnotes: int | None = None  # defined notes; None: not indexed yet
    error: str | None = None  # why the index could not read it
    entities: dict[str, list[Any]] | None = None  # canonical name -> [type, mentions]
    tags: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def name(self) -> str:
        return os.path.basename(self.location)

    @property
    def byline(self) -> str:
        """Its authors, or else its source."""
        return ", ".join(self.authors) or (self.source or "")

    @property
    def listed_title(self) -> str:
        """The title, or while it is not indexed the file's name (shown visibly: a name may hold escapes)."""
        return self.title or visible_name(self.path.stem.replace("-", " "))


@dataclass(slots=True)
class LibrarySettings:
    boilerplate: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A library others write into (a shared folder, the web mode) must not serve /etc/passwd
    # through a link: links that leave the library are skipped unless this says otherwise.
    follow_outside_links: bool = False

    def parse_options(self) -> ParseOptions:
        matcher = BoilerplateMatcher((*DEFAULT_BOILERPLATE, *self.boilerplate))
        for problem in matcher.problems:
            message = f"{SETTINGS_FILE}: {problem}"
            if message not in self.warnings:
                self.warnings.append(message)
        return ParseOptions(matcher)


def load_settings(root: Path) -> LibrarySettings:
    path = root / SETTINGS_FILE
    settings = LibrarySettings()
    if not path.is_file():
        return settings
    try:
        import yaml  # only when the library has a settings file: a slow import

        data = load_untrusted(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        why = getattr(exc, "problem", None) or type(exc).__name__
        settings.warnings.append(f"{SETTINGS_FILE}: cannot read it ({why}); defaults used")
        return settings
    if not isinstance(data, dict):
        settings.warnings.append(f"{SETTINGS_FILE}: expected a mapping; defaults used")
        return settings
    extra = data.get("boilerplate", [])
    if isinstance(extra, list) and all(isinstance(x, str) for x in extra):
        settings.boilerplate = list(extra)
    else:
        settings.warnings.append(f"{SETTINGS_FILE}: 'boilerplate' must be a list of lines; ignored")
    follow = data.get("follow_outside_links", False)
    if isinstance(follow, bool):
        settings.follow_outside_links = follow
    else:
        settings.warnings.append(f"{SETTINGS_FILE}: 'follow_outside_links' must be true or false; false used")
    return settings


def _unchanged(folders: list[tuple[str, int]]) -> bool:
    """True when every folder still has the mtime recorded when it was listed.

    A folder changed in the same clock tick as it was listed could keep its mtime; as git
    does, a folder whose mtime was that recent when listed is recorded as never matching
    (``_UNTRUSTED``), so it is listed again next time.
    """
    for folder, mtime_ns in folders:
        try:
            current = os.stat(folder).st_mtime_ns
        except OSError:
            return False
        if current != mtime_ns:
            return False
    return True


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(slots=True)
class LibraryScan:
    documents: list[LibraryDocument]
    unsupported: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, why): links, FIFOs, unreadable folders


class Library:
    def __init__(self, root: Path) -> None:
        # Absolute: paths recorded in the index must not depend on the directory a caller ran in
        # (a relative and an absolute caller would otherwise re-index each other's documents).
        self.root = Path(root).expanduser().resolve()
        self.settings = load_settings(root) if root.is_dir() else LibrarySettings()
        self._options = self.settings.parse_options()
        self._slug_cache: dict[tuple[str, str], str] = {}  # a long-running reader scans often
        self._last_scan: tuple[list[tuple[str, int]], LibraryScan] | None = None
        self.walks = 0  # how many times ``scan`` walked the folders (not reusing the last walk)

    @property
    def parse_options(self) -> ParseOptions:
        return self._options

    def scan(self) -> LibraryScan:
        """Every document and unsupported file below the root, in a stable order.

        Plain strings and os.scandir: this runs on every start and every search
        update, over libraries of tens of thousands of files.  The list depends
        only on names, so the previous scan is reused while no folder's mtime
        has changed (as git trusts its index): adding, removing or renaming a
        file changes its folder's mtime.
        """
        if not self.root.is_dir():
            return LibraryScan([], [])
        if self._last_scan is not None and _unchanged(self._last_scan[0]):
            previous = self._last_scan[1]
            return LibraryScan(list(previous.documents), list(previous.unsupported), list(previous.skipped))
        files: list[tuple[str, str]] = []  # (relative folder, file name)
        folders: list[tuple[str, int]] = []  # (folder, mtime_ns) as seen before listing it
        skipped: list[tuple[Path, str]] = []
        seen_folders: set[tuple[int, int]] = set()  # (device, inode): a link loop is listed once
        seen_files: set[tuple[int, int]] = set()
        root = str(self.root)
        pending = [""]
        while pending:
            rel = pending.pop()
            folder = os.path.join(root, rel)
            try:
                info = os.stat(folder)
                if (info.st_dev, info.st_ino) in seen_folders:
                    skipped.append((Path(folder), "a link to a folder already listed (a loop?)"))
                    continue
                seen_folders.add((info.st_dev, info.st_ino))
                recent = time.time_ns() - info.st_mtime_ns < _MTIME_TRUST_NS
                folders.append((folder, _UNTRUSTED if recent else info.st_mtime_ns))
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                skipped.append((Path(folder), f"cannot read this folder: {exc.strerror or exc}"))
                continue
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if not _is_utf8(entry.name):
                    # Python keeps the bytes as surrogates, which no index, JSON reader or terminal takes
                    skipped.append((Path(entry.path), "its name is not valid UTF-8: rename it to read it"))
                    continue
                why = self._not_followed(entry)
                if why:
                    skipped.append((Path(entry.path), why))
                    continue
                try:
                    is_dir = entry.is_dir()
                    dangling = not is_dir and entry.is_symlink() and not os.path.exists(entry.path)
                    is_file = dangling or (not is_dir and entry.is_file())
                    identity = (info.st_dev, entry.inode())
                    if entry.is_symlink() and is_file and not dangling:
                        target = os.stat(entry.path)
                        identity = (target.st_dev, target.st_ino)
                except OSError as exc:
                    skipped.append((Path(entry.path), f"cannot read it: {exc.strerror or exc}"))
                    continue
                if is_dir:
                    subdirs.append(os.path.join(rel, entry.name) if rel else entry.name)
                elif not is_file:
                    # A FIFO would block every read of it forever; devices and sockets are no documents.
                    skipped.append((Path(entry.path), "not a regular file"))
                elif identity in seen_files:
                    skipped.append((Path(entry.path), "the same file as another one listed (a link)"))
                else:
                    seen_files.add(identity)
                    files.append((rel, entry.name))
            pending.extend(reversed(subdirs))
        files.sort()
        doc_files: list[tuple[str, str, str]] = []  # (folder, name, suffix)
        others: list[tuple[str, str, str]] = []
        doc_suffixes = supported_suffixes()
        for rel, name in files:
            suffix = suffix_of(name)
            (doc_files if suffix in doc_suffixes else others).append((rel, name, suffix))
        # a sidecar is named after the document with or without its suffix: report.yaml, report.md.yaml
        stems = {(rel, name.rsplit(".", 1)[0]) for rel, name, _ in doc_files} | {
            (rel, name) for rel, name, _ in doc_files
        }
        unsupported: list[Path] = []
        for rel, name, suffix in others:
            if suffix in _SIDECAR_SUFFIXES:
                if (not rel and name in _RESERVED) or (rel, name.rsplit(".", 1)[0]) in stems:
                    continue
            unsupported.append(self.root / rel / name)
        scan = LibraryScan(self._assign_ids(doc_files), unsupported, skipped)
        self._last_scan = (folders, LibraryScan(list(scan.documents), list(unsupported), list(skipped)))
        self.walks += 1
        return scan

    def _scan_key(self) -> tuple[Any, ...]:
        """What besides the folders' contents decides a scan's result."""
        return (str(self.root), self.settings.follow_outside_links, tuple(sorted(supported_suffixes())))

    def scan_snapshot(self) -> tuple[Any, ...] | None:
        """The last scan and the folders' mtimes it was made at, as plain data to keep on
        disk, so that the next process can reuse it while no folder changed (``adopt_scan``)."""
        if self._last_scan is None:
            return None
        folders, scan = self._last_scan
        return (
            self._scan_key(),
            [list(f) for f in folders],
            [(d.id, d.location, d.format) for d in scan.documents],
            [str(p) for p in scan.unsupported],
            [(str(p), why) for p, why in scan.skipped],
        )

    def adopt_scan(self, snapshot: Any) -> None:
        """Take a scan kept by an earlier process (``scan_snapshot``); ``scan`` reuses it only
        while every folder still has the mtime it had then.  Anything else is ignored."""
        if self._last_scan is not None:
            return
        try:
            key, folders, docs, unsupported, skipped = snapshot
            if tuple(key) != self._scan_key():
                return
            scan = LibraryScan(
                [LibraryDocument(i, loc, fmt) for i, loc, fmt in docs],
                [Path(p) for p in unsupported],
                [(Path(p), why) for p, why in skipped],
            )
            self._last_scan = ([(str(f), int(m)) for f, m in folders], scan)
        except (TypeError, ValueError):
            return

    def _not_followed(self, entry: os.DirEntry[str]) -> str:
        """Why a symbolic link is not followed ("" when it is, or is no link)."""
        try:
            if not entry.is_symlink():
                return ""
        except OSError:
            return ""
        target = os.path.realpath(entry.path)
        if not os.path.exists(target):
            return ""  # listed, so that reading it fails with a message (check exits 1)
        root = str(self.root)
        inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
        if not inside and not self.settings.follow_outside_links:
            return "a link out of the library (set follow_outside_links: true in tuireader.yaml to read it)"
        return ""

    def _assign_ids(self, docs: list[tuple[str, str, str]]) -> list[LibraryDocument]:
        slugs = []
        cache = self._slug_cache
        for rel, name, _ in docs:
            key = (rel, name)
            slug = cache.get(key)
            if slug is None:
                parts = [p for p in rel.split(os.sep) if p] + [name.rsplit(".", 1)[0]]
                slug = cache[key] = "/".join(slugify(part) for part in parts)
            slugs.append(slug)
        root = str(self.root)
        counts: dict[str, int] = {}
        for slug in slugs:
            counts[slug] = counts.get(slug, 0) + 1
        entries = []
        for (rel, name, suffix), slug in zip(docs, slugs, strict=True):
            if counts[slug] > 1:  # report.txt and report.md: keep both, told apart by type
                slug = f"{slug}.{suffix.lstrip('.')}"
            location = os.path.join(root, rel, name) if rel else os.path.join(root, name)
            fmt = format_for_name(name)
            entries.append(LibraryDocument(slug, location, fmt.name if fmt else "text"))
        return entries

    def find(self, ref: str) -> LibraryDocument | None:
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

    def parse(self, entry: LibraryDocument) -> Document:
        return parse_file(entry.path, doc_id=entry.id, options=self._options)
