"""HTML element trees -> the document model's blocks and linked footnotes.

Shared by the HTML reader, the EPUB reader (each chapter is an XHTML tree, notes may be
in another chapter) and the e-mail reader (its HTML part).  What it does, in order:

1. every link that looks like a note marker (``<sup><a href="#fn1">``, pandoc's
   ``footnote-ref``, kramdown's ``rel="footnote"``, Substack's ``footnote-anchor``,
   Wikipedia's ``sup.reference``, ``epub:type="noteref"``) is resolved to the element it
   points at, in this tree or another; the block around that target is the note;
2. links back from a note to its marker (``↩``, ``^``, pandoc's ``footnote-back``,
   Wikipedia's ``mw-cite-backlink``, a note's own number linking back) are not text;
3. site furniture (navigation, cookie banners, share bars, related stories, comments,
   footers, hidden elements, scripts, styles) is dropped, and when the page marks its
   article (``<article>``, ``<main>``, ``role="main"``, ``itemprop="articleBody"``) only
   the largest such region is read;
4. what is left becomes blocks: headings, paragraphs, list items, quotes, tables (cells
   joined by `` | ``, rows by new lines), code, figure captions and ``[image: alt]``.

Every character of every block and note maps back to its offset in the source (see
``_html_tree``): text is sliced from the file, white space collapsed through
``MappedText.edit``, decoded references stand for their ``&...;``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..footnotes import NOTES_HEADING, find_urls
from ..mapped import Edit, MappedText, Segment
from ..model import (
    CODE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    TABLE,
    Block,
    Footnote,
    InlineSpan,
    Link,
    ParseWarning,
    Ref,
)
from ..scripts import lowered, raised
from ._html_tree import HtmlTree, Node

# Elements whose content is never text for the reader.
_NEVER_TEXT = frozenset(
    "script style noscript template head title svg iframe object embed canvas video audio map "
    "select option button input textarea form dialog menu".split()
)
# Site furniture by element.
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside"})
_FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar"}
)
# Site furniture by a word of a class or id ("share-bar", "related_stories"): whole words
# only, because a substring rule ("foot") deletes footnotes.
_FURNITURE_WORDS = frozenset(
    """cookie cookies consent gdpr share sharing sharebar social related recommended recommendations
    comments comment newsletter subscribe subscription signup promo advert advertisement ads ad sponsored
    sidebar breadcrumb breadcrumbs nav navbar navigation menu masthead footer popup modal paywall
    editsection navbox catlinks printfooter noprint toc skip boilerplate""".split()
)
_FURNITURE_CLASSES = frozenset(
    {
        "hidden",
        "is-hidden",
        "sr-only",
        "visually-hidden",
        "screen-reader-text",
        "d-none",
        "mw-jump-link",
        "mw-editsection",
        "site-header",
        "pagenum",  # Project Gutenberg's printed page numbers inside paragraphs
    }
)
# MathML: a formula is kept as its text, marked as math (a span of kind "math").
_MATH_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_MATH_RELATIONS = frozenset("=≠<>≤≥≈≡∼→⇒⇔←↔∈∉⊂⊆")
_DISPLAYSTYLE = re.compile(r"^\{\\displaystyle\s*(.*)\}$", re.DOTALL)  # Wikipedia's TeX wrapper
# A widget's label ("Play", "Mute", "Next slide") is no text of the article, in a page or a book.
_WIDGET_ROLES = frozenset(
    """button slider progressbar timer toolbar tooltip scrollbar spinbutton switch checkbox radio
    menuitem menuitemcheckbox menuitemradio tab tablist combobox listbox searchbox""".split()
)
# A media player's own furniture ("Current Time 0:00", "Your video will play in 00:25"):
# these words name it only next to a <video> or <audio> ("arms-control" elsewhere is text).
_PLAYER_WORDS = frozenset({"control", "controls", "controlbar", "countdown", "replay", "playback"})
_MEDIA = frozenset({"video", "audio"})
_PLAYER_DEPTH = 4  # how far up a player's wrapper is looked for
_REGIONS = frozenset({"article", "main", "section", "body", "html"})
_TEXT_HOLDERS = frozenset({"p", "li", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6"})
# Numbers of the printed page or of a poem's lines, set in the margin (Project Gutenberg's
# "pagenum", a verse line's floated "lnum"): glued to the text they would read "man,20", in a
# page and in a book alike.
_MARGIN_NUMBERS = frozenset({"pagenum", "lnum", "linenum", "linenumber", "line-number", "lineno"})
# A stanza whose lines are elements of their own (<div class="linegroup"><div>line</div>…):
# one block with a line break between lines, as a <br> between them would give, not a
# paragraph a line.  Named by a whole word of its class, as furniture is.
_STANZA_WORDS = frozenset({"linegroup", "stanza", "verse", "poem", "lg", "poetry"})
_VERSE_LINES = frozenset({"div", "p"})
_WORD_SPLIT = re.compile(r"[-_]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    "p div section article main header hgroup address blockquote figure figcaption li ul ol dl dt dd pre "
    "table caption center details summary body html hr".split()
) | frozenset(_HEADINGS)
_INLINE_SPANS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "cite": "italic", "code": "code"}

# Marker links and links back.
_REF_CLASSES = frozenset(
    {"footnote-ref", "footnote-anchor", "footnote", "fnref", "fnanchor", "noteref", "easy-footnote", "footnote-link"}
)
_BACK_CLASSES = frozenset(
    {
        "footnote-back",
        "footnote-backref",
        "reversefootnote",
        "backlink",
        "footnote-return",
        "mw-cite-backlink",
        "easy-footnote-to-top",
        "footnote-number",
    }
)
_BACK_TEXT = frozenset({"↩", "↩︎", "^", "↑", "⮌", "⤴", "back", "return", "[return]", "[back]"})
_LABEL = re.compile(r"^\[?\(?((?:note\s+)?(?:\d{1,4}|[a-z]{1,2}|[ivxlc]{1,6})|[*†‡§¶]{1,3})[.)]?\]?$", re.IGNORECASE)
_LABEL_MAX = 16
_REF_PUNCT = re.compile(r"^[\s\[\](),;–-]*$")
_NOTE_CONTAINERS = frozenset({"li", "aside", "dd", "p", "div", "section", "blockquote", "td", "footer"})

# Runs that change: around a <br>, two or more white-space characters, or one that is not
# a space.  (Matching every single space made this the walker's hottest loop.)
_WS = re.compile(r"(?:[ \t\n\r\f]*\ue000)+[ \t\n\r\f]*|[ \t\n\r\f]{2,}|[\t\n\r\f]")
_BR = "\ue000"  # stands for <br> (and a table's row end) until white space is collapsed
_EDGE_SPACE = " \t\n\r\f\u00a0" + _BR


# A compound class with one of these words describes a page layout, not a piece of
# furniture: "panel-two-col-sidebar-right", "l-sidebar-fixed", "has-sidebar" wrap the
# article beside a sidebar.
_LAYOUT_WORDS = frozenset({"l", "layout", "col", "cols", "column", "columns", "has", "with", "no", "without"})


def _words(node: Node) -> set[str]:
    """A class's words ("share-bar" -> share, bar) and the id whole: ids are often
    generated from a word and a number ("toc_9" on a chapter's heading)."""
    words: set[str] = set()
    for token in node.classes():
        words.add(token)
        parts = _WORD_SPLIT.split(token)
        if not _LAYOUT_WORDS.intersection(parts):
            words.update(parts)
    ident = node.get("id").lower()
    if ident:
        words.add(ident)
    return words


def is_hidden(node: Node) -> bool:
    a = node.attrs
    if "hidden" in a or a.get("aria-hidden", "").lower() == "true":
        return True
    style = a.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def is_control(node: Node) -> bool:
    """A widget, or a media player's controls, captions of its state and countdowns."""
    if node.get("role").lower() in _WIDGET_ROLES:
        return True
    if node.tag in _TEXT_HOLDERS or not node.attrs.get("class") or not _words(node) & _PLAYER_WORDS:
        return False
    up: Node | None = node.parent
    for _ in range(_PLAYER_DEPTH):
        if up is None or up.tag in _REGIONS:
            return False  # the article around a video is no player
        if any(n.tag in _MEDIA for n in up.iter()):
            return True
        up = up.parent
    return False


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]  # "m:math" in a book's XHTML


def math_tex(text: str) -> str:
    """A formula's linear form as written in ``alttext`` or a TeX annotation, without
    Wikipedia's ``{\\displaystyle …}`` wrapper."""
    text = " ".join(text.split())
    m = _DISPLAYSTYLE.match(text)
    return m.group(1).strip() if m else text


def _math_annotation(math: Node) -> str:
    for n in math.iter():
        if _local(n.tag) == "annotation" and "tex" in n.get("encoding").lower():
            return math_tex(n.text())
    return ""


def _math_pieces(node: Node, out: list[MappedText | str]) -> None:
    """The formula's token text in reading order, with ``^``, ``_``, ``/`` and ``√`` for the
    layouts that put one token above, below or over another (text, so the search finds it)."""
    tag = _local(node.tag)
    if tag in ("annotation", "annotation-xml") or is_hidden(node):
        return
    parts = [c for c in node.children if isinstance(c, Node)]
    if tag in _MATH_TOKENS:
        token = MappedText.join([c for c in _walk_items(node) if isinstance(c, MappedText)])
        text = token.text
        token = token.slice(len(text) - len(text.lstrip()), len(text.rstrip()))  # MathML trims a token
        if token.text:
            relation = tag == "mo" and token.text in _MATH_RELATIONS
            out.extend([" ", token, " "] if relation else [token])
        return

    def group(child: Node, before: str, *, tail: str = " ") -> None:
        inner: list[MappedText | str] = []
        _math_pieces(child, inner)
        size = sum(len(p) if isinstance(p, str) else len(p.text.strip()) for p in inner)
        # "x^2 y", not "x^2y": a one-character script ends at a space
        out.extend([before, "(", *inner, ")"] if size > 1 else [before, *inner, tail])

    if tag in ("msup", "msub", "msubsup", "munderover", "munder", "mover") and len(parts) >= 2:
        _math_pieces(parts[0], out)
        marks = {"msup": "^^", "mover": "^^", "msub": "__", "munder": "__"}.get(tag, "_^")
        for child, mark in zip(parts[1:3], marks, strict=False):
            group(child, mark)
        return
    if tag == "mfrac" and len(parts) == 2:
        group(parts[0], "", tail="")
        group(parts[1], "/")
        return
    if tag in ("msqrt", "mroot") and parts:
        out.append("√(")
        for child in parts[:1] if tag == "mroot" else parts:  # a root's index is left out
            _math_pieces(child, out)
        out.append(")")
        return
    for child in parts:
        _math_pieces(child, out)


def _is_stanza(node: Node) -> bool:
    """A verse container whose children are lines: no heading, list or table inside."""
    if not node.attrs.get("class") or not _words(node) & _STANZA_WORDS:
        return False
    return not any(n.tag in _HEADINGS or n.tag in ("ul", "ol", "table", "pre") for n in node.iter())


def _spoken_math(node: Node) -> bool:
    """A formula hidden from the eye but kept for screen readers beside its picture
    (Wikipedia's ``mwe-math-mathml-a11y``): for us, the formula's text."""
    return "math" in _words(node) and any(_local(n.tag) == "math" for n in node.iter())


def is_furniture(node: Node) -> bool:
    if node.tag in _FURNITURE_TAGS or node.get("role").lower() in _FURNITURE_ROLES:
        return True
    if not node.attrs.get("class") and not node.attrs.get("id"):
        return False
    classes = set(node.classes())
    if classes & _FURNITURE_CLASSES:
        return True
    if node.tag in ("body", "html", "main", "article"):
        return False
    return bool(_words(node) & _FURNITURE_WORDS)


def _epub_type(node: Node) -> set[str]:
    return set(node.get("epub:type").lower().split()) | set(node.get("role").lower().replace("doc-", "").split())


# ------------------------------------------------------------------ notes
@dataclass(slots=True)
class _Target:
    tree: HtmlTree
    node: Node  # the block that is the note


@dataclass(slots=True)
class NoteLinks:
    """What marker links resolve to across a set of trees (a page, or a book's chapters)."""

    refs: dict[int, str] = field(default_factory=dict)  # id(marker <a>) -> note key
    ref_labels: dict[int, str] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)  # id() of links back and labels inside notes
    notes: dict[str, _Target] = field(default_factory=dict)  # key -> target, in source order
    containers: set[int] = field(default_factory=set)  # id() of note blocks (not body text)
    unresolved: list[tuple[Node, str]] = field(default_factory=list)
    citing_members: set[str] = field(default_factory=set)  # trees with at least one marker
    uncited_labels: dict[str, str] = field(default_factory=dict)  # key -> its number in the notes list


def _href_target(tree: HtmlTree, href: str, members: dict[str, HtmlTree]) -> tuple[HtmlTree, str] | None:
    if "#" not in href or "://" in href or href.startswith(("mailto:", "javascript:")):
        return None
    path, frag = href.split("#", 1)
    frag = unquote(frag)
    if not frag:
        return None
    if not path:
        return tree, frag
    member = posixpath.normpath(posixpath.join(posixpath.dirname(tree.member), unquote(path)))
    other = members.get(member)
    return (other, frag) if other is not None else None


def _label_of(text: str) -> str:
    """A marker's text as its label: "[1]" -> "1", "[note 1]" -> "note 1", "12." -> "12"."""
    return " ".join(text.split()).strip("[]() ").rstrip(".")


def _marker_like(a: Node, text: str) -> bool:
    label = " ".join(text.split())
    if not label or len(label) > _LABEL_MAX:
        return False
    if set(a.classes()) & _REF_CLASSES or "noteref" in _epub_type(a) or a.get("rel").lower() == "footnote":
        return True
    parent = a.parent
    in_sup = any(n.tag == "sup" for n in a.iter()) or (
        parent is not None and (parent.tag == "sup" or (parent.parent is not None and parent.parent.tag == "sup"))
    )
    if parent is not None and ("reference" in parent.classes() or "noteref" in _epub_type(parent)):
        return True
    if not _LABEL.match(label):
        return False
    return in_sup or (label.startswith("[") and label.endswith("]"))


def _is_back_link(a: Node, text: str) -> bool:
    label = " ".join(text.split()).lower()
    if label in _BACK_TEXT or set(a.classes()) & _BACK_CLASSES or "backlink" in _epub_type(a):
        return True
    p = a.parent
    return p is not None and bool(set(p.classes()) & _BACK_CLASSES)


def _note_block(node: Node) -> Node | None:
    """The block a marker's target stands for: itself if a block, else the block around it."""
    current: Node | None = node
    while current is not None and current.tag not in _NOTE_CONTAINERS:
        if current.tag in _HEADINGS or current.tag in ("body", "html", "#root"):
            return None
        current = current.parent
    if current is None or current.tag in ("body", "html", "#root"):
        return None
    if any(n.tag in _HEADINGS for n in current.iter()):
        return None  # a section with a heading is a chapter or a part, not a note
    return current


_NOTE_NAME = re.compile(r"note|foot|(?<![a-z])fn", re.IGNORECASE)


def _whole_note(block: Node, target: Node, targets: set[int]) -> Node:
    """The note a target's paragraph opens: the paragraph, or the container named as a note
    (LibreOffice's ``<div id="sdfootnote2">``) whose first paragraph it is, so that a note's
    later paragraphs are not read as body text.  A container holding another note's target
    is a list of notes, not one note."""
    parent = block.parent
    if block.tag != "p" or parent is None or parent.tag not in ("div", "section", "aside"):
        return block
    if not _NOTE_NAME.search(parent.get("id") + " " + parent.get("class")):
        return block
    first = next((c for c in parent.children if isinstance(c, Node)), None)
    if first is not block or any(n.tag in _HEADINGS for n in parent.iter()):
        return block
    if any(id(n) in targets for n in parent.iter() if n is not target):
        return block
    return parent


def _first_in_block(a: Node) -> bool:
    """No text before this link in the block around it: a note's own label."""
    block = _block_of(a)
    if block is None:
        return False
    for item in _walk_items(block):
        if item is a:
            return True
        if isinstance(item, MappedText) and item.text.strip():
            return False
    return False


def _walk_items(node: Node):
    stack: list[Node | MappedText] = list(reversed(node.children))
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Node):
            stack.extend(reversed(item.children))


def _key(tree: HtmlTree, frag: str) -> str:
    return f"{tree.member}#{frag}" if tree.member else frag


def link_notes(trees: list[HtmlTree]) -> NoteLinks:
    members = {t.member: t for t in trees}
    found = NoteLinks()
    candidates: list[tuple[HtmlTree, Node, str, tuple[HtmlTree, str] | None]] = []
    for tree in trees:
        for node in tree.root.iter():
            if node.tag != "a" or "href" not in node.attrs:
                continue
            text = node.text()
            if not _marker_like(node, text):
                if _is_back_link(node, text) and _href_target(tree, node.get("href"), members):
                    found.skip.add(id(node))
                continue
            candidates.append((tree, node, text, _href_target(tree, node.get("href"), members)))
    resolved: list[tuple[HtmlTree, Node, str, HtmlTree, Node]] = []
    for tree, a, text, target in candidates:
        if _is_back_link(a, text):
            found.skip.add(id(a))
            continue
        tnode = target[0].ids.get(target[1]) if target is not None else None
        if target is None or tnode is None:
            found.unresolved.append((a, _label_of(text)))
            continue
        resolved.append((tree, a, text, target[0], tnode))
    candidate_ids = {id(c[1]) for c in candidates}
    marker_nodes: list[tuple[HtmlTree, Node, str, HtmlTree, Node]] = []
    target_of = {id(item[1]): item[4] for item in resolved}
    for item in resolved:
        a, tnode = item[1], item[4]
        if _first_in_block(a) and _links_back(a, tnode, target_of):
            found.skip.add(id(a))  # a note's number that links back to its marker
            continue
        marker_nodes.append(item)
    targets = {id(m[4]) for m in marker_nodes}
    for _tree, a, text, ttree, tnode in marker_nodes:
        block = _note_block(tnode)
        if block is not None:
            block = _whole_note(block, tnode, targets)
        if block is None or _contains(block, a):
            found.unresolved.append((a, _label_of(text)))
            continue
        key = _key(ttree, tnode.get("id") or tnode.get("name"))
        found.refs[id(a)] = key
        found.citing_members.add(a.member)
        found.ref_labels[id(a)] = _label_of(text)
        if key not in found.notes:
            found.notes[key] = _Target(ttree, block)
            found.containers.add(id(block))
    _add_uncited_list_items(found, {t.member: t for t in trees})
    # Links inside a note that point back into the text are its label or its way back.
    marker_ids = {id(m[1]) for m in marker_nodes}
    for note in found.notes.values():
        for node in note.node.iter():
            if node.tag == "a" and id(node) in candidate_ids and id(node) not in marker_ids:
                found.skip.add(id(node))
            elif node.tag == "a" and id(node) in marker_ids:
                found.skip.add(id(node))  # a note citing another note: not shown inside a note
                found.refs.pop(id(node), None)
    return found


def _add_uncited_list_items(found: NoteLinks, members: dict[str, HtmlTree]) -> None:
    """Items with ids in a list of two or more cited notes are notes too, cited or not."""
    lists: dict[int, tuple[Node, str, int]] = {}
    for target in found.notes.values():
        node = target.node
        if node.tag == "li" and node.parent is not None and node.parent.tag == "ol":
            entry = lists.get(id(node.parent), (node.parent, target.tree.member, 0))
            lists[id(node.parent)] = (entry[0], entry[1], entry[2] + 1)
    for parent, member, cited in lists.values():
        if cited < 2:
            continue
        tree = members[member]
        start = int(parent.get("start")) if parent.get("start").isdigit() else 1
        items = [c for c in parent.children if isinstance(c, Node) and c.tag == "li"]
        for n, item in enumerate(items):
            if id(item) in found.containers or not item.get("id"):
                continue
            key = _key(tree, item.get("id"))
            found.notes.setdefault(key, _Target(tree, item))
            found.containers.add(id(item))
            found.uncited_labels[key] = str(start + n)


def _internal_label(a: Node) -> bool:
    href = a.get("href")
    return "#" in href and "://" not in href and bool(_LABEL.match(" ".join(a.text().split())))


def _links_back(a: Node, target: Node, target_of: dict[int, Node]) -> bool:
    """``a`` points at a block holding a marker that points back to ``a``'s own block, or to
    the note around it (LibreOffice's EPUB: the marker points at the ``<aside>``, the label
    inside the aside's paragraph back at the marker)."""
    here = _block_of(a)
    there = _block_of(target)
    if here is None or there is None or here is there:
        return False
    for node in there.iter():  # a note's block is small: no scan of every marker in the book
        if node.tag == "a" and node is not a and id(node) in target_of:
            back = target_of[id(node)]
            if _contains(here, back) or _contains(back, here):
                return True
    return False


def _block_of(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None and current.tag not in _BLOCKS:
        current = current.parent
    return current


def _contains(outer: Node, inner: Node) -> bool:
    node: Node | None = inner
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False


def _trimmed_rows(text: str, rows: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Cell ranges without the white space at their ends; rows with no cell dropped."""
    out: list[list[tuple[int, int]]] = []
    for row in rows:
        cells = []
        for a, b in row:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            cells.append((a, b))
        if any(b > a for a, b in cells):
            out.append(cells)
    return out


# ------------------------------------------------------------------ blocks
class _Buffer:
    """The inline content of the block being built: pieces of mapped text, markers, spans."""

    def __init__(self) -> None:
        self.rows: list[list[tuple[int, int]]] = []  # the cells of the block last taken
        self.header = False  # and whether its first row is a header
        self.clear()

    def clear(self) -> None:
        self.pieces: list[MappedText] = []
        self.length = 0
        self.refs: list[tuple[int, str, str, int, int]] = []  # (at, label, key, src start, src end)
        self.spans: list[tuple[str, int, int, str]] = []
        self.cells: list[list[tuple[int, int]]] = []  # a table's rows of cell ranges
        self.header_cells: list[bool] = []  # of its first row: is each cell a <th>
        self.has_text = False

    def add(self, piece: MappedText) -> None:
        if piece.text:
            self.pieces.append(piece)
            self.length += len(piece.text)
            if not self.has_text:
                seen = piece.text.strip()
                # a <br> alone is no text (LibreOffice's EPUB puts one after each note)
                self.has_text = bool(seen) and (_BR not in seen or bool(seen.replace(_BR, "").strip()))

    def synthetic(self, text: str, anchor: int) -> None:
        self.add(MappedText(text, (Segment(0, len(text), anchor, 0),)))

    def take(self) -> tuple[MappedText, list[Ref], list[InlineSpan]] | None:
        if not self.has_text:
            self.clear()
            return None
        joined = MappedText.join(self.pieces)
        text = joined.text
        # a block's ends lose every space, no-break spaces too ("Note.&nbsp;<a>↩</a>")
        lead = len(text) - len(text.lstrip(_EDGE_SPACE))
        tail = len(text.rstrip(_EDGE_SPACE))
        edits: list[Edit] = [Edit(0, lead)] if lead else []
        for m in _WS.finditer(text, lead, max(lead, tail)):
            a, b = m.start(), m.end()
            if _BR in m.group():
                edits.append(Edit(a, b, "\n"))
            else:
                edits.append(Edit(a, b, " "))
        if tail < len(text) and tail > lead:
            edits.append(Edit(tail, len(text)))
        content, moved = joined.edit(edits) if edits else (joined, lambda p: p)
        n = len(content.text)
        refs = [Ref(label, min(moved(at), n), s, e, key) for at, label, key, s, e in self.refs]
        spans = []
        for kind, a, b, target in self.spans:
            ma, mb = moved(a), min(moved(b), n)
            if mb > ma:
                spans.append(InlineSpan(kind, ma, mb, target))
        self.rows = _trimmed_rows(content.text, [[(moved(a), min(moved(b), n)) for a, b in row] for row in self.cells])
        self.header = bool(self.header_cells) and all(self.header_cells)
        self.clear()
        return content, refs, spans


@dataclass(slots=True)
class _Context:
    kind: str = PARAGRAPH
    level: int = 0
    marker: str = ""
    in_table: bool = False
    verse: bool = False  # in a stanza: its <div>/<p> children are lines of one block


class BlockWalker:
    """Turns one tree (or one note's element) into blocks."""

    def __init__(
        self, links: NoteLinks, *, in_note: bool = False, site_furniture: bool = True, menus: bool = False
    ) -> None:
        """``site_furniture=False`` for a book: its asides, footers and "sidebar" boxes are
        content, and only its <nav> is furniture.  ``menus``: the page marks no article, so
        its menus are bare lists of short links, and those are dropped too."""
        self.links = links
        self.in_note = in_note
        self.site_furniture = site_furniture
        self.menus = menus
        self.blocks: list[Block] = []
        self.buffer = _Buffer()
        self.pending_marker: list[str] = []
        self.cells_in_row = 0
        self.cell_depth = 0

    # -- output -------------------------------------------------------------
    def flush(self, ctx: _Context) -> None:
        taken = self.buffer.take()
        if taken is None:
            return
        content, refs, spans = taken
        marker = ""
        if ctx.kind == LIST_ITEM and self.pending_marker and self.pending_marker[-1]:
            marker = self.pending_marker[-1]
            self.pending_marker[-1] = ""
        kind = TABLE if ctx.in_table else ctx.kind
        block = Block(kind, content, refs, spans, marker, ctx.level if kind == HEADING else 0)
        if kind == TABLE:
            # cell ranges, so that the reader draws a grid wrapped at words in each cell
            # (a table without them is drawn as preformatted lines, cut at the width)
            block.rows = self.buffer.rows
            block.header = self.buffer.header  # a row of <th>, not an infobox's <th> column
        self.blocks.append(block)

    # -- walking --------------------------------------------------------------
    def walk(self, node: Node, ctx: _Context | None = None) -> list[Block]:
        ctx = ctx or _Context()
        self._children(node, ctx)
        self.flush(ctx)
        return self.blocks

    def _children(self, node: Node, ctx: _Context) -> None:
        for child in node.children:
            if isinstance(child, MappedText):
                self.buffer.add(child)
            else:
                self._element(child, ctx)

    def _element(self, node: Node, ctx: _Context) -> None:
        tag = node.tag
        nid = id(node)
        if tag in _NEVER_TEXT or nid in self.links.skip:
            return
        if nid in self.links.containers and not self.in_note:
            return
        if self.in_note and node.attrs.get("class") and set(node.classes()) & _BACK_CLASSES:
            return
        if self.in_note and tag == "a" and _internal_label(node):
            return  # the note's own number, linking back to a marker we could not find
        if node.attrs.get("class") and not _MARGIN_NUMBERS.isdisjoint(node.classes()):
            return
        if (
            (is_hidden(node) and not _spoken_math(node))
            or is_control(node)
            or (not self.in_note and self._furniture(node))
        ):
            return
        if tag == "a" and nid in self.links.refs:
            self._ref(node)
            return
        if tag == "sup" and not self.in_note and self._marker_wrapper(node):
            return
        if tag in ("sup", "sub") and self._script(node):
            return
        if tag == "br":
            # in a table a line break is a space: a new line there would end the row
            self.buffer.synthetic(" " if ctx.in_table else _BR, node.start)
            return
        if _local(tag) == "math":
            self._math(node)
            return
        if tag == "img":
            alt = " ".join(node.get("alt").split())
            if alt and "math" in _words(node):
                # Wikipedia's picture of a formula, beside its MathML (hidden): the formula
                start = self.buffer.length
                self.buffer.synthetic(math_tex(alt), node.start)
                self.buffer.spans.append(("math", start, self.buffer.length, ""))
            elif alt:
                self.buffer.synthetic(f"[image: {alt}]", node.start)
            return
        if tag == "hr":
            self.flush(ctx)
            return
        if tag == "pre" and not ctx.in_table:
            self.flush(ctx)
            self._pre(node)
            return
        if ctx.in_table:
            nested = self.cell_depth > 0  # a table inside a cell is that cell's text
            if tag in ("td", "th"):
                if self.cells_in_row:
                    self.buffer.synthetic(" | ", node.start)
                self.cells_in_row += 1
                start, in_row = self.buffer.length, self.cells_in_row
                self.cell_depth += 1
                self._children(node, ctx)
                self.cell_depth -= 1
                self.cells_in_row = in_row
                if not nested:
                    if not self.buffer.cells:
                        self.buffer.cells.append([])
                    self.buffer.cells[-1].append((start, self.buffer.length))
                    if len(self.buffer.cells) == 1:
                        self.buffer.header_cells.append(tag == "th")
                return
            if tag == "tr":
                self.cells_in_row = 0
                if not nested:
                    self.buffer.cells.append([])
            self._children(node, ctx)
            if tag == "tr":
                self.buffer.synthetic(" " if nested else _BR, node.end)
                self.cells_in_row = 0
            return
        if tag == "table":
            self.flush(ctx)
            inner = _Context(ctx.kind, ctx.level, ctx.marker, in_table=True)
            self._children(node, inner)
            self.flush(inner)
            return
        span_kind = _INLINE_SPANS.get(tag)
        if span_kind or tag == "a":
            start = self.buffer.length
            self._children(node, ctx)
            target = node.get("href") if tag == "a" else ""
            if tag == "a" and not target:
                return
            self.buffer.spans.append((span_kind or "link", start, self.buffer.length, target))
            return
        if tag not in _BLOCKS:
            self._children(node, ctx)  # span, font, small, sub, u, …: text only
            return
        if ctx.verse and tag in _VERSE_LINES:
            if self.buffer.has_text:
                self.buffer.synthetic(_BR, node.start)  # the next line of the stanza
            self._children(node, ctx)
            return
        self.flush(ctx)
        inner = ctx
        if tag in _VERSE_LINES and _is_stanza(node):
            inner = _Context(ctx.kind if ctx.kind == QUOTE else PARAGRAPH, verse=True)
            self._children(node, inner)
            self.flush(inner)
            return
        if tag in _HEADINGS:
            inner = _Context(HEADING, _HEADINGS[tag])
        elif tag == "li":
            inner = _Context(LIST_ITEM)
            self.pending_marker.append(_list_marker(node))
        elif tag == "blockquote":
            inner = _Context(QUOTE, verse=ctx.verse)  # lines quoted in a stanza are lines too
        elif tag in ("ul", "ol", "dl") and ctx.kind == LIST_ITEM:
            inner = _Context(LIST_ITEM)
        self._children(node, inner)
        self.flush(inner)
        if tag == "li":
            self.pending_marker.pop()

    def _script(self, node: Node) -> bool:
        """A superscript or subscript of text only, written so that it is not glued to the
        word before ("10³", "1st", "Smith^a"); False when it is left as its text."""
        pieces = node.children
        if not pieces or not all(isinstance(p, MappedText) for p in pieces):
            return False
        text = "".join(p.text for p in pieces if isinstance(p, MappedText))
        before = self.buffer.pieces[-1].text if self.buffer.pieces else ""
        shown = raised(text, before) if node.tag == "sup" else lowered(text)
        if shown == text:
            return False
        first, last = pieces[0], pieces[-1]
        assert isinstance(first, MappedText) and isinstance(last, MappedText)
        start, end = first.source_span(0, len(first.text))[0], last.source_span(0, len(last.text))[1]
        self.buffer.add(MappedText(shown, (Segment(0, len(shown), start, end - start),)))
        return True

    def _math(self, node: Node) -> None:
        """A formula: its ``alttext`` when that is a linear form written for readers (not
        TeX), else its tokens (the source's own characters, so a search hit lands on them),
        else its TeX (``alttext`` or annotation): ``\\overline {A}^{\\mathsf {H}}`` is for TeX."""
        start = self.buffer.length
        raw = node.get("alttext")
        alttext = math_tex(raw)
        pieces: list[MappedText | str] = []
        if not alttext or "\\" in raw or "{" in raw:
            _math_pieces(node, pieces)
            while pieces and pieces[-1] == " ":
                pieces.pop()
        linear = "" if any(isinstance(p, MappedText) for p in pieces) else alttext or _math_annotation(node)
        if linear:
            self.buffer.synthetic(linear, node.start)
        else:
            for i, piece in enumerate(pieces):
                following = pieces[i + 1] if i + 1 < len(pieces) else ""
                if piece == " " and isinstance(following, str) and following.startswith(")"):
                    continue
                if isinstance(piece, str):
                    self.buffer.synthetic(piece, node.start)
                else:
                    self.buffer.add(piece)
        if self.buffer.length > start:
            self.buffer.spans.append(("math", start, self.buffer.length, ""))

    def _furniture(self, node: Node) -> bool:
        if not self.site_furniture:
            return node.tag == "nav"
        if self.menus and node.tag in ("ul", "ol") and is_menu(node):
            return True
        return is_furniture(node) and not self._holds_marker(node)

    def _holds_marker(self, node: Node) -> bool:
        """A footer or aside that holds the article's own note markers is not furniture."""
        return node.tag in ("aside", "footer") and any(id(n) in self.links.refs for n in node.iter())

    def _ref(self, a: Node) -> None:
        if self.in_note:
            return
        key = self.links.refs[id(a)]
        self.buffer.refs.append((self.buffer.length, self.links.ref_labels[id(a)], key, a.start, a.end))

    def _marker_wrapper(self, sup: Node) -> bool:
        """A <sup> holding only marker links (and brackets, commas): the markers, no text."""
        markers = [n for n in sup.iter() if n.tag == "a" and id(n) in self.links.refs]
        if not markers:
            return False
        rest: list[str] = []
        for item in _walk_items(sup):
            if isinstance(item, MappedText) and not any(_inside(item, m) for m in markers):
                rest.append(item.text)
        if not _REF_PUNCT.match("".join(rest)):
            return False
        for i, a in enumerate(markers):
            start = sup.start if i == 0 else a.start
            end = sup.end if i == len(markers) - 1 else a.end
            key = self.links.refs[id(a)]
            self.buffer.refs.append((self.buffer.length, self.links.ref_labels[id(a)], key, start, end))
        return True

    def _pre(self, node: Node) -> None:
        pieces = [item for item in _walk_items(node) if isinstance(item, MappedText)]
        text = MappedText.join(pieces)
        if text.text.startswith("\n"):
            text = text.slice(1, len(text))
        end = len(text.text.rstrip())
        if end:
            self.blocks.append(Block(CODE, text.slice(0, end)))


def _inside(piece: MappedText, a: Node) -> bool:
    if not piece.segments:
        return False
    return a.start <= piece.segments[0].s < a.end


_MENU_ITEMS = 3
_MENU_LABEL = 30  # characters: "Home", "World", "Contact us"; a list of sources has titles


def is_menu(node: Node) -> bool:
    """A list whose every item is one short link: a site's menu."""
    items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
    if len(items) < _MENU_ITEMS:
        return False
    for item in items:
        text = " ".join(item.text().split())
        links = [n for n in item.iter() if n.tag == "a" and n.get("href")]
        if len(links) != 1 or " ".join(links[0].text().split()) != text or not 0 < len(text) <= _MENU_LABEL:
            return False
    return True


def _list_marker(li: Node) -> str:
    parent = li.parent
    if parent is None or parent.tag != "ol":
        return "-"
    if li.get("value").isdigit():
        return li.get("value") + "."
    start = int(parent.get("start")) if parent.get("start").lstrip("-").isdigit() else 1
    n = 0
    for sib in parent.children:
        if isinstance(sib, Node) and sib.tag == "li":
            if sib is li:
                return f"{start + n}."
            n += 1
    return "-"


# ------------------------------------------------------------------ regions
_REGION_CLASSES = frozenset(
    {"entry-content", "post-content", "article-content", "article-body", "article__body", "story-body", "post-body"}
)


def _text_sizes(root: Node) -> dict[int, int]:
    """Characters of readable text under each element (furniture and hidden parts count 0)."""
    sizes: dict[int, int] = {}
    order = list(root.iter())
    for node in reversed(order):
        if node.tag in _NEVER_TEXT or is_hidden(node) or is_furniture(node):
            sizes[id(node)] = 0
            continue
        total = 0
        for child in node.children:
            if isinstance(child, MappedText):
                total += len(child.text.strip())
            else:
                total += sizes[id(child)]
        sizes[id(node)] = total
    return sizes


def main_region(tree: HtmlTree) -> Node:
    """The page's article when it marks one (the largest), else its body."""
    body = tree.find("body") or tree.root
    candidates = [
        n
        for n in tree.root.iter()
        if n.tag in ("main", "article")
        or n.get("role").lower() == "main"
        or n.get("itemprop").lower() == "articlebody"
        or (set(n.classes()) & _REGION_CLASSES)
    ]
    if not candidates:
        return body
    sizes = _text_sizes(tree.root)
    best = max(candidates, key=lambda n: sizes[id(n)])
    if sizes[id(best)] < 0.25 * sizes[id(body)]:
        return body  # a marked region with a quarter of the text is a teaser, not the article
    # An inner region that holds nearly all of it leaves out what sits around the article.
    for node in candidates:
        if node is not best and _contains(best, node) and sizes[id(node)] >= 0.85 * sizes[id(best)]:
            best = node
    return best


# ------------------------------------------------------------------ assembling
def drop_notes_headings(blocks: list[Block]) -> list[Block]:
    """A "Notes"/"References" heading with nothing under it (its notes moved beside the text)."""
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == HEADING and NOTES_HEADING.match(block.text):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if following is None or (following.kind == HEADING and following.level <= block.level):
                continue
        kept.append(block)
    return kept


def note_content(links: NoteLinks, target: _Target) -> tuple[MappedText, list[Link]]:
    walker = BlockWalker(links, in_note=True)
    blocks = walker.walk(target.node)
    pieces: list[MappedText] = []
    links_out: list[Link] = []
    for block in blocks:
        if pieces:
            pieces.append(MappedText("\n", (Segment(0, 1, block.source_start, 0),)))
        pieces.append(block.content)
        for span in block.spans:
            if span.kind == "link" and span.target.startswith(("http://", "https://")):
                s0, s1 = block.content.source_span(span.start, span.end)
                links_out.append(Link(span.target, s0, s1))
    content = MappedText.join(pieces)
    seen = {link.url for link in links_out}
    for url, a, b in find_urls(content.text):
        if url not in seen:
            s0, s1 = content.source_span(a, b)
            links_out.append(Link(url, s0, s1))
    return content, links_out


def build_footnotes(links: NoteLinks, blocks: list[Block], warnings: list[ParseWarning]) -> list[Footnote]:
    """The notes, in source order, each with where it is cited; markers without a note reported."""
    notes: dict[str, Footnote] = {}
    labels: dict[str, str] = {}
    for block in blocks:
        for ref in block.refs:
            labels.setdefault(ref.key, ref.label)
    ordered = sorted(links.notes.items(), key=lambda kv: kv[1].node.start)
    for key, target in ordered:
        content, note_links = note_content(links, target)
        notes[key] = Footnote(
            key,
            labels.get(key) or links.uncited_labels.get(key) or key.rsplit("#", 1)[-1],
            content,
            note_links,
            source_start=target.node.start,
            source_end=target.node.end,
        )
    for bi, block in enumerate(blocks):
        for ref in block.refs:
            note = notes.get(ref.key)
            if note is not None:
                note.cited_at.append((bi, ref.at))
    for a, label in links.unresolved:
        warnings.append(ParseWarning("unresolved-marker", f"marker {label} links to no note on this page", a.start))
    for note in notes.values():
        if not note.cited_at:  # in the notes list but not cited, or its marker was in dropped furniture
            warnings.append(
                ParseWarning("uncited-note", f"note {note.label} is never cited in the text", note.source_start)
            )
    return list(notes.values())
