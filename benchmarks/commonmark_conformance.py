"""CommonMark and GFM conformance of tuireader's Markdown reading, measured on the specs' examples.

    .venv/bin/python benchmarks/commonmark_conformance.py [--spec-dir ../shared/commonmark] [--show N] [--dump FILE]

Every example of the CommonMark spec (spec.txt, 0.31.2: 655) and of GFM's extensions
(gfm-spec.txt's `example <extension>` blocks but the tag filter, and the footnotes
example of gfm-extensions.txt) is read by tuireader's parser, and its reading structure
compared with the one derived from the spec's expected HTML:

  * blocks in order, nested ones flattened: heading (with its level), paragraph,
    list item (the first paragraph of an item), quote (a paragraph whose innermost
    container is a block quote), code, table (its rows of cells);
  * each with its visible text, white space collapsed (code kept exactly);
  * notes (GFM footnotes) in the order they are cited, each its blocks, cited
    markers and back-links not part of any text;
  * raw HTML is not structure on either side: a tag of the expected HTML that stands
    verbatim in the Markdown is raw (dropped, its text kept; comments, scripts, styles,
    processing instructions and declarations dropped whole).

Our document model is made with the metadata layer neutralised (a sidecar title is
given, so the first heading stays a block); every other convention of ours stays on.
The spec files are not ours to commit: they live beside the project (see PROVENANCE.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tuireader.core.metadata import Metadata  # noqa: E402
from tuireader.core.parse import parse_text  # noqa: E402

FENCE = "`" * 32 + " example"
SIDECAR_TITLE = "\x00conformance"
_WS = re.compile(r"\s+")


def examples(path: Path, *, only_extensions: bool) -> list[dict]:
    out: list[dict] = []
    section = ""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(FENCE):
            tag = line[len(FENCE) :].strip()
            md: list[str] = []
            html: list[str] = []
            i += 1
            while lines[i] != ".":
                md.append(lines[i])
                i += 1
            i += 1
            while lines[i] != "`" * 32:
                html.append(lines[i])
                i += 1
            if (not only_extensions or tag) and tag != "tagfilter":
                out.append(
                    {
                        "section": section if not tag else f"GFM: {tag}",
                        "markdown": "\n".join(md).replace("→", "\t") + ("\n" if md else ""),
                        "html": "\n".join(html).replace("→", "\t") + ("\n" if html else ""),
                        "line": i,
                    }
                )
        elif re.match(r"#{1,6} ", line):
            section = line.lstrip("#").strip()
        i += 1
    return out


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Expected(HTMLParser):
    """The reading structure of an example's expected HTML."""

    BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "ul", "ol", "li", "blockquote", "table", "hr"}

    def __init__(self, markdown: str) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown.lower()
        self.blocks: list = []
        self.notes: list[list] = []
        self.stack: list[list] = []  # [tag, first] structural containers: blockquote, li, note
        self.open: list[str] = []  # structural elements open (to match their end tags)
        self.leaf: list | None = None  # [kind, level, pieces]
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.skip = 0  # inside a footnote ref / back-link / raw script
        self.skip_tag: list[str] = []
        self.in_notes = False

    def raw(self, tag: str) -> bool:
        text = self.get_starttag_text() or ""
        return text.lower() in self.markdown

    def target(self) -> list:
        return self.notes[-1] if self.in_notes and self.notes else self.blocks

    def innermost(self) -> list | None:
        for c in reversed(self.stack):
            if c[0] in ("blockquote", "li", "note"):
                return c
        return None

    def emit(self, block: tuple) -> None:
        self.target().append(block)
        for c in self.stack:
            if c[0] == "li":
                c[1] = False

    def end_leaf(self) -> None:
        leaf, self.leaf = self.leaf, None
        if leaf is None:
            return
        kind, level, pieces = leaf
        text = "".join(pieces)
        if kind == "code":
            text = text[:-1] if text.endswith("\n") else text
            if text.strip():
                self.emit(("code", 0, text))
            return
        text = _norm(text)
        if not text:
            return
        if kind == "p":
            inner = self.innermost()
            if inner is not None and inner[0] == "li" and inner[1]:
                kind = "list_item"
            elif inner is not None and inner[0] == "blockquote":
                kind = "quote"
            else:
                kind = "paragraph"
        self.emit((kind, level, text))

    def flush_implicit(self) -> None:
        if self.leaf is not None and self.leaf[0] == "p" and self.leaf[1] == -1:
            self.leaf[1] = 0
            self.end_leaf()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.skip:
            if tag == self.skip_tag[-1]:
                self.skip += 1
            return
        if tag in ("script", "style") or (tag == "a" and a.get("class") == "footnote-backref"):
            self.skip, self.skip_tag = 1, [tag]
            return
        if tag == "sup" and a.get("class") == "footnote-ref":
            self.skip, self.skip_tag = 1, [tag]
            return
        if tag == "section" and a.get("class") == "footnotes":
            self.in_notes = True
            return
        if tag == "img" and not self.raw(tag):
            self.data(f"[image: {a.get('alt') or ''}]")
            return
        if tag == "input" and a.get("type") == "checkbox" and not self.raw(tag):
            self.data("[x] " if "checked" in a else "[ ] ")  # a task list's box, as the reader shows it
            return
        if tag == "br":
            self.data(" ")
            return
        if tag in ("th", "td") and self.table is not None and not self.raw(tag):
            self.cell = []
            self.open.append(tag)
            return
        if tag == "tr" and self.table is not None and not self.raw(tag):
            self.table.append([])
            self.open.append(tag)
            return
        if tag not in self.BLOCK_TAGS or self.raw(tag):
            return
        self.open.append(tag)
        if self.leaf is not None and self.leaf[0] == "p" and self.leaf[1] == -1:
            self.flush_implicit()
        elif self.leaf is not None:
            self.end_leaf()
        if tag == "p":
            self.leaf = ["p", 0, []]
        elif tag[0] == "h" and tag != "hr":
            self.leaf = ["heading", int(tag[1]), []]
        elif tag == "pre":
            self.leaf = ["code", 0, []]
        elif tag == "li":
            if self.in_notes and not any(c[0] == "note" for c in self.stack):
                self.notes.append([])
                self.stack.append(["note", False])
            else:
                self.stack.append(["li", True])
        elif tag == "blockquote":
            self.stack.append(["blockquote", False])
        elif tag == "table":
            self.table = []

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip_tag[-1]:
                self.skip -= 1
            return
        if tag == "section" and self.in_notes:
            self.in_notes = False
            return
        if not self.open or self.open[-1] != tag:
            return  # raw HTML
        self.open.pop()
        if tag in ("th", "td") and self.cell is not None and self.table is not None:
            if not self.table:
                self.table.append([])
            self.table[-1].append(_norm("".join(self.cell)))
            self.cell = None
            return
        if tag == "tr":
            return
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"):
            self.end_leaf()
        elif tag in ("li", "blockquote"):
            self.flush_implicit()
            if self.stack:
                self.stack.pop()
        elif tag == "table" and self.table is not None:
            rows, self.table = self.table, None
            self.emit(("table", 0, tuple(tuple(r) for r in rows)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag:  # <hr />: nothing stays open
            self.open.pop()

    def data(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
            return
        if self.leaf is None:
            if not text.strip():
                return
            self.leaf = ["p", -1, []]  # text with no paragraph: a tight item's, or raw HTML's
        self.leaf[2].append(text)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.data(data)

    def close(self) -> None:
        super().close()
        if self.leaf is not None:
            self.leaf[1] = max(self.leaf[1], 0)
            self.end_leaf()


def expected_structure(markdown: str, html: str) -> dict:
    parser = _Expected(markdown)
    # Python's HTMLParser misreads two things HTML5 defines: the empty comments "<!-->" and
    # "<!--->", and a processing instruction, which ends at "?>" (not at the first ">").
    html = html.replace("<!-->", "<!---->").replace("<!--->", "<!---->")
    html = re.sub(r"<\?.*?\?>", "", html, flags=re.DOTALL)
    parser.feed(html)
    parser.close()
    return {"blocks": parser.blocks, "notes": parser.notes}


def our_structure(markdown: str, *, title_line: bool = False) -> dict:
    if title_line:  # a parser that takes the first block as the title whatever the sidecar says
        markdown = "Conformance\n\n" + markdown
    doc = parse_text(markdown, path=Path("example.md"), fmt="markdown", sidecar=Metadata(title=SIDECAR_TITLE))
    kinds = {"signature": "paragraph", "contributors": "paragraph"}

    def structure(block) -> tuple:
        if block.kind == "table" and getattr(block, "rows", None):
            return ("table", 0, tuple(tuple(_norm(block.text[a:b]) for a, b in row) for row in block.rows))
        kind = kinds.get(block.kind, block.kind)
        text = block.text if kind == "code" else _norm(block.text)
        return (kind, block.level if kind == "heading" else 0, text)

    blocks = [structure(b) for b in doc.blocks]
    cited = sorted((n for n in doc.footnotes if n.defined and n.cited_at), key=lambda n: n.cited_at[0])
    notes = []
    for n in cited:
        if getattr(n, "blocks", None):
            notes.append([structure(b) for b in n.blocks])
        else:
            notes.append([("paragraph", 0, _norm(n.text))])
    return {"blocks": blocks, "notes": notes}


def anchors() -> dict:
    """Other parsers' HTML read by the same derivation (the figures to hold ours beside)."""
    found = {}
    import pyromark

    o = pyromark.Options
    gfm = o.ENABLE_TABLES | o.ENABLE_STRIKETHROUGH | o.ENABLE_TASKLISTS | o.ENABLE_FOOTNOTES
    found["pulldown-cmark (pyromark)"] = lambda md, ext: pyromark.html(md, options=gfm if ext else 0)
    try:  # not a dependency of ours: measured when installed
        from markdown_it import MarkdownIt

        plain = MarkdownIt("commonmark")
        with_gfm = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        found["markdown-it-py"] = lambda md, ext: (with_gfm if ext else plain).render(md)
    except ImportError:
        pass
    return found


def _as_json(value):
    return json.loads(json.dumps(value))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec-dir", type=Path, default=HERE.parent.parent / "shared" / "commonmark")
    parser.add_argument("--show", type=int, default=0, help="print the first N mismatches in full")
    parser.add_argument("--dump", type=Path, help="write every example's structures as JSON")
    parser.add_argument("--anchors", action="store_true", help="also read other parsers' HTML the same way")
    parser.add_argument(
        "--title-line",
        action="store_true",
        help="put a title line above each example (to measure the parser before this script, which kept no heading)",
    )
    args = parser.parse_args()
    sets = {
        "commonmark": examples(args.spec_dir / "spec.txt", only_extensions=False),
        "gfm": examples(args.spec_dir / "gfm-spec.txt", only_extensions=True),
    }
    footnotes = [
        e for e in examples(args.spec_dir / "gfm-extensions.txt", only_extensions=False) if e["section"] == "Footnotes"
    ]
    for e in footnotes:
        e["section"] = "GFM: footnotes"
    sets["gfm"] += footnotes
    rows = []
    shown = 0
    for name, exs in sets.items():
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for number, ex in enumerate(exs, 1):
            try:
                got = _as_json(our_structure(ex["markdown"], title_line=args.title_line))
            except Exception as exc:  # a crash is a mismatch, reported as such
                got = {"error": f"{type(exc).__name__}: {exc}"}
            want = _as_json(expected_structure(ex["markdown"], ex["html"]))
            ok = got == want
            per[ex["section"]][0] += ok
            per[ex["section"]][1] += 1
            rows.append(
                {
                    "set": name,
                    "number": number,
                    "section": ex["section"],
                    "match": ok,
                    **ex,
                    "got": got,
                    "expected": want,
                }
            )
            if not ok and shown < args.show:
                shown += 1
                print(f"--- {name} example {number} ({ex['section']})\n{ex['markdown']!r}\n  want {want}\n  got  {got}")
        total = sum(v[0] for v in per.values())
        count = sum(v[1] for v in per.values())
        print(f"\n{name}: {total}/{count} examples match ({100 * total / count:.1f} %)")
        for section, (ok, n) in per.items():
            print(f"  {ok:4d}/{n:<4d} {section}")
        missed = [r["number"] for r in rows if r["set"] == name and not r["match"]]
        print(f"  not matching: {missed}")
    if args.anchors:
        for anchor, render in anchors().items():
            for name, exs in sets.items():
                ok = 0
                for ex in exs:
                    want = _as_json(expected_structure(ex["markdown"], ex["html"]))
                    try:
                        got = _as_json(expected_structure(ex["markdown"], render(ex["markdown"], name == "gfm")))
                    except Exception:
                        got = None
                    ok += got == want
                print(f"anchor {anchor}, {name}: {ok}/{len(exs)}")
    if args.dump:
        args.dump.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
