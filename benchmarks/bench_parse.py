"""Parsing benchmark: one huge file (default 50 MB, issue #2), the bundled articles, and
per format a generated document: a 200 KB HTML page and a 2 MB EPUB (40 chapters, an
endnotes file), both with notes in pandoc's markup, built from the bundled ISW article.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50] [--formats-only]

Prints parse time, throughput and peak RSS, so a reviewer can compare run to run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import zipfile
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tuireader.core.formats import parse_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--formats-only", action="store_true", help="only the per-format documents")
    args = parser.parse_args()
    seed = (HERE.parent / "library" / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text(encoding="utf-8")
    body, notes = seed[: seed.index("¹ https")], seed[seed.index("¹ https") :]
    paragraphs = [p.strip() for p in body.split("\n\n") if len(p.strip()) > 80]
    with tempfile.TemporaryDirectory() as tmp:
        bench_formats(Path(tmp), paragraphs)
    if args.formats_only:
        return
    for path in sorted((HERE.parent / "library").glob("*.txt")):
        start = time.perf_counter()
        for _ in range(20):
            parse_file(path)
        print(
            f"{path.name}: {path.stat().st_size / 1024:.0f} KB parsed in {(time.perf_counter() - start) / 20 * 1000:.1f} ms"
        )
    with tempfile.TemporaryDirectory() as tmp:
        huge = Path(tmp) / "huge.txt"
        with huge.open("w", encoding="utf-8") as fh:
            while fh.tell() < args.mb * 1_000_000:
                fh.write(body)
            fh.write(notes)
        size = huge.stat().st_size
        start = time.perf_counter()
        doc = parse_file(huge)
        seconds = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size / 1e6:.0f} MB file: {seconds:.1f} s ({size / 1e6 / seconds:.1f} MB/s), "
            f"{len(doc.blocks)} blocks, {len(doc.footnotes)} notes, peak RSS {rss:.0f} MB"
        )
        os.sync()
    bench_docx_odt_rst_org(seed)


def bench_docx_odt_rst_org(seed: str) -> None:
    """A 50-page report (~25,000 words, a note to each paragraph) written as Markdown and converted by
    pandoc to DOCX, ODT, rST and Org: parse time and documents per second of each."""
    import shutil
    import subprocess

    if shutil.which("pandoc") is None:
        print("docx/odt/rst/org: skipped (pandoc is not installed: apt-get install pandoc)")
        return
    body = seed[: seed.index("¹ https")]
    notes = seed[seed.index("¹ https") :]
    paragraphs = [p for p in body.split("\n\n") if len(p) > 200]
    note_texts = [line.split(" ", 1)[1] for line in notes.splitlines() if line[:1] in "¹²³⁴⁵⁶⁷⁸⁹" and " " in line]
    parts, defs, n = [], [], 0
    while sum(len(p.split()) for p in parts) < 25_000:
        if len(parts) % 8 == 0:
            parts.append(f"## Section {len(parts) // 8 + 1}")
        n += 1
        parts.append(paragraphs[n % len(paragraphs)].replace("\n", " ").rstrip() + f"[^n{n}]")
        defs.append(f"[^n{n}]: {note_texts[n % len(note_texts)]}")
    markdown = "# A fifty-page report\n\n" + "\n\n".join(parts) + "\n\n" + "\n".join(defs) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.md"
        source.write_text(markdown, encoding="utf-8")
        for fmt, args in (("docx", []), ("odt", []), ("rst", ["-t", "rst"]), ("org", ["-t", "org"])):
            out = Path(tmp) / f"report.{fmt}"
            subprocess.run(["pandoc", str(source), "-o", str(out), *args], check=True)
            doc = parse_file(out)  # warm: imports (docutils) and caches
            runs = 5
            start = time.perf_counter()
            for _ in range(runs):
                doc = parse_file(out)
            seconds = (time.perf_counter() - start) / runs
            words = sum(len(b.text.split()) for b in doc.blocks)
            print(
                f"{fmt}: {out.stat().st_size / 1024:.0f} KB file, {words} words, {len(doc.footnotes)} notes: "
                f"{seconds * 1000:.0f} ms a document ({1 / seconds:.1f} documents/s)"
            )


def _chapter(paragraphs: list[str], size: int, first_note: int, notes_href: str) -> tuple[str, int]:
    """XHTML of about ``size`` characters, a marker after every paragraph (pandoc's markup)."""
    parts: list[str] = ["<html><body><h1>Chapter</h1>"]
    length, n, i = 0, first_note, 0
    while length < size:
        text = escape(paragraphs[i % len(paragraphs)])
        piece = f'<p>{text}<a href="{notes_href}#fn{n}" class="footnote-ref" id="fnref{n}"><sup>{n}</sup></a></p>\n'
        parts.append(piece)
        length += len(piece)
        n += 1
        i += 1
    parts.append("</body></html>")
    return "".join(parts), n


def _notes(first: int, last: int, back_href: str) -> str:
    items = "".join(
        f'<li id="fn{n}"><p>Source {n}: https://example.org/report/{n}.'
        f'<a href="{back_href}#fnref{n}" class="footnote-back">↩︎</a></p></li>\n'
        for n in range(first, last)
    )
    return f'<section class="footnotes"><hr/><ol>{items}</ol></section>'


def bench_formats(tmp: Path, paragraphs: list[str]) -> None:
    page_body, last = _chapter(paragraphs, 170_000, 1, "")
    page = tmp / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Bench page</title></head><body><nav><a href='/'>Home</a></nav><main>"
        + page_body.removeprefix("<html><body>").removesuffix("</body></html>")
        + _notes(1, last, "")
        + "</main><footer>Footer</footer></body></html>",
        encoding="utf-8",
    )
    book = tmp / "book.epub"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "META-INF/container.xml",
            '<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
        )
        items, spine, n, first = [], [], 1, 1
        for c in range(40):
            text, n = _chapter(paragraphs, 48_000, n, "notes.xhtml")
            zf.writestr(f"OEBPS/ch{c}.xhtml", text)
            items.append(f'<item id="c{c}" href="ch{c}.xhtml" media-type="application/xhtml+xml"/>')
            spine.append(f'<itemref idref="c{c}"/>')
        zf.writestr(
            "OEBPS/notes.xhtml", "<html><body><h1>Notes</h1>" + _notes(first, n, "ch0.xhtml") + "</body></html>"
        )
        items.append('<item id="notes" href="notes.xhtml" media-type="application/xhtml+xml"/>')
        spine.append('<itemref idref="notes"/>')
        zf.writestr(
            "OEBPS/content.opf",
            '<package xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>Bench book</dc:title></metadata><manifest>{''.join(items)}</manifest>"
            f"<spine>{''.join(spine)}</spine></package>",
        )
    inflated = sum(i.file_size for i in zipfile.ZipFile(book).infolist())
    for path, label, size, runs in ((page, "html", page.stat().st_size, 10), (book, "epub", inflated, 3)):
        parse_file(path)  # warm: imports, regex compilation
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(runs):
            doc = parse_file(path)
        seconds = (time.perf_counter() - start) / runs
        cpu_seconds = (time.process_time() - cpu) / runs
        # CPU time as well as wall time: on a shared machine the wall clock mostly measures the others.
        print(
            f"{label}: {size / 1024:.0f} KB ({'inflated' if label == 'epub' else 'file'}) in {seconds * 1000:.0f} ms "
            f"({cpu_seconds * 1000:.0f} ms CPU), {1 / cpu_seconds:.1f} documents/s of CPU, {len(doc.blocks)} blocks, "
            f"{sum(1 for x in doc.footnotes if x.cited_at)} notes linked"
        )


if __name__ == "__main__":
    main()
