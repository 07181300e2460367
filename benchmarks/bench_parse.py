"""Parsing benchmark: one huge file (default 50 MB, issue #2), the bundled articles, and
pathological Markdown (issue #14) at 10 KB, 100 KB, 1 MB and 10 MB each.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50] [--bad-mb 10] [--only-bad]

Prints parse time, throughput and peak RSS, so a reviewer can compare run to run.  For the
pathological inputs it prints the time at each size and its ratio to the time at the size
before (ten times smaller): about 10 is linear, about 100 would be quadratic.
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
PATHOLOGICAL = {
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


def pathological(max_mb: float) -> None:
    sizes = [s for s in (10_000, 100_000, 1_000_000, 10_000_000) if s <= max_mb * 1_000_000]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in PATHOLOGICAL.items():
            figures = []
            before = None
            for size in sizes:
                path = Path(tmp) / "bad.md"
                path.write_bytes(make(size))
                start = time.perf_counter()
                doc = parse_file(path)
                seconds = time.perf_counter() - start
                ratio = f" (x{seconds / before:.1f})" if before else ""
                before = seconds
                codes = sorted({w.code for w in doc.warnings})
                figures.append(f"{size // 1000} KB {seconds:.2f} s{ratio}")
            print(f"{name}: " + ", ".join(figures) + f"; {len(doc.blocks)} blocks, warnings {codes}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--bad-mb", type=float, default=10, help="largest pathological Markdown input (MB)")
    parser.add_argument("--only-bad", action="store_true", help="only the pathological Markdown inputs")
    args = parser.parse_args()
    pathological(args.bad_mb)
    if args.only_bad:
        return
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
