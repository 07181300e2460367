"""Read a document file into text: encodings, byte-order marks, binary and empty files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .visible import visible_name

# A file this large is still parsed, but read in one piece; beyond this we refuse,
# because a "document" of this size is almost certainly not an article.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

_BINARY_SNIFF = 8192
_NOT_SUSPICIOUS = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


class DocumentError(Exception):
    """A file that cannot be read as a document (binary, empty, unreadable)."""

    def __init__(self, code: str, message: str) -> None:
        message = visible_name(message)  # it names the file, whose name may hold escape sequences
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str
    encoding: str
    had_bom: bool
    fallback: bool  # True when the file was not valid UTF-8


def read_source(path: Path) -> SourceText:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            "too-large",
            f"{path.name} is {size // (1024 * 1024)} MB; documents over "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are skipped",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_bytes(data, name=path.name)


def decode_bytes(data: bytes, name: str = "document") -> SourceText:
    if not data.strip():
        raise DocumentError("empty", f"{name} is empty")
    if _looks_binary(data):
        raise DocumentError("binary", f"{name} looks like a binary file, not text")
    had_bom = data.startswith(codecs.BOM_UTF8)
    if had_bom:
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return SourceText(data.decode("utf-16"), "utf-16", True, False)
    try:
        return SourceText(data.decode("utf-8"), "utf-8", had_bom, False)
    except UnicodeDecodeError:
        pass
    encoding = _detect_legacy_encoding(data)
    return SourceText(data.decode(encoding, errors="replace"), encoding, had_bom, True)


def _looks_binary(data: bytes) -> bool:
    head = data[:_BINARY_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    # Control bytes other than tab, newline, carriage return, form feed and escape
    # are rare in text in any encoding.  (translate deletes everything else, in C.)
    controls = len(head.translate(None, _NOT_SUSPICIOUS))
    return controls > max(8, len(head) // 100)


def _detect_legacy_encoding(data: bytes) -> str:
    """Best guess for text that is not UTF-8 (cp1252 is what the web mostly meant)."""
    from charset_normalizer import from_bytes  # only for files that are not UTF-8: a slow import

    results = from_bytes(data[:1_000_000])
    best = results.best()
    if best is not None and best.encoding:
        # On short Latin text several code pages tie; cp1252 is the one the web meant.
        tied = {m.encoding for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
        if "cp1252" in tied:
            return "cp1252"
        return codecs.lookup(best.encoding).name
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"
