"""HTML (and XHTML) source text -> a small, forgiving element tree with exact offsets.

The standard library's ``html.parser`` tokenises anything (unclosed tags, mis-nested
elements, stray end tags) and says where each token starts; this module builds the
tree a browser would roughly build and keeps, for every text piece, the offset of each
of its characters in the decoded file.  Character references are decoded here, each as
one piece standing for its whole ``&...;`` source range.  Entities declared in a DTD
are never expanded: ``html.parser`` does not know them, so ``&lol9;`` stays as written.

Shared by the HTML, EPUB and e-mail readers (a module starting with ``_`` is no format).
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from ..mapped import MappedText, Segment

VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr basefont bgsound frame".split()
)
# A start tag of one of these closes an open <p> (as in a browser).
CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
# Tags that end an open element of the same kind when they start (<li> after <li>).
_SELF_CLOSING_SIBLINGS = {
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "option": frozenset({"option"}),
}
# The containers a sibling rule does not reach past (an <li> in a nested list stays nested).
_SCOPE = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "select", "div", "section", "blockquote"})
_TABLE_SCOPE = frozenset({"table"})
# Deeper nesting than this is malformed or hostile (10,000 unclosed <div>s): further
# elements become siblings, so nothing downstream recurses without bound.
MAX_DEPTH = 200


class Node:
    __slots__ = ("tag", "attrs", "children", "parent", "start", "end", "member")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None, start: int, member: str) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | MappedText] = []
        self.parent = parent
        self.start = start  # offset of "<" of the start tag
        self.end = start  # offset just past the end tag (or where the element was closed)
        self.member = member

    def get(self, name: str) -> str:
        return self.attrs.get(name, "")

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").lower().split()

    def iter(self):
        """This element and every element under it, in document order (no recursion)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def text(self) -> str:
        parts: list[str] = []
        stack: list[Node | MappedText] = list(reversed(self.children))
        while stack:
            item = stack.pop()
            if isinstance(item, Node):
                if item.tag not in ("script", "style"):
                    stack.extend(reversed(item.children))
            else:
                parts.append(item.text)
        return "".join(parts)

    def __repr__(self) -> str:  # for test failures
        return f"<{self.tag} {self.attrs} @{self.start}>"


class HtmlTree:
    """One parsed HTML text: the root, its ids, and where it sits in the document's source."""

    def __init__(self, root: Node, source: str, base: int, member: str, stray_end_tags: int) -> None:
        self.root = root
        self.source = source
        self.base = base  # this text's first character's offset in the document's source
        self.member = member  # path in the container ("" for a lone file)
        self.stray_end_tags = stray_end_tags
        self.ids: dict[str, Node] = {}
        for node in root.iter():
            for attr in ("id", "name"):
                value = node.attrs.get(attr)
                if value and value not in self.ids and (attr == "id" or node.tag == "a"):
                    self.ids[value] = node

    def find(self, tag: str) -> Node | None:
        for node in self.root.iter():
            if node.tag == tag:
                return node
        return None


class _Builder(HTMLParser):
    def __init__(self, source: str, base: int, member: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.member = member
        self.line_starts = [0]
        find = source.find
        pos = find("\n")
        while pos >= 0:
            self.line_starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.root = Node("#root", {}, None, base, member)
        self.stack: list[Node] = [self.root]
        self.stray = 0

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # -- tree building ------------------------------------------------------
    def _close_to(self, index: int, at: int) -> None:
        while len(self.stack) > index:
            node = self.stack.pop()
            node.end = at

    def _open_index(self, tags: frozenset[str], scope: frozenset[str]) -> int:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                return i
            if tag in scope:
                return -1
        return -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, empty=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, empty=True)  # XHTML's <div/> is empty, whatever HTML says

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], empty: bool) -> None:
        at = self.base + self._here()
        if tag in CLOSES_P:
            i = self._open_index(frozenset({"p"}), _SCOPE | {"li", "td", "th"})
            if i > 0:
                self._close_to(i, at)
        siblings = _SELF_CLOSING_SIBLINGS.get(tag)
        if siblings:
            i = self._open_index(siblings, _TABLE_SCOPE if tag in ("tr", "td", "th") else _SCOPE)
            if i > 0:
                self._close_to(i, at)
        parent = self.stack[-1]
        node = Node(tag, {k.lower(): (v or "") for k, v in attrs}, parent, at, self.member)
        parent.children.append(node)
        text = self.get_starttag_text() or ""
        node.end = at + len(text)
        if not empty and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        pos = self._here()
        close = self.source.find(">", pos)
        at = self.base + (close + 1 if close >= 0 else len(self.source))
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._close_to(i, at)
                return
        if tag == "p":  # </p> with no <p> open: a browser makes an empty paragraph
            return
        if tag in VOID:
            return  # XHTML closes its empty elements (<meta charset="utf-8"></meta>): not a fault
        self.stray += 1

    # -- text -----------------------------------------------------------------
    def _add(self, piece: MappedText) -> None:
        self.stack[-1].children.append(piece)

    def handle_data(self, data: str) -> None:
        if not data:
            return
        start = self._here()
        if self.source.startswith(data, start):
            self._add(MappedText(data, (Segment(0, len(data), self.base + start, len(data)),)))
        else:  # a CDATA section or the like: the text, anchored where it starts
            self._add(MappedText(data, (Segment(0, len(data), self.base + start, 0),)))

    def _reference(self, raw_start: int, name_end: int) -> None:
        end = name_end + 1 if self.source.startswith(";", name_end) else name_end
        raw = self.source[raw_start:end]
        decoded = html.unescape(raw)
        if not decoded:
            return
        self._add(MappedText(decoded, (Segment(0, len(decoded), self.base + raw_start, end - raw_start),)))

    def handle_entityref(self, name: str) -> None:
        start = self._here()
        self._reference(start, start + 1 + len(name))

    def handle_charref(self, name: str) -> None:
        start = self._here()
        self._reference(start, start + 2 + len(name))

    def unknown_decl(self, data: str) -> None:
        if data.upper().startswith("CDATA["):
            text = data[6:]
            start = self._here() + len("<![CDATA[")
            self._add(MappedText(text, (Segment(0, len(text), self.base + start, len(text)),)))

    def finish(self) -> HtmlTree:
        self.close()
        self._close_to(1, self.base + len(self.source))
        self.root.end = self.base + len(self.source)
        return HtmlTree(self.root, self.source, self.base, self.member, self.stray)


def parse_tree(source: str, *, base: int = 0, member: str = "") -> HtmlTree:
    """Parse HTML text; offsets are ``base`` + the offset in ``source``.  Never raises on markup."""
    builder = _Builder(source, base, member)
    try:
        builder.feed(source)
        return builder.finish()
    except (AssertionError, ValueError, IndexError):
        # html.parser gives up on a few pathological declarations; what was built stands.
        builder._close_to(1, base + len(source))
        builder.root.end = base + len(source)
        return HtmlTree(builder.root, source, base, member, builder.stray + 1)


__all__ = ["HtmlTree", "Node", "parse_tree"]
