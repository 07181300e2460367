"""HTML: saved web pages, e-texts, think-tank reports — the article, not the page.

Offsets are character offsets in the decoded file, as for plain text.  The walker that
turns markup into blocks and notes is shared with EPUB and e-mail (``_html_walker``).
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from ..dates import parse_date_line
from ..inline import make_displayable
from ..metadata import Metadata, author_spans, parse_byline
from ..model import HEADING, Block, Document, ParseWarning
from ..textio import read_source
from . import Format, ReadRequest, document_from
from ._html_tree import HtmlTree, Node, parse_tree
from ._html_walker import BlockWalker, build_footnotes, drop_notes_headings, link_notes, main_region

_ISO_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?=$|[T\s])")
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "report",
        "blogposting",
        "scholarlyarticle",
        "analysisnewsarticle",
        "reportagenewsarticle",
        "techarticle",
        "webpage",
    }
)


def iso_date(value: str | None) -> str | None:
    """``2024-03-05``, ``2024/3/5``, ``2024-03-05T10:00Z`` or a written date -> ISO."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DATE.match(value)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
            return None
        if year.startswith("0"):
            return None  # "0101-01-01": a placeholder some tools write, not a date
        return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])
    found = parse_date_line(value)
    return found.iso if found else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(make_displayable(value).split())
    return value or None


def _json_ld_articles(tree: HtmlTree) -> list[dict]:
    found: list[dict] = []
    for node in tree.root.iter():
        if node.tag != "script" or "ld+json" not in node.get("type").lower():
            continue
        try:
            data = json.loads(node.text())
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                    found.append(item)
    # An article beats the page that holds it.
    found.sort(key=lambda d: str(d.get("@type")).lower() == "webpage")
    return found


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def page_metadata(tree: HtmlTree) -> Metadata:
    """What the page says about itself: Highwire, JSON-LD, OpenGraph, Dublin Core, <meta>, <title>."""
    metas: dict[str, list[str]] = {}
    title_tag = None
    canonical = None
    for node in tree.root.iter():
        if node.tag == "meta":
            key = (node.get("name") or node.get("property") or node.get("itemprop")).strip().lower()
            content = node.get("content")
            if key and content.strip():
                metas.setdefault(key, []).append(content.strip())
        elif node.tag == "title" and title_tag is None:
            title_tag = node.text()
        elif node.tag == "link" and "canonical" in node.get("rel").lower().split() and canonical is None:
            canonical = node.get("href").strip() or None
        elif node.tag == "body":
            break

    def first(*keys: str) -> str | None:
        for key in keys:
            if metas.get(key):
                return metas[key][0]
        return None

    ld = _json_ld_articles(tree)
    ld_first = ld[0] if ld else {}
    ld_title = ld_first.get("headline") or ld_first.get("name")
    ld_publisher = _names(ld_first.get("publisher"))
    title = first("citation_title", "dc.title", "dcterms.title") or (ld_title if isinstance(ld_title, str) else None)
    title = title or first("og:title", "twitter:title")
    authors = metas.get("citation_author") or _names(ld_first.get("author"))
    authors = authors or metas.get("dc.creator") or metas.get("dcterms.creator") or metas.get("author") or []
    authors = [a for a in authors if "://" not in a]  # article:author is often a profile URL
    date = (
        first("citation_publication_date", "citation_date", "citation_online_date")
        or (ld_first.get("datePublished") if isinstance(ld_first.get("datePublished"), str) else None)
        or first("article:published_time", "dc.date", "dcterms.date", "dc.date.issued", "dcterms.issued", "date")
        # LibreOffice's and OpenOffice's HTML export: when the document was written, the last resort
        or first("dcterms.created", "created")
    )
    source = first("citation_journal_title", "og:site_name") or (ld_publisher[0] if ld_publisher else None)
    source = source or first("citation_publisher", "dc.publisher", "application-name")
    url = canonical or first("og:url", "citation_fulltext_html_url", "citation_abstract_html_url")
    if title is None and title_tag:
        title = title_tag
        if source:  # "Headline | Site" or "Headline - Site"
            for sep in (" | ", " – ", " — ", " - ", " :: "):
                if title.endswith(sep + source):
                    title = title[: -len(sep + source)]
    seen: list[str] = []
    for author in authors:
        a = _clean(author)
        if a and a not in seen:
            seen.append(a)
    return Metadata(
        title=_clean(title),
        authors=seen,
        date=iso_date(date),
        source=_clean(source),
        url=url if url and url.startswith(("http://", "https://")) else None,
        tags=[t for t in (_clean(k) for k in metas.get("keywords", [""])[0].split(",")) if t][:20],
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " : ", " · ", " » ")


def _site_suffixed(title: str, headline: str) -> bool:
    """Whether ``title`` is ``headline`` followed by a separator and something more."""
    head = " ".join(headline.split()).lower()
    full = " ".join(title.split()).lower()
    return len(full) > len(head) and full.startswith(head) and full[len(head) :].startswith(_TITLE_SEPARATORS)


def take_title(
    blocks: list[Block], meta: Metadata, spans: dict[str, tuple[int, int]], *, first_heading: bool = True
) -> list[Block]:
    """The article's title heading (the first, or the one the metadata names): not shown twice."""
    for i, block in enumerate(blocks[:3]):
        if block.kind != HEADING:
            continue
        if (meta.title is not None and (_same(block.text, meta.title) or _site_suffixed(meta.title, block.text))) or (
            first_heading and i == 0 and block.level <= 1
        ):
            if meta.title and _site_suffixed(meta.title, block.text):
                meta.title = block.text  # "Headline | Site" in <title>, "Headline" in <h1>
            meta.title = meta.title or block.text
            spans["title"] = (block.source_start, block.source_end)
            return blocks[:i] + blocks[i + 1 :]
        break
    return blocks


def take_byline(blocks: list[Block], meta: Metadata, spans: dict[str, tuple[int, int]]) -> list[Block]:
    """Byline and dateline lines at the top (pandoc's title block, "By …", a bare date)."""
    taken: set[int] = set()
    for i, block in enumerate(blocks[:4]):
        text = block.text
        if len(text) > 160 or block.kind == HEADING and i > 0:
            break
        byline = parse_byline(text)
        names = ", ".join(meta.authors)
        if byline and "byline" not in spans:
            meta.authors = meta.authors or byline.authors
            if byline.date and not meta.date:
                meta.date, meta.date_end = byline.date.iso, byline.date.iso_end
            spans["byline"] = (block.source_start, block.source_end)
            spans.update(author_spans(text, meta.authors, block.source_span))
        elif meta.authors and "authors" not in spans and (_same(text, names) or text in meta.authors):
            spans["authors"] = (block.source_start, block.source_end)
            spans.update(author_spans(text, meta.authors, block.source_span))
        elif "dateline" not in spans and len(text) < 60 and (date := parse_date_line(text)) and date.iso:
            if meta.date and not date.iso.startswith(meta.date[:7]) and not meta.date.startswith(date.iso):
                break
            meta.date = meta.date or date.iso
            spans["dateline"] = (block.source_start, block.source_end)
        else:
            break
        taken.add(i)
    return [b for i, b in enumerate(blocks) if i not in taken]


def html_document(
    tree: HtmlTree, *, request: ReadRequest, fmt: str, encoding: str, base_meta: Metadata | None = None
) -> Document:
    """One HTML tree -> Document (also the e-mail reader's HTML part)."""
    warnings = request.warnings
    meta = page_metadata(tree)
    if base_meta is not None:
        meta = base_meta.merged_over(meta)
    links = link_notes([tree])
    region = main_region(tree)
    blocks = BlockWalker(links, menus=region.tag in ("body", "#root")).walk(region)
    blocks = drop_notes_headings(blocks)
    spans: dict[str, tuple[int, int]] = {}
    blocks = take_title(blocks, meta, spans)
    blocks = take_byline(blocks, meta, spans)
    footnotes = build_footnotes(links, blocks, warnings)
    if tree.stray_end_tags:
        warnings.append(
            ParseWarning(
                "markup", f"{tree.stray_end_tags} end tag(s) without a matching start tag (read as a browser would)"
            )
        )
    if not blocks:
        warnings.append(ParseWarning("empty", "no readable text in this page"))
    return document_from(
        request, meta, fmt=fmt, blocks=blocks, footnotes=footnotes, encoding=encoding, meta_spans=spans
    )


_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def _declared(path: Path) -> str | None:
    """The charset a page declares in its first 4 KB, if Python knows it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    m = _DECLARED_CHARSET.search(head)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def read(request: ReadRequest) -> Document:
    source = read_source(request.path)
    text, encoding = source.text, source.encoding
    if source.fallback:
        declared = _declared(request.path)
        if declared and declared not in ("utf-8", "utf-16"):
            # Not UTF-8, and the page says what it is: believe it over a guess.
            text, encoding = request.path.read_bytes().decode(declared, errors="replace"), declared
        else:
            request.warnings.append(
                ParseWarning("encoding", f"not valid UTF-8; decoded as {encoding} (some characters may be wrong)")
            )
    text = make_displayable(text)
    return html_document(parse_tree(text), request=request, fmt=FORMAT.name, encoding=encoding)


# What an HTML document opens with, after a byte-order mark, white space, an XML
# declaration and comments: saved pages often come named .txt (tools.ietf.org's RFCs).
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def _sniff(head: bytes, path: Path) -> bool:
    return _HTML_START.match(head) is not None


FORMAT = Format("html", frozenset({".html", ".htm", ".xhtml", ".xht"}), read, description="HTML page", sniff=_sniff)

__all__ = ["FORMAT", "Node", "html_document", "iso_date", "page_metadata", "read"]
