"""Documents per second per format, on documents written by the tools analysts' files come
from: pandoc writes a ~200 KB web page, a ~2 MB EPUB (40 chapters, each chapter's notes at
its end) and a 50-page DOCX (~25,000 words), LibreOffice saves that DOCX as ODT, and
Python's e-mail package wraps the web page as a newsletter (.eml, quoted-printable).  All
from the bundled ISW article, with a real footnote on every paragraph.

    .venv/bin/python benchmarks/bench_parse.py --tools

Times are CPU seconds of this process (time.process_time), the median of several parses
after one warm parse: on a machine shared with other jobs the wall clock counts the
others' time too.  Needs pandoc (and libreoffice for ODT: skipped, and said, without it).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from tuireader.core.formats import parse_file


def _markdown(paragraphs: list[str], note_texts: list[str], words: int, chapter_every: int) -> str:
    """A report of about ``words`` words, a note on every paragraph, a ``#`` heading (an
    EPUB chapter) every ``chapter_every`` paragraphs and a ``##`` between them."""
    parts, defs, n, count = [], [], 0, 0
    while count < words:
        if n % chapter_every == 0:
            parts.append(f"# Chapter {n // chapter_every + 1}")
        elif n % 8 == 0:
            parts.append(f"## Section {n // 8 + 1}")
        text = paragraphs[n % len(paragraphs)].replace("\n", " ").rstrip()
        n += 1
        parts.append(f"{text}[^n{n}]")
        defs.append(f"[^n{n}]: {note_texts[n % len(note_texts)]}")
        count += len(text.split())
    head = "---\ntitle: A generated report\nauthor: Bench Writer\ndate: 2024-03-05\n---\n\n"
    return head + "\n\n".join(parts) + "\n\n" + "\n".join(defs) + "\n"


def _time(path: Path, runs: int) -> tuple[float, object]:
    doc = parse_file(path)  # warm: imports (docutils, the zip reader) and regex compilation
    cpu = []
    for _ in range(runs):
        start = time.process_time()
        doc = parse_file(path)
        cpu.append(time.process_time() - start)
    return statistics.median(cpu), doc


def bench_by_tools(seed: str) -> None:
    if shutil.which("pandoc") is None:
        print("formats by tools: skipped (pandoc is not installed: apt-get install pandoc)")
        return
    body, notes = seed[: seed.index("¹ https")], seed[seed.index("¹ https") :]
    paragraphs = [p for p in body.split("\n\n") if len(p) > 200]
    note_texts = [line.split(" ", 1)[1] for line in notes.splitlines() if line[:1] in "¹²³⁴⁵⁶⁷⁸⁹" and " " in line]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made: list[tuple[str, Path, int]] = []  # label, file, parses to time

        page_md = folder / "page.md"
        page_md.write_text(_markdown(paragraphs, note_texts, 22_000, 10_000), encoding="utf-8")
        page = folder / "page.html"
        subprocess.run(["pandoc", "-s", str(page_md), "-o", str(page)], check=True)
        made.append(("html (pandoc -s)", page, 9))

        book_md = folder / "book.md"
        book_md.write_text(_markdown(paragraphs, note_texts, 225_000, 60), encoding="utf-8")
        book = folder / "book.epub"
        subprocess.run(["pandoc", "--epub-chapter-level=1", str(book_md), "-o", str(book)], check=True)
        made.append(("epub (pandoc)", book, 3))

        report_md = folder / "report.md"
        report_md.write_text(_markdown(paragraphs, note_texts, 25_000, 10_000), encoding="utf-8")
        report = folder / "report.docx"
        subprocess.run(["pandoc", str(report_md), "-o", str(report)], check=True)
        made.append(("docx (pandoc, 50 pages)", report, 5))

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            profile = folder / "lo-profile"  # a private profile: never the user's
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "odt",
                    "--outdir",
                    str(folder),
                    str(report),
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
            made.append(("odt (LibreOffice from the docx)", folder / "report.odt", 5))  # beside report.md
        else:
            print("odt: skipped (libreoffice is not installed)")

        message = EmailMessage()
        message["From"] = "Bench Writer <writer@example.org>"
        message["To"] = "reader@example.org"
        message["Subject"] = "A generated report"
        message["Date"] = "Tue, 05 Mar 2024 08:00:00 +0000"
        message.set_content("The report, as text, is in the HTML part.")
        message.add_alternative(page.read_text(encoding="utf-8"), subtype="html", cte="quoted-printable")
        mail = folder / "page.eml"  # beside page.md, the notes it was written with
        mail.write_bytes(message.as_bytes())
        made.append(("eml (email package, the page as its HTML part)", mail, 9))

        for label, path, runs in made:
            seconds, doc = _time(path, runs)
            words = sum(len(b.text.split()) for b in doc.blocks)  # type: ignore[attr-defined]
            linked = sum(1 for n in doc.footnotes if n.cited_at)  # type: ignore[attr-defined]
            written = sum(
                1 for line in path.with_suffix(".md").read_text("utf-8").splitlines() if line.startswith("[^")
            )
            size = path.stat().st_size
            extra = ""
            if path.suffix in (".epub", ".docx", ".odt"):
                import zipfile

                inflated = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
                extra = f", {inflated / 1024:.0f} KB inflated"
            print(
                f"{label}: {size / 1024:.0f} KB file{extra}, {words:,} words, {linked} of {written} notes linked: "
                f"{seconds * 1000:.0f} ms CPU a document ({1 / seconds:.1f} documents/s)",
                flush=True,
            )
