"""How the command line prints a document, search snippets and a comparison as text."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from typing import IO, TYPE_CHECKING, Any

from ..core.dates import date_range
from ..core.footnotes import marker_pieces
from ..core.model import Document

if TYPE_CHECKING:
    from ..compare import Comparison, OnlyEntity, SharedEntity


# JSON allows these raw inside strings, and a terminal acts on them: DEL, the C1 controls
# (U+009B is an 8-bit CSI) and the bidirectional overrides.  Escaped as \uXXXX the JSON
# says the same strings, and nothing reaches a terminal that prints it.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_dumps(data: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` of what the CLI prints: non-ASCII kept readable, control characters escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_dump(data: Any, out: IO[str], *, indent: int | None = None) -> None:
    out.write(json_dumps(data, indent=indent))


def text_with_markers(doc: Document, block_index: int) -> str:
    block = doc.blocks[block_index]
    refs = sorted(block.refs, key=lambda r: r.at)
    pieces = marker_pieces([(r.label, r.at, r.source_offset) for r in refs])
    out: list[str] = []
    last = 0
    for i, (ref, (sep, label)) in enumerate(zip(refs, pieces, strict=True)):
        out.append(block.text[last : ref.at])
        opens = i == 0 or refs[i - 1].at != ref.at
        closes = i + 1 == len(refs) or refs[i + 1].at != ref.at
        out.append(("[" if opens else "") + ("" if opens else sep) + label + ("]" if closes else ""))
        last = ref.at
    out.append(block.text[last:])
    return "".join(out)


def emphasise(text: str, spans: list[tuple[int, int]], tty: bool) -> str:
    start_mark, end_mark = ("\x1b[1;33m", "\x1b[0m") if tty else ("«", "»")
    out, last = [], 0
    for a, b in sorted(spans):
        out.append(text[last:a] + start_mark + text[a:b] + end_mark)
        last = b
    out.append(text[last:])
    return "".join(out)


def print_document(doc: Document) -> None:
    """``show``: the title block, the text with [n] markers, the notes; wrapped on a terminal."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) if sys.stdout.isatty() else 0

    def emit(text: str, indent: str = "") -> None:
        if width:
            print(textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent) if text else "")
        else:
            print(indent + text)

    emit(doc.title)
    print("=" * min(len(doc.title), width or len(doc.title)))
    byline = ", ".join(doc.authors)
    for line in (byline, date_range(doc.date, doc.date_end), doc.source or ""):
        if line:
            emit(line)
    print()
    for i, block in enumerate(doc.blocks):
        text = text_with_markers(doc, i)
        if block.kind == "heading":
            emit(text.upper() if block.level <= 1 else text)
        elif block.kind == "list_item":
            emit(f"{block.marker} {text}" if block.marker else f"- {text}")
        elif block.kind in ("code", "table"):
            for line in block.text.splitlines():
                print("    " + line)
        else:
            emit(text)
        print()
    if doc.footnotes:
        print("Notes")
        print("-----")
        for note in doc.footnotes:
            body = note.text if note.defined else "(no definition found in the document)"
            paragraphs = body.split("\n")
            emit(f"[{note.label}] {paragraphs[0]}")
            for para in paragraphs[1:]:
                emit(para, indent="    ")


def print_comparison(doc_a: Document, doc_b: Document, comparison: Comparison) -> None:
    print(f"A: {doc_a.title}  ({doc_a.id})")
    print(f"B: {doc_b.title}  ({doc_b.id})")
    # Names are shown whole: the column is as wide as the longest (a terminal wraps, a pipe keeps it).
    everyone: list[SharedEntity | OnlyEntity] = [*comparison.shared, *comparison.only_a, *comparison.only_b]
    width = max((len(e.name) for e in everyone), default=6)
    print(f"\n{'Shared entities (' + str(len(comparison.shared)) + ')':<{width + 2}} {'type':<6} {'A':>4}  {'B':>4}")
    for e in comparison.shared:
        print(f"  {e.name:<{width}} {e.type:<6} {e.a:>4}  {e.b:>4}")
    for label, rows in (("Only in A", comparison.only_a), ("Only in B", comparison.only_b)):
        print(f"\n{label + ' (' + str(len(rows)) + ')':<{width + 2}} {'type':<6} {'n':>4}")
        for only in rows:
            print(f"  {only.name:<{width}} {only.type:<6} {only.count:>4}")
    print(f"\nShared key terms: {', '.join(comparison.shared_terms)}")
