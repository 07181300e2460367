"""Placing a document's annotations when it opens (issue #19): 2,000 annotations on a 1 MB document.

    .venv/bin/python benchmarks/bench_annotations.py [--size 1000000] [--count 2000] [--notes 300]

Generates a Markdown report (paragraphs of varied sentences, footnote markers and notes) in a
temporary folder, annotates ``--count`` passages spread through it (highlights, a tenth of them
bookmarks, some in the notes), then times, in CPU time (best of ``--repeat``):
- ``placed``: ``placed_annotations`` on the unchanged file (what opening the document does);
- ``moved``: the same after a paragraph was inserted at the top (every annotation moves);
- ``spans``: turning the placements into the article's and the notes' spans (``Annotator.repaint``
  without the widgets).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the ministry said forces moved toward the border after talks in Astana failed while observers "
    "reported new shelling near the river and officials denied any role in the strikes on depots"
).split()


def generate(path: Path, size: int, notes: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    parts = ["# A Long Report\n\nJane Roe\n\nJanuary 5, 2022\n"]
    total, n = 0, 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + ".")
        if n < notes and rng.random() < 0.3:
            n += 1
            sentences[-1] += f"[^{n}]"
        paragraph = " ".join(sentences)
        parts.append(paragraph + "\n")
        total += len(paragraph) + 2
    for k in range(1, n + 1):
        parts.append(f"[^{k}]: Note {k}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + ".\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--notes", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-annotations-"))
    os.environ["TUIREADER_DATA_DIR"] = str(base / "data")
    from tuireader.annotations import AnnotationStore
    from tuireader.annotations.model import BOOKMARK
    from tuireader.annotations.service import new_annotation, placed_annotations
    from tuireader.annotations.text import DocText
    from tuireader.core.formats import parse_file
    from tuireader.ui.annotating import annotation_spans

    path = base / "report.md"
    generate(path, args.size, args.notes)
    doc = parse_file(path, doc_id="report")
    text = DocText(doc)
    rng = random.Random(11)
    store = AnnotationStore(base / "data" / "annotations.sqlite")
    t0 = time.perf_counter()
    made = []
    for i in range(args.count):
        a = rng.randrange(0, len(text.text) - 200)
        s0, s1 = text.source_range(a, a + rng.randint(20, 160))
        if i % 10 == 0:
            made.append(new_annotation(doc, s0, s0, kind=BOOKMARK, text=text))
        else:
            made.append(new_annotation(doc, s0, s1, colour=("yellow", "green", "blue", "pink")[i % 4], text=text))
    for a in made:
        store.add(a)
    print(
        f"document: {path.stat().st_size / 1e6:.2f} MB, {len(doc.blocks)} blocks, {len(doc.footnotes)} notes; "
        f"{len(store.for_document('report'))} annotations made in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    placed_time = best(args.repeat, lambda: placed_annotations(store, doc, DocText(doc)))
    placed = placed_annotations(store, doc, text)
    spans_time = best(args.repeat, lambda: annotation_spans(placed, text))
    print(f"placed (unchanged file): {placed_time * 1000:.0f} ms")
    print(f"spans for the views:     {spans_time * 1000:.0f} ms")
    path.write_text("An added paragraph above.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved_doc = parse_file(path, doc_id="report")
    t0 = time.process_time()
    moved = placed_annotations(store, moved_doc, DocText(moved_doc))
    print(
        f"moved (file changed):    {(time.process_time() - t0) * 1000:.0f} ms, "
        f"{sum(1 for p in moved if p.placement.status == 'moved')} moved"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
