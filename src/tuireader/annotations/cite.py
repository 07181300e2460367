"""Quotes that leave with their source: a passage, the notes it cites, and the document's citation.

Markdown: the passage as a block quote, its footnote markers as ``[^n]`` with the cited
notes (their text and URLs) as Markdown footnotes, then the citation line.  Plain
text: the same without markup.  For the document alone: BibTeX (biblatex's
``@online``) and CSL-JSON (what Zotero and pandoc read).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from ..core.model import Document, Footnote
from .text import DocText

FORMATS = ("markdown", "text", "bibtex", "csl-json")


@dataclass(frozen=True, slots=True)
class Passage:
    paragraphs: list[str]  # the quoted text, each paragraph with its markers as "{label}" placeholders removed
    markers: list[list[tuple[int, str]]]  # per paragraph: (position, note key) of each marker inside it
    notes: list[Footnote]  # the cited notes, in order of first citation in the passage


def passage(doc: Document, a: int, b: int, text: DocText | None = None) -> Passage:
    """The passage at flat ``[a, b)`` of the document's text, with the markers inside it."""
    text = text or DocText(doc)
    paragraphs: list[str] = []
    markers: list[list[tuple[int, str]]] = []
    keys: list[str] = []
    for piece, lo, hi in text.place(a, b):
        body = piece.content.text[lo:hi]
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        found: list[tuple[int, str]] = []
        if piece.block is not None:
            for ref in sorted(doc.blocks[piece.block].refs, key=lambda r: r.at):
                # a marker stands before the character at ``at``: one right after the passage's
                # last character ("peace.¹") belongs to it, one before its first does not
                if lo < ref.at <= hi and ref.key:
                    found.append((min(len(body), max(0, ref.at - lo - lead)), ref.key))
                    if ref.key not in keys:
                        keys.append(ref.key)
        if body:
            paragraphs.append(body)
            markers.append(found)
    notes = [n for k in keys if (n := doc.footnote(k)) is not None and n.defined]
    return Passage(paragraphs, markers, notes)


def _with_markers(paragraph: str, markers: list[tuple[int, str]], label: Callable[[str], str]) -> str:
    out, last = [], 0
    for at, key in markers:
        out.append(paragraph[last:at] + label(key))
        last = at
    out.append(paragraph[last:])
    return "".join(out)


def _note_label(doc: Document, key: str) -> str:
    note = doc.footnote(key)
    raw = note.label if note is not None else key
    return re.sub(r"[\s\[\]^]+", "-", raw).strip("-") or key


def _note_body(note: Footnote) -> str:
    body = " ".join(note.text.split())
    extra = [u for u in note.urls if u not in body]
    return " ".join([body, *extra]).strip()


def quote_markdown(doc: Document, p: Passage, accessed: Date | None = None) -> str:
    def label(key: str) -> str:
        return f"[^{_note_label(doc, key)}]"

    lines: list[str] = []
    for i, (para, marks) in enumerate(zip(p.paragraphs, p.markers, strict=True)):
        if i:
            lines.append(">")
        lines.extend("> " + line if line else ">" for line in _with_markers(para, marks, label).split("\n"))
    if p.notes:
        lines.append("")
        for note in p.notes:
            lines.append(f"[^{_note_label(doc, note.key)}]: {_escape_md_note(_note_body(note))}")
    lines.append("")
    lines.append("— " + citation_text(doc, accessed, markdown=True))
    return "\n".join(lines) + "\n"


def _escape_md_note(text: str) -> str:
    # a note that starts a line with '>' or '#' would turn into a quote or heading
    return "\\" + text if text[:1] and text[0] in ">#" else text


def quote_text(doc: Document, p: Passage, accessed: Date | None = None) -> str:
    def label(key: str) -> str:
        return f"[{_note_label(doc, key)}]"

    out = [
        "“" + "\n\n".join(_with_markers(para, m, label) for para, m in zip(p.paragraphs, p.markers, strict=True)) + "”"
    ]
    if p.notes:
        out.append("")
        out.extend(f"[{_note_label(doc, n.key)}] {_note_body(n)}" for n in p.notes)
    out.append("")
    out.append("— " + citation_text(doc, accessed))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ the document
def _date_text(doc: Document) -> str:
    if doc.date and doc.date_end:
        return f"{doc.date} – {doc.date_end}"
    return doc.date or ""


def citation_text(doc: Document, accessed: Date | None = None, *, markdown: bool = False) -> str:
    """Authors, “Title”, source, date, URL (accessed …)."""
    accessed = accessed or Date.today()
    title = f"“{doc.title}”" if doc.title else ""
    parts = [", ".join(doc.authors), title, doc.source or "", _date_text(doc)]
    line = ", ".join(p for p in parts if p)
    if doc.url:
        line += f". <{doc.url}>" if markdown else f". {doc.url}"
    line += f" (accessed {accessed.isoformat()})."
    return line


def _date_parts(iso: str | None) -> list[int] | None:
    if not iso:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso[:10])
    if not m:
        return None
    return [int(g) for g in m.groups() if g]


def _name(author: str) -> dict[str, str]:
    """A person's name split as CSL wants it; a one-word or organisational name kept whole."""
    words = author.split()
    if len(words) < 2 or any(w.lower() in ("institute", "staff", "team", "editors", "the") for w in words):
        return {"literal": author}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def csl_json(doc: Document, accessed: Date | None = None) -> dict[str, Any]:
    """One CSL-JSON item (the CSL schema's required id and type, and its types for each field)."""
    accessed = accessed or Date.today()
    item: dict[str, Any] = {"id": doc.id, "type": "article", "title": doc.title}
    if doc.authors:
        item["author"] = [_name(a) for a in doc.authors]
    start, end = _date_parts(doc.date), _date_parts(doc.date_end)
    if start:
        item["issued"] = {"date-parts": [start, end] if end else [start]}
    if doc.source:
        item["container-title"] = doc.source
        item["publisher"] = doc.source
    if doc.url:
        item["URL"] = doc.url
    item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if doc.language:
        item["language"] = doc.language
    if doc.tags:
        item["keyword"] = ", ".join(doc.tags)
    return item


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def bibtex_key(doc: Document) -> str:
    surname = _name(doc.authors[0]).get("family", doc.authors[0]) if doc.authors else (doc.source or "anon")
    year = (doc.date_end or doc.date or "")[:4] or "nd"
    word = next((w for w in re.findall(r"\w+", doc.title) if len(w) > 3), "doc")
    raw = f"{surname}{year}{word}"
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", ascii_only).lower() or "doc"


def bibtex(doc: Document, accessed: Date | None = None) -> str:
    """A biblatex ``@online`` entry (BibTeX reads it too: unknown fields are ignored)."""
    accessed = accessed or Date.today()
    fields: list[tuple[str, str]] = []
    if doc.authors:
        names = []
        for a in doc.authors:
            n = _name(a)
            names.append(
                f"{{{_bib_escape(n['literal'])}}}"
                if "literal" in n
                else f"{_bib_escape(n['family'])}, {_bib_escape(n['given'])}"
            )
        fields.append(("author", " and ".join(names)))
    fields.append(("title", "{" + _bib_escape(doc.title) + "}"))
    if doc.source:
        fields.append(("organization", _bib_escape(doc.source)))
    issued = doc.date_end or doc.date
    if doc.date:
        fields.append(("date", doc.date + (f"/{doc.date_end}" if doc.date_end else "")))
    parts = _date_parts(issued) if issued else None
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
    if doc.url:
        fields.append(("url", doc.url))
    fields.append(("urldate", accessed.isoformat()))
    if doc.language:
        fields.append(("langid", _bib_escape(doc.language)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{bibtex_key(doc)},\n{body}\n}}\n"
