"""EPUB 2 and 3: books and long reports, read with the standard library's zip and XML readers.

Chapters are read in spine order; each is an XHTML tree for the shared walker, so a
marker in one chapter finds its note in another (``ch3.xhtml`` -> ``notes.xhtml#n12``),
and a chapter that holds only notes becomes notes, not body text.  Offsets: the
document's source is the spine members' decoded texts laid end to end, and
``Document.parts`` says where each member begins (``Document.locate``).

Archives are untrusted: members are inflated up to a cap (a zip bomb stops there), XML
with entity declarations is refused (nothing is expanded or fetched), encrypted books
are refused with a message.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from urllib.parse import unquote
from xml.etree import ElementTree

from ..inline import make_displayable
from ..mapped import MappedText
from ..metadata import Metadata
from ..model import HEADING, Block, Document, ParseWarning, SourcePart
from ..textio import MAX_DOCUMENT_BYTES, DocumentError, decode_bytes
from . import Format, ReadRequest, document_from
from ._html_tree import HtmlTree, parse_tree
from ._html_walker import BlockWalker, build_footnotes, drop_notes_headings, link_notes
from .html import iso_date, take_byline, take_title

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one chapter inflated; a bomb's member stops here
MAX_CHAPTERS = 10_000  # read in ~6 s on one core; a book with more is refused, not hung on
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
# Fonts are "encrypted" by obfuscation in ordinary books: that is not DRM.
_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_TOC_LINK_SHARE = 0.9


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Book:
    def __init__(self, request: ReadRequest) -> None:
        self.name = request.path.name
        try:
            self.zip = zipfile.ZipFile(request.path)
        except (zipfile.BadZipFile, ValueError, EOFError, struct.error):  # ValueError: a garbled name
            raise DocumentError("malformed", f"{self.name} is not an EPUB (not a zip archive)") from None
        except OSError as exc:
            raise DocumentError("unreadable", f"cannot read {request.path}: {exc.strerror or exc}") from None
        self.infos = {i.filename: i for i in self.zip.infolist()}
        if not self.infos:
            raise DocumentError("empty", f"{self.name} is an empty archive")
        self.inflated = 0

    def read(self, member: str) -> bytes:
        info = self.infos.get(member)
        if info is None:
            raise DocumentError("malformed", f"{self.name}: {member} is missing from the archive")
        if info.flag_bits & 0x1:
            raise DocumentError("encrypted", f"{self.name} is password-protected: it cannot be read")
        cap = min(MAX_MEMBER_BYTES, MAX_DOCUMENT_BYTES - self.inflated)
        if info.file_size > cap:
            raise DocumentError("too-large", f"{self.name}: {member} inflates to {info.file_size // 2**20} MB; refused")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(cap + 1)  # the header's size can lie: read no more than the cap
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
            struct.error,
        ) as exc:
            raise DocumentError("malformed", f"{self.name}: {member} is damaged ({exc})") from None
        if len(data) > cap:
            raise DocumentError("too-large", f"{self.name}: {member} inflates past {cap // 2**20} MB; refused")
        self.inflated += len(data)
        return data

    def xml(self, member: str) -> ElementTree.Element:
        data = self.read(member)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            declares_entities = "<!ENTITY" in data.decode("utf-16", "replace")
        else:
            declares_entities = b"<!ENTITY" in data
        if declares_entities:
            raise DocumentError("malformed", f"{self.name}: {member} declares XML entities; refused (never expanded)")
        try:
            return ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise DocumentError("malformed", f"{self.name}: {member} is not well-formed XML ({exc})") from None


def _package_path(book: _Book) -> str:
    if "META-INF/container.xml" in book.infos:
        for node in book.xml("META-INF/container.xml").iter():
            if _local(node.tag) == "rootfile" and node.get("full-path"):
                return node.get("full-path", "")
    opfs = sorted(n for n in book.infos if n.lower().endswith(".opf"))
    if not opfs:
        raise DocumentError("malformed", f"{book.name} is not an EPUB (no package document)")
    return opfs[0]


def _check_drm(book: _Book) -> None:
    if "META-INF/rights.xml" in book.infos:
        raise DocumentError("encrypted", f"{book.name} is DRM-protected (Adobe rights.xml): it cannot be read")
    if "META-INF/encryption.xml" not in book.infos:
        return
    for node in book.xml("META-INF/encryption.xml").iter():
        if _local(node.tag) == "EncryptionMethod" and node.get("Algorithm") not in _FONT_OBFUSCATION:
            raise DocumentError("encrypted", f"{book.name} is DRM-protected (encrypted chapters): it cannot be read")


def _metadata(package: ElementTree.Element) -> Metadata:
    meta = Metadata()
    for node in package.iter():
        name = _local(node.tag)
        text = " ".join(make_displayable("".join(node.itertext())).split())
        if not text:
            continue
        if name == "title" and meta.title is None:
            meta.title = text
        elif name == "creator" and text not in meta.authors:
            meta.authors.append(text)
        elif name == "date" and meta.date is None:
            meta.date = iso_date(text)
        elif name == "publisher" and meta.source is None:
            meta.source = text
        elif name == "subject" and len(meta.tags) < 20:
            meta.tags.append(text)
        elif name == "identifier" and meta.url is None and text.startswith(("http://", "https://")):
            meta.url = text
    return meta


def _spine(book: _Book, opf_path: str, package: ElementTree.Element) -> tuple[list[str], set[str], str | None]:
    """Spine members in reading order, the nav documents, and the NCX."""
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, str]] = {}
    ncx = None
    for node in package.iter():
        if _local(node.tag) == "item" and node.get("id") and node.get("href"):
            href = posixpath.normpath(posixpath.join(base, unquote(node.get("href", "").split("#")[0])))
            media = node.get("media-type", "")
            manifest[node.get("id", "")] = (href, media, node.get("properties", ""))
            if media == "application/x-dtbncx+xml":
                ncx = href
    order: dict[str, None] = {}  # a dict keeps the spine's order and drops a repeated chapter
    for node in package.iter():
        if _local(node.tag) == "itemref":
            item = manifest.get(node.get("idref", ""))
            if item and item[1] in _XHTML_TYPES:
                order.setdefault(item[0])
    navs = {href for href, _, props in manifest.values() if "nav" in props.split()}
    return list(order), navs, ncx


def _nav_titles(book: _Book, navs: set[str]) -> dict[str, str]:
    """Chapter titles from an EPUB 3 navigation document's table of contents."""
    titles: dict[str, str] = {}
    for nav in sorted(navs):
        if nav not in book.infos:
            continue
        try:
            tree = parse_tree(decode_bytes(book.read(nav), name=nav).text, member=nav)
        except DocumentError:
            continue
        for node in tree.root.iter():
            href = node.get("href") if node.tag == "a" else ""
            label = " ".join(node.text().split()) if href else ""
            if label and "://" not in href:
                member = posixpath.normpath(posixpath.join(posixpath.dirname(nav), unquote(href.split("#")[0])))
                titles.setdefault(member, make_displayable(label))
    return titles


def _toc_titles(book: _Book, ncx: str | None) -> dict[str, str]:
    """Chapter titles from the NCX, for chapters that carry no heading of their own."""
    titles: dict[str, str] = {}
    if ncx is None or ncx not in book.infos:
        return titles
    try:
        root = book.xml(ncx)
    except DocumentError:
        return titles
    base = posixpath.dirname(ncx)
    for point in root.iter():
        if _local(point.tag) != "navPoint":
            continue
        label = content = None
        for child in point:
            if _local(child.tag) == "navLabel":
                label = " ".join("".join(child.itertext()).split())
            elif _local(child.tag) == "content":
                content = child.get("src", "")
        if label and content:
            member = posixpath.normpath(posixpath.join(base, unquote(content.split("#")[0])))
            titles.setdefault(member, make_displayable(label))
    return titles


def _is_toc(tree: HtmlTree) -> bool:
    """A chapter that is a table of contents: nearly all its text is links."""
    body = tree.find("body") or tree.root
    headings = sum(len("".join(n.text().split())) for n in body.iter() if n.tag in ("h1", "h2", "h3", "h4"))
    total = len("".join(body.text().split())) - headings
    linked = sum(len("".join(n.text().split())) for n in body.iter() if n.tag == "a" and n.get("href"))
    return total > 0 and linked >= _TOC_LINK_SHARE * total


def read(request: ReadRequest) -> Document:
    book = _Book(request)
    warnings = request.warnings
    _check_drm(book)
    opf_path = _package_path(book)
    package = book.xml(opf_path)
    meta = _metadata(package)
    spine, navs, ncx = _spine(book, opf_path, package)
    if not spine:
        raise DocumentError("malformed", f"{book.name} has no chapters (its spine is empty)")
    if len(spine) > MAX_CHAPTERS:
        raise DocumentError("too-large", f"{book.name} has {len(spine)} chapters; more than {MAX_CHAPTERS} are refused")
    titles = _nav_titles(book, navs) | _toc_titles(book, ncx)  # the NCX's where both name a chapter

    trees: list[HtmlTree] = []
    parts: list[SourcePart] = []
    offset = 0
    for member in spine:
        if member in navs:
            continue  # the book's own table of contents
        if member not in book.infos:
            warnings.append(ParseWarning("missing-chapter", f"{member} is in the spine but not in the archive"))
            continue
        try:
            source = decode_bytes(book.read(member), name=member)
        except DocumentError as exc:
            if exc.code in ("too-large", "encrypted"):
                raise
            warnings.append(ParseWarning("chapter", f"{member}: {exc.message}; skipped"))
            continue
        text = make_displayable(source.text)
        trees.append(parse_tree(text, base=offset, member=member))
        parts.append(SourcePart(offset, member=member))
        offset += len(text)

    links = link_notes(trees)
    blocks: list[Block] = []
    stray = 0
    for tree in trees:
        stray += tree.stray_end_tags
        if tree.member not in links.citing_members and _is_toc(tree):
            continue
        body = tree.find("body") or tree.root
        chapter = drop_notes_headings(BlockWalker(links, site_furniture=False).walk(body))
        if chapter and chapter[0].kind != HEADING and tree.member in titles:
            heading = Block(HEADING, MappedText.synthetic(titles[tree.member], chapter[0].source_start), level=1)
            chapter.insert(0, heading)
        blocks.extend(chapter)
    spans: dict[str, tuple[int, int]] = {}
    blocks = take_byline(
        take_title(blocks, meta, spans, first_heading=False), meta, spans
    )  # a title page repeats the OPF
    footnotes = build_footnotes(links, blocks, warnings)
    if stray:
        warnings.append(ParseWarning("markup", f"{stray} end tag(s) without a matching start tag"))
    if not blocks:
        warnings.append(ParseWarning("empty", "no readable text in this book"))
    return document_from(
        request, meta, fmt=FORMAT.name, blocks=blocks, footnotes=footnotes, meta_spans=spans, parts=parts
    )


# A zip's magic, shared with DOCX: the registry keeps the named format when its magic matches.
FORMAT = Format("epub", frozenset({".epub"}), read, magic=(b"PK\x03\x04", b"PK\x05\x06"), description="EPUB book")
