"""Parsing benchmark: one huge file (default 50 MB, issue #2) and the bundled articles.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50]
    .venv/bin/python benchmarks/bench_parse.py pdf     # PDF: pages/s on 100 pages, memory on 2,000 (issue #16)

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


if __name__ == "__main__":
    bench_pdf() if sys.argv[1:2] == ["pdf"] else main()
