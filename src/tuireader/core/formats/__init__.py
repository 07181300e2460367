"""The document formats: one module each, found by the registry, none known elsewhere.

A format module in this package defines ``FORMAT = Format(...)``: its name, the
suffixes it takes, optionally the leading bytes ("magic") that identify it whatever
the file is called, and a ``read`` function that turns a ``ReadRequest`` into a
``Document``.  Adding a format is adding a module here (and its tests); the rest of
the program asks this registry, never a suffix list of its own.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..metadata import Metadata, MetadataError, load_yaml_metadata, sidecar_for
from ..model import Block, Document, Footnote, ParseWarning, SourcePart
from ..parse import ParseOptions, default_id
from ..textio import DocumentError, SourceText, read_source
from ..visible import make_displayable

__all__ = [
    "Format",
    "ParseOptions",
    "ReadRequest",
    "document_from",
    "fallback_title",
    "format_for",
    "formats",
    "parse_file",
    "read_text_source",
    "supported_suffixes",
]

_HEAD_BYTES = 1024  # what the sniffers see of a file's start


@dataclass(slots=True)
class ReadRequest:
    """What a format's reader is given: the file, the id it will have, the library's
    options, the sidecar's metadata (which wins over anything the file says) and the
    warnings found before reading (a sidecar that did not load)."""

    path: Path
    doc_id: str
    options: ParseOptions
    sidecar: Metadata
    warnings: list[ParseWarning]


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # as stored in Document.format and shown by `check`: "text", "markdown", "html", …
    suffixes: frozenset[str]  # lower case, with the dot
    read: Callable[[ReadRequest], Document]
    magic: tuple[bytes, ...] = ()  # leading bytes that identify the format whatever the suffix
    description: str = ""
    # For a format whose signature need not lead the file (a PDF after a few junk bytes):
    # (the file's first 1 KB, its path) -> whether the content is this format.
    sniff: Callable[[bytes, Path], bool] | None = None

    def claims(self, head: bytes, path: Path) -> bool:
        return any(head.startswith(m) for m in self.magic) or (self.sniff is not None and self.sniff(head, path))


@cache
def formats() -> tuple[Format, ...]:
    """Every format module of this package, in name order."""
    found: list[Format] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, Format):
            found.append(fmt)
    return tuple(sorted(found, key=lambda f: f.name))


@cache
def _by_suffix() -> dict[str, Format]:
    table: dict[str, Format] = {}
    for fmt in formats():
        for suffix in fmt.suffixes:
            if suffix in table:
                raise RuntimeError(f"suffix {suffix} claimed by both {table[suffix].name} and {fmt.name}")
            table[suffix] = fmt
    return table


def supported_suffixes() -> frozenset[str]:
    return frozenset(_by_suffix())


def suffix_of(name: str) -> str:
    """The lower-case suffix of a file name (``""`` for none or a dot file)."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def format_for(path: Path) -> Format | None:
    """The format a file's name says, or None for a file we do not read."""
    return _by_suffix().get(suffix_of(path.name))


def format_for_name(name: str) -> Format | None:
    """As ``format_for``, from a file's name or path as a string (no Path made: the catalog
    asks this for every one of 100,000 documents at start)."""
    return _by_suffix().get(suffix_of(name.rsplit("/", 1)[-1]))


def format_named(name: str) -> Format | None:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    return None


def _sniff(path: Path, named: Format) -> Format | None:
    """The format the first bytes say; the named one when its own magic matches, since
    several formats share one (EPUB, DOCX and ODT are all zip archives)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    if named.claims(head, path):
        return named
    claimed = [fmt for fmt in formats() if fmt.claims(head, path)]
    # Only a magic that one format alone claims overrides the name (an .html that is a PDF);
    # a zip could be any of several, so the named format's reader says what it makes of it.
    return claimed[0] if len(claimed) == 1 else None


def fallback_title(path: Path) -> str:
    """The title of a document that states none: its file name, read as words."""
    return path.stem.replace("_", " ").replace("-", " ").strip() or "Untitled"


def document_from(
    request: ReadRequest,
    meta: Metadata,
    *,
    fmt: str,
    blocks: list[Block],
    footnotes: list[Footnote],
    encoding: str = "utf-8",
    meta_spans: dict[str, tuple[int, int]] | None = None,
    parts: list[SourcePart] | None = None,
) -> Document:
    """The document every format returns: the sidecar's metadata over what the file says
    (``meta``), the title falling back to the file name, and metadata made displayable like
    the text (it reaches the terminal too: a YAML or XML value may hold control characters)."""
    merged = request.sidecar.merged_over(meta)
    return Document(
        id=request.doc_id,
        path=request.path,
        format=fmt,
        title=" ".join(make_displayable(merged.title or fallback_title(request.path)).split()),
        authors=[" ".join(make_displayable(a).split()) for a in merged.authors],
        date=merged.date,
        date_end=merged.date_end,
        source=make_displayable(merged.source) if merged.source else None,
        url=merged.url,
        tags=[make_displayable(t) for t in merged.tags],
        blocks=blocks,
        footnotes=footnotes,
        warnings=request.warnings,
        encoding=encoding,
        meta_spans=meta_spans if meta_spans is not None else {},
        parts=parts if parts is not None else [],
        language=merged.language,
    )


def parse_file(path: Path, *, doc_id: str | None = None, options: ParseOptions | None = None) -> Document:
    """Read one file with the format its name says (or its content, when they disagree).

    Raises ``DocumentError`` for a file that cannot be read as a document.
    """
    named = format_for(path)
    if named is None:
        raise DocumentError("unsupported", f"{path.name}: unsupported file type {path.suffix or '(none)'}")
    warnings: list[ParseWarning] = []
    fmt = named
    sniffed = _sniff(path, named)
    if sniffed is not None and sniffed is not named:
        # A wrong suffix (an .html that is a PDF) is common in downloads: trust the content, say so.
        warnings.append(ParseWarning("wrong-suffix", f"named {path.suffix} but the content is {sniffed.name}"))
        fmt = sniffed
    # A file that no magic claims goes to the format its name says, whose reader knows best
    # what is wrong with it (an encrypted Word file, an empty archive, plain text).
    request = ReadRequest(
        path, doc_id or default_id(path), options or ParseOptions(), _sidecar(path, warnings), warnings
    )
    return fmt.read(request)


def _sidecar(path: Path, warnings: list[ParseWarning]) -> Metadata:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return Metadata()
    try:
        return load_yaml_metadata(sidecar.read_text(encoding="utf-8-sig"))
    except (MetadataError, OSError, UnicodeDecodeError) as exc:
        warnings.append(ParseWarning("sidecar", f"{sidecar.name}: {exc}; sidecar ignored"))
        return Metadata()


def read_text_source(request: ReadRequest) -> SourceText:
    """A text format's file decoded (see ``textio``), with the warning when it was not UTF-8."""
    source = read_source(request.path)
    if source.invalid:
        request.warnings.append(
            ParseWarning("encoding", f"{source.invalid} bytes are not valid UTF-8; each is shown as \ufffd")
        )
    elif source.fallback:
        request.warnings.append(
            ParseWarning("encoding", f"not valid UTF-8; decoded as {source.encoding} (some characters may be wrong)")
        )
    return source
