"""E-mail (``.eml``): newsletters and tips as they arrive, read with the standard library.

Headers are the metadata (Subject the title, From the author, Date the date); the HTML
part goes through the HTML reader, else the text part through the text reader;
attachments are listed at the end, never opened.  Offsets: the body part's decoded
text (transfer encoding and charset undone), named in ``Document.parts`` by its MIME
section number ("1", "1.2", as IMAP numbers parts), since a quoted-printable or base64
body has no offsets of its own in the file.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

from ..inline import make_displayable
from ..mapped import MappedText
from ..metadata import Metadata
from ..model import PARAGRAPH, Block, Document, ParseWarning, SourcePart
from ..parse import parse_text
from ..textio import MAX_DOCUMENT_BYTES, DocumentError, decode_bytes
from . import Format, ReadRequest, document_from
from ._html_tree import parse_tree
from .html import html_document


def load_message(request: ReadRequest) -> EmailMessage:
    path = request.path
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError("too-large", f"{path.name} is {size // 2**20} MB; refused")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    decode_bytes(data, name=path.name)  # empty and binary files fail here, with their message
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
        raise DocumentError("malformed", f"{path.name} is not an e-mail message")
    return message


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse
        value = None
    if value is None:
        return None
    text = " ".join(make_displayable(str(value)).split())
    return text or None


def header_metadata(message: Message) -> Metadata:
    meta = Metadata(title=_header(message, "Subject"))
    sender = _header(message, "From")
    if sender:
        names = [name or addr for name, addr in getaddresses([sender]) if name or addr]
        meta.authors = names[:1]
    date = _header(message, "Date")
    if date:
        try:
            meta.date = parsedate_to_datetime(date).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    return meta


def _sections(message: Message, prefix: str = "") -> list[tuple[str, Message]]:
    """Every leaf part with its MIME section number."""
    if not message.is_multipart():
        return [(prefix or "1", message)]
    found: list[tuple[str, Message]] = []
    payload = message.get_payload()
    for i, part in enumerate(payload if isinstance(payload, list) else [], start=1):
        number = f"{prefix}.{i}" if prefix else str(i)
        found.extend(_sections(part, number))
    return found


def _text_of(part: Message, warnings: list[ParseWarning]) -> str | None:
    if not isinstance(part, EmailMessage):  # never: load_message parses with policy.default
        return None
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset or broken encoding
        raw = part.get_payload(decode=True) or b""
        content = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        warnings.append(ParseWarning("encoding", "the body's charset is unknown; decoded as UTF-8"))
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return make_displayable(content) if isinstance(content, str) else None


def body_part(message: Message) -> tuple[str, str, Message] | None:
    """(section, content type, part) of the part to read: the HTML one, else the plain text."""
    sections = [(n, p) for n, p in _sections(message) if not _is_attachment(p)]
    for wanted in ("text/html", "text/plain"):
        for number, part in sections:
            if part.get_content_type() == wanted:
                return number, wanted, part
    return None


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or (
        bool(part.get_filename()) and part.get_content_maintype() not in ("text", "multipart")
    )


def attachments(message: Message) -> list[str]:
    listed = []
    for _, part in _sections(message):
        if not _is_attachment(part):
            continue
        name = make_displayable(part.get_filename() or "(unnamed)")
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        listed.append(f"[attachment: {name}, {part.get_content_type()}, {_size(size)}]")
    return listed


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB" if n < 2**20 else f"{n / 2**20:.1f} MB"


def read_message(
    message: Message, request: ReadRequest, fmt: str, meta: Metadata, *, list_attachments: bool = True
) -> Document:
    warnings = request.warnings
    chosen = body_part(message)
    if chosen is None:
        text, section, ctype = "", "1", "text/plain"
        warnings.append(ParseWarning("empty", "the message has no text or HTML part"))
    else:
        section, ctype, part = chosen
        text = _text_of(part, warnings) or ""
    if ctype == "text/html" and text.strip():
        doc = html_document(parse_tree(text), request=request, fmt=fmt, encoding="utf-8", base_meta=meta)
    elif text.strip():
        doc = parse_text(
            text,
            path=request.path,
            fmt=fmt,
            doc_id=request.doc_id,
            options=request.options,
            # The subject is the known title: a first line repeating it is taken, any other is text.
            sidecar=request.sidecar.merged_over(meta),
            warnings=warnings,
        )
    else:
        doc = document_from(request, meta, fmt=fmt, blocks=[], footnotes=[])
    doc.format = fmt
    doc.parts = [SourcePart(0, member=section)]
    end = len(text)
    for line in attachments(message) if list_attachments else []:
        doc.blocks.append(Block(PARAGRAPH, MappedText.synthetic(line, end)))
    return doc


def read(request: ReadRequest) -> Document:
    message = load_message(request)
    return read_message(message, request, FORMAT.name, header_metadata(message))


FORMAT = Format("email", frozenset({".eml"}), read, description="e-mail message")
