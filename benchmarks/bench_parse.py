"""Parsing benchmark: one huge file (default 50 MB, issue #2), the bundled articles, and
per format a generated document: a 200 KB HTML page and a 2 MB EPUB (40 chapters, an
endnotes file), both with notes in pandoc's markup, built from the bundled ISW article.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50] [--formats-only]
    .venv/bin/python benchmarks/bench_parse.py pdf     # PDF: pages/s on 100 pages, memory on 2,000 (issue #16)
    .venv/bin/python benchmarks/bench_parse.py pdf FILE.pdf ...   # and pages/s and notes of these real PDFs
    .venv/bin/python benchmarks/bench_parse.py --pathological [--max-kb 1024]
    .venv/bin/python benchmarks/bench_parse.py --only-bad [--bad-mb 10]   # pathological Markdown (issue #14)
    .venv/bin/python benchmarks/bench_parse.py --tools   # documents/s per format, files written by pandoc/LibreOffice (#15)
    .venv/bin/python benchmarks/bench_parse.py issue14 [--docs 10000] [--mb 50] [--compare REF]  # text and Markdown

Prints parse time, throughput and peak RSS, so a reviewer can compare run to run.
``--pathological`` parses each input of issue #18 item 3 at doubling sizes up to
``--max-kb`` (as plain text and as Markdown) and prints each time and its ratio to the
size before: about 2 is linear, about 4 quadratic.  Times are CPU seconds of this process
(time.process_time): on a machine shared with other jobs the wall clock also counts the
time others had the CPU.  It fails (exit 1) when a 1 MB input takes over 2 s.  ``--only-bad`` (and every full run) parses the pathological Markdown
of issue #14 at 10 KB, 100 KB, 1 MB and 10 MB each (CPU seconds too), with the ratio to
the size before (ten times smaller): about 10 is linear, about 100 would be quadratic.
``issue14`` prints issue #14's figures for text and Markdown, each measured in a fresh process
(``parse_probe.py``): the bundled articles, the generated corpus (``--docs``), a file of
``--mb`` MB as text and as Markdown; with ``--compare REF`` the same again on the source of
commit REF (``git archive``, into a temporary folder), side by side with the ratio.
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


def _pathological(name: str, size: int) -> str:
    """One input of issue #18 item 3, about ``size`` characters long."""
    if name == "caret-runs":
        return "[^" * (size // 2)
    if name == "url-then-superscript":
        return "Title\n\n" + "see https://example.org/a/b¹ and " * (size // 33) + "\n\n¹ Note.\n"
    if name == "url-then-bracket":
        return "Title\n\n" + "see https://example.org/a/b[1] and " * (size // 35) + "\n\nNotes\n\n[1] Note.\n"
    if name == "code-and-links":
        return "Title\n\n" + "`code` [a](http://x.y) " * (size // 23)
    if name == "backtick-runs":
        out, k, total = [], 1, 0
        while total < size:
            out.append("`" * k + " x ")
            total += k + 3
            k += 1
        return "".join(out)
    if name == "snake_case":
        return "a_b " * (size // 4)
    if name == "mixed-emphasis":
        return "*a **b _c __d " * (size // 14)
    if name == "note-with-urls":
        return "Text.[1]\n\nNotes\n\n[1] " + " ".join(f"https://e.org/{i}" for i in range(size // 20))
    if name == "paragraphs-without-stop":
        return "\n\n".join(f"paragraph number {i} without a stop" for i in range(size // 36))
    if name == "numbered-notes":
        count = size // 40
        body = " ".join(f"Claim {i}.[{i}]" for i in range(1, count + 1))
        return body + "\n\nNotes\n\n" + "\n".join(f"[{i}] Note {i}." for i in range(1, count + 1))
    raise ValueError(name)


PATHOLOGICAL = (
    "caret-runs",
    "url-then-superscript",
    "url-then-bracket",
    "code-and-links",
    "backtick-runs",
    "snake_case",
    "mixed-emphasis",
    "note-with-urls",
    "paragraphs-without-stop",
    "numbered-notes",
)


def pathological(max_kb: int) -> int:
    from tuireader.core.parse import parse_text

    sizes = []
    kb = 16
    while kb <= max_kb:
        sizes.append(kb)
        kb *= 2
    worst = 0.0
    print(f"{'input':26s} {'fmt':8s} " + " ".join(f"{k:>6d}K" for k in sizes) + "   ratios")
    for name in PATHOLOGICAL:
        for fmt in ("text", "markdown"):
            times = []
            for k in sizes:
                text = _pathological(name, k * 1024)
                start = time.process_time()
                parse_text(text, path=Path("p.md" if fmt == "markdown" else "p.txt"), fmt=fmt)
                times.append(time.process_time() - start)
            ratios = [b / a if a > 0 else float("nan") for a, b in zip(times, times[1:], strict=False)]
            worst = max(worst, times[-1])
            print(
                f"{name:26s} {fmt:8s} "
                + " ".join(f"{t:6.2f}s" for t in times)
                + "   "
                + " ".join(f"{r:.1f}" for r in ratios),
                flush=True,
            )
    print(f"slowest at {sizes[-1]} KB: {worst:.2f} s CPU")
    return 1 if sizes[-1] >= 1024 and worst > 2.0 else 0


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _table(size: int) -> str:
    out = ["| n | name | value |\n|---|---|---|\n"]
    total = len(out[0])
    i = 0
    while total < size:
        row = f"| {i} | cell {i} | {i * 7 % 1000} |\n"
        out.append(row)
        total += len(row)
        i += 1
    return "".join(out)


# Each: (name, size -> bytes of a Markdown file).
BAD_MARKDOWN = {
    "unclosed fences": lambda n: _repeat("Text before.\n\n```python\ncode = 1\n\n", n).encode(),
    "1,000-level list": lambda n: _repeat("".join("  " * i + "- item\n" for i in range(1000)) + "\n", n).encode(),
    "1,000-level quote": lambda n: _repeat("> " * 1000 + "deep\n\n", n).encode(),
    "10,000 [": lambda n: _repeat("[" * 10_000 + "\n\n", n).encode(),
    "10,000 *": lambda n: _repeat("a " + "*" * 10_000 + "\n\n", n).encode(),
    "table rows": lambda n: _table(n).encode(),
    "invalid UTF-8": lambda n: (
        _repeat("Café naïve text, " * 600 + "\n\n", n).encode().replace(b"text", b"te\xffxt", n // 10_000)
    ),
}


def bad_markdown(max_mb: float) -> None:
    sizes = [s for s in (10_000, 100_000, 1_000_000, 10_000_000) if s <= max_mb * 1_000_000]
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.md"
        warm.write_text("# Warm\n\nImports and compiled patterns, before the first timing.\n", encoding="utf-8")
        parse_file(warm)
        for name, make in BAD_MARKDOWN.items():
            figures = []
            before = None
            for size in sizes:
                path = Path(tmp) / "bad.md"
                path.write_bytes(make(size))
                start = time.process_time()  # CPU, as --pathological: the machine is shared
                doc = parse_file(path)
                seconds = time.process_time() - start
                ratio = f" (x{seconds / before:.1f})" if before else ""
                before = seconds
                codes = sorted({w.code for w in doc.warnings})
                figures.append(f"{size // 1000} KB {seconds:.2f} s{ratio}")
            print(f"{name}: " + ", ".join(figures) + f"; {len(doc.blocks)} blocks, warnings {codes}", flush=True)


ISSUE14_PARTS = ("bundled", "corpus", "big-text", "big-markdown")


def _probe(src: Path, what: str, docs: int, mb: int) -> dict:
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, str(HERE / "parse_probe.py"), "--src", str(src), what, "--docs", str(docs), "--mb", str(mb)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def _rows(what: str, figures: dict) -> list[tuple[str, str, float | None]]:
    """(label, figures as text, the CPU time to compare) for one probe's result."""
    if "error" in figures:
        return [(what, "error: " + figures["error"], None)]
    if what == "bundled":
        return [
            (name, f"{f['kb']} KB, {f['ms']} ms CPU, {f['blocks']} blocks, {f['notes_linked']} notes linked", f["ms"])
            for name, f in figures.items()
        ]
    if what == "corpus":
        return [
            (
                f"corpus as {fmt}",
                f"{f['docs']} docs ({f['mb']} MB): {f['cpu_s']} s CPU, {f['ms_per_doc']} ms a doc, "
                f"{f['notes_linked']} of {f['notes']} notes linked",
                f["cpu_s"],
            )
            for fmt, f in figures.items()
        ]
    f = figures
    return [
        (
            f"{f['mb']} MB file as {'text' if what == 'big-text' else 'Markdown'}",
            f"{f['cpu_s']} s CPU ({f['wall_s']} s wall), {f['mb_per_cpu_s']} MB/s of CPU, {f['blocks']} blocks, "
            f"{f['notes_linked']} notes linked, peak RSS {f['peak_rss_mb']} MB",
            f["cpu_s"],
        )
    ]


def issue14(docs: int, mb: int, compare: str | None) -> None:
    import subprocess

    src = HERE.parent / "src"
    with tempfile.TemporaryDirectory() as tmp:
        old = None
        if compare:
            old = Path(tmp) / "before"
            old.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(HERE.parent), "archive", compare, "src"], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
            old = old / "src"
            print(f"before: commit {compare}; after: this checkout", flush=True)
        for what in ISSUE14_PARTS:
            after = _rows(what, _probe(src, what, docs, mb))
            for label, text, _cpu in after:
                print(f"{label}: {text}", flush=True)  # at once: a long run stopped early keeps these
            before = _rows(what, _probe(old, what, docs, mb)) if old else []
            for (label, _text, cpu), (_, old_text, old_cpu) in zip(after, before, strict=False):
                ratio = f" (after / before: {cpu / old_cpu:.2f})" if cpu and old_cpu else ""
                print(f"  {label} before: {old_text}{ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--formats-only", action="store_true", help="only the per-format documents")
    parser.add_argument("--pathological", action="store_true", help="the issue #18 inputs at doubling sizes")
    parser.add_argument("--max-kb", type=int, default=1024)
    parser.add_argument("--bad-mb", type=float, default=10, help="largest pathological Markdown input (MB)")
    parser.add_argument("--only-bad", action="store_true", help="only the pathological Markdown inputs")
    parser.add_argument(
        "--tools", action="store_true", help="only HTML, EPUB, DOCX, ODT, EML written by pandoc/LibreOffice (issue #15)"
    )
    args = parser.parse_args()
    if args.tools:
        from formats_by_tools import bench_by_tools

        bench_by_tools(
            (HERE.parent / "library" / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text("utf-8")
        )
        return
    if args.pathological:
        sys.exit(pathological(args.max_kb))
    bad_markdown(args.bad_mb)
    if args.only_bad:
        return
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


def bench_real_pdfs(paths: list[Path]) -> None:
    """Pages a second (CPU time, best of three) and what was found in real PDFs given by path."""
    for path in paths:
        best = float("inf")
        for _ in range(3):
            cpu = time.process_time()
            doc = parse_file(path)
            best = min(best, time.process_time() - cpu)
        pages = len(doc.parts)
        defined = {n.key for n in doc.footnotes if n.defined}
        linked = sum(r.key in defined for b in doc.blocks for r in b.refs)
        print(
            f"PDF {path.name}: {pages} pages, {pages / best:.0f} pages/s CPU, {len(doc.blocks)} blocks, "
            f"{sum(n.defined for n in doc.footnotes)} notes, {linked} markers linked, "
            f"{sum(w.code == 'uncited-note' for w in doc.warnings)} uncited notes"
        )


def bench_pdf() -> None:
    """Pages a second (CPU time, so a loaded machine does not hide what one core does) on a
    generated 100-page report, and peak memory reading a 2,000-page file in a fresh process."""
    import subprocess

    import pypdf

    sys.path.insert(0, str(HERE.parent))
    from tools.pdf_typeset import report, typeset

    with tempfile.TemporaryDirectory() as tmp:
        hundred = Path(tmp) / "report.pdf"
        typeset(report(100), hundred)
        for _ in range(3):
            cpu, wall = time.process_time(), time.perf_counter()
            doc = parse_file(hundred)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            pages = len(doc.parts)
            print(
                f"PDF {pages} pages: {pages / cpu:.0f} pages/s CPU ({pages / wall:.0f} wall), "
                f"{len(doc.blocks)} blocks, {sum(n.defined for n in doc.footnotes)} notes"
            )
        writer = pypdf.PdfWriter()
        source = pypdf.PdfReader(hundred)
        while len(writer.pages) < 2000:
            for page in source.pages[: 2000 - len(writer.pages)]:
                writer.add_page(page)
        big = Path(tmp) / "big.pdf"
        with big.open("wb") as fh:
            writer.write(fh)
        probe = (
            "import resource, sys, time; from pathlib import Path; from tuireader.core.formats import parse_file;"
            "t = time.process_time(); d = parse_file(Path(sys.argv[1])); t = time.process_time() - t;"
            "print(len(d.parts), len(d.blocks), round(t, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
        )
        env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
        out = subprocess.run(
            [sys.executable, "-c", probe, str(big)], capture_output=True, text=True, env=env, check=True
        )
        pages, blocks, seconds, rss = out.stdout.split()
        print(
            f"PDF {pages} pages ({big.stat().st_size / 1e6:.0f} MB): {blocks} blocks in {seconds} s CPU, "
            f"peak RSS {rss} MB"
        )


def issue14_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_parse.py issue14")
    parser.add_argument("--docs", type=int, default=10_000, help="articles of the generated corpus")
    parser.add_argument("--mb", type=int, default=50, help="size of the big file")
    parser.add_argument("--compare", metavar="REF", help="also measure commit REF's source")
    args = parser.parse_args(argv)
    issue14(args.docs, args.mb, args.compare)


if __name__ == "__main__":
    if sys.argv[1:2] == ["pdf"]:
        bench_real_pdfs([Path(a) for a in sys.argv[2:]]) if sys.argv[2:] else bench_pdf()
    elif sys.argv[1:2] == ["issue14"]:
        issue14_main(sys.argv[2:])
    else:
        main()
