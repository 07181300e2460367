"""Parsing benchmark: one huge file (default 50 MB, issue #2) and the bundled articles.

    .venv/bin/python benchmarks/bench_parse.py [--mb 50]
    .venv/bin/python benchmarks/bench_parse.py --pathological [--max-kb 1024]

Prints parse time, throughput and peak RSS, so a reviewer can compare run to run.
``--pathological`` parses each input of issue #18 item 3 at doubling sizes up to
``--max-kb`` (as plain text and as Markdown) and prints each time and its ratio to the
size before: about 2 is linear, about 4 quadratic.  Times are CPU seconds of this process
(time.process_time): on a machine shared with other jobs the wall clock also counts the
time others had the CPU.  It fails (exit 1) when a 1 MB input takes over 2 s.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--pathological", action="store_true", help="the issue #18 inputs at doubling sizes")
    parser.add_argument("--max-kb", type=int, default=1024)
    args = parser.parse_args()
    if args.pathological:
        sys.exit(pathological(args.max_kb))
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
