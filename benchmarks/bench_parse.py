"""Parsing benchmark: one huge file (default 50 MB, issue #2) and the bundled articles.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50]

Prints parse time, throughput and peak RSS, so a reviewer can compare run to run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tuireader.core.formats import parse_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    seed = (HERE.parent / "library" / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text(encoding="utf-8")
    body, notes = seed[: seed.index("¹ https")], seed[seed.index("¹ https") :]
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


if __name__ == "__main__":
    main()
