"""XML members of office archives, read safely and with every text node's offset.

A member's *decoded text* is its bytes decoded as UTF-8, nothing removed: the
offsets given here are character offsets into that string, so
``member_bytes.decode("utf-8")[start:end]`` is the XML that a piece of text came
from (``&amp;`` for ``&``, ``\\r\\n`` for a line break expat reported as ``\\n``).

Untrusted archives: a document type declaration is refused outright (no entity
of any kind can be declared, so none is expanded or fetched); members are read
with a cap on what they inflate to (a zip bomb stops at the cap, not at the disk).
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_left
from dataclasses import dataclass, field
from xml.parsers import expat

from ..textio import DocumentError

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # a 1,000-page report's document.xml is ~20 MB
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20


class XmlError(Exception):
    pass


@dataclass(slots=True)
class Text:
    text: str
    start: int  # character offsets in the member's decoded text
    end: int

    @property
    def exact(self) -> bool:
        return self.end - self.start == len(self.text)


@dataclass(slots=True)
class Node:
    tag: str  # "{namespace}local"
    attrs: dict[str, str]
    start: int  # offset of the start tag
    end: int = 0  # offset just past the end tag
    children: list[Node | Text] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def find(self, tag: str) -> Node | None:
        for c in self.children:
            if isinstance(c, Node) and c.tag == tag:
                return c
        return None

    def iter(self, tag: str | None = None):
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                yield node
            stack.extend(reversed(node.elements()))

    def text_content(self) -> str:
        out: list[str] = []
        stack: list[Node | Text] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, Text):
                out.append(item.text)
            else:
                stack.extend(reversed(item.children))
        return "".join(out)


def parse_xml(data: bytes, name: str) -> tuple[Node, str]:
    """The root element and the decoded text of one XML member.

    Raises ``XmlError`` (one line) for malformed XML, a DTD, or a member not in UTF-8.
    """
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        raise XmlError(f"{name} is not UTF-8 XML") from None
    # byte offset -> character offset: subtract the UTF-8 continuation bytes before it
    continuation = [m.start() for m in re.finditer(rb"[\x80-\xbf]", data)] if len(decoded) != len(data) else []

    def char_at(byte: int) -> int:
        return byte - bisect_left(continuation, byte) if continuation else byte

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = False
    root_holder: list[Node] = []
    stack: list[Node] = []
    pending: list[tuple[str, int]] = []  # a character-data piece whose end the next event tells

    def close_pending(at_byte: int) -> None:
        if pending:
            text, begin = pending.pop()
            if stack:
                start = char_at(begin)
                encoded = len(text.encode("utf-8"))
                # a piece starting with "&" is a reference (&amp;, &#38;): XML never has a bare "&"
                if not text.startswith("&") and data[begin : begin + encoded] == text.encode("utf-8"):
                    end = start + len(text)
                else:
                    end = char_at(at_byte)
                stack[-1].children.append(Text(text, start, end))

    def qualified(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        close_pending(parser.CurrentByteIndex)
        node = Node(qualified(tag), {qualified(k): v for k, v in attrs.items()}, char_at(parser.CurrentByteIndex))
        if stack:
            stack[-1].children.append(node)
        else:
            root_holder.append(node)
        stack.append(node)

    def on_end(tag: str) -> None:
        close_pending(parser.CurrentByteIndex)
        node = stack.pop()
        node.end = char_at(parser.CurrentByteIndex)  # start of the end tag: close enough for a span

    def on_text(text: str) -> None:
        close_pending(parser.CurrentByteIndex)
        pending.append((text, parser.CurrentByteIndex))

    def on_other(*_args: object) -> None:
        close_pending(parser.CurrentByteIndex)

    def refuse_dtd(*_args: object) -> None:
        raise XmlError(f"{name} declares a document type (refused: entities are never expanded or fetched)")

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.CommentHandler = on_other
    parser.ProcessingInstructionHandler = on_other
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = lambda *a: 0
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(f"{name} is not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno})") from None
    if not root_holder:
        raise XmlError(f"{name} has no XML element")
    return root_holder[0], decoded


def open_archive(path, kind: str) -> zipfile.ZipFile:
    """The zip archive of an office document (``kind``: "a Word document"), or a one-line
    ``DocumentError``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # Office writes a password-protected file (and the old binary formats) as an OLE compound file.
        raise DocumentError("encrypted", f"{path.name} is password-protected or an old binary Office file, not {kind}")
    if not head:
        raise DocumentError("empty", f"{path.name} is empty")
    if not head.startswith(b"PK"):
        raise DocumentError("malformed", f"{path.name} is not {kind} (not a zip archive)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError("malformed", f"{path.name} is a damaged zip archive ({exc})") from None
    if not archive.infolist():
        archive.close()
        raise DocumentError("empty", f"{path.name} is an empty archive")
    return archive


class MemberReader:
    """Reads members of one archive under a per-member and a whole-archive cap."""

    def __init__(self, archive: zipfile.ZipFile, display_name: str) -> None:
        self.archive = archive
        self.display_name = display_name
        self.total = 0
        self.names = set(archive.namelist())

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.archive.getinfo(name)
        if info.flag_bits & 0x1:
            raise DocumentError("encrypted", f"{self.display_name}: {name} is encrypted")
        if info.file_size > MAX_MEMBER_BYTES:
            raise self._bomb(name)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as fh:
                # The declared size can lie: count what really comes out.
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    if size > MAX_MEMBER_BYTES or self.total + size > MAX_ARCHIVE_BYTES:
                        raise self._bomb(name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
            raise DocumentError("malformed", f"{self.display_name}: {name} cannot be unpacked ({exc})") from None
        except RuntimeError as exc:  # zipfile's "encrypted, password required"
            raise DocumentError("encrypted", f"{self.display_name}: {name}: {exc}") from None
        self.total += size
        return b"".join(chunks)

    def _bomb(self, name: str) -> DocumentError:
        return DocumentError(
            "too-large",
            f"{self.display_name}: {name} inflates past {MAX_MEMBER_BYTES // (1024 * 1024)} MB; refused (a zip bomb?)",
        )
