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


if __name__ == "__main__":
    main()
