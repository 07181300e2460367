"""One measurement of ``bench_parse.py issue14``, in its own process, against the tuireader
source tree given by ``--src`` (this checkout's, or an older commit's extracted by
``--compare REF``), printed as one JSON line.  CPU seconds (time.process_time): on a
machine shared with other jobs the wall clock also counts the time others had the CPU.

    python benchmarks/parse_probe.py --src DIR bundled|corpus|big-text|big-markdown [--docs N] [--mb N]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu(func) -> tuple[float, object]:
    start = time.process_time()
    result = func()
    return time.process_time() - start, result


def bundled() -> dict:
    """Each bundled article, parsed as its format and as Markdown: CPU ms a parse (best of 3 runs of 5)."""
    from tuireader.core.formats import parse_file
    from tuireader.core.parse import parse_text

    out = {}
    for path in sorted((HERE.parent / "library").iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        for label, run in (
            ("file", lambda p=path: parse_file(p)),
            ("markdown", lambda t=text, p=path: parse_text(t, path=p.with_suffix(".md"), fmt="markdown")),
        ):
            run()  # warm: imports, compiled patterns
            best = min(_cpu(lambda r=run: [r() for _ in range(5)])[0] / 5 for _ in range(3))
            doc = run()
            out[f"{path.name} ({label})"] = {
                "kb": round(path.stat().st_size / 1024),
                "ms": round(best * 1000, 1),
                "notes_linked": sum(1 for n in doc.footnotes if n.cited_at),
                "blocks": len(doc.blocks),
            }
    return out


def corpus(docs: int) -> dict:
    """The generated corpus (benchmarks/corpus.py, the articles ``generate`` writes for the
    same seed), each article parsed as text and as Markdown; generating is not timed."""
    sys.path.insert(0, str(HERE))
    import corpus as gen

    from tuireader.core.parse import parse_text

    out = {}
    for fmt, name in (("text", "a.txt"), ("markdown", "a.md")):
        rng = random.Random(7)
        vocab = gen._vocabulary(rng)
        entities = gen._entity_pool(rng)
        cpu, size, linked, notes = 0.0, 0, 0, 0
        for i in range(docs):
            _, text = gen.article(rng, vocab, i, 1000, entities)
            size += len(text)
            seconds, doc = _cpu(lambda t=text, n=name, f=fmt: parse_text(t, path=Path(n), fmt=f))
            cpu += seconds
            linked += sum(1 for n in doc.footnotes if n.cited_at)  # type: ignore[attr-defined]
            notes += len(doc.footnotes)  # type: ignore[attr-defined]
        out[fmt] = {
            "docs": docs,
            "mb": round(size / 1e6, 1),
            "cpu_s": round(cpu, 2),
            "ms_per_doc": round(cpu / docs * 1000, 2),
            "notes": notes,
            "notes_linked": linked,
        }
    return out


def big(mb: int, suffix: str) -> dict:
    """One file of ``mb`` MB: the bundled ISW report's body repeated, its notes at the end."""
    from tuireader.core.formats import parse_file

    seed = (HERE.parent / "library" / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text(encoding="utf-8")
    body, notes = seed[: seed.index("¹ https")], seed[seed.index("¹ https") :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"huge{suffix}"
        with path.open("w", encoding="utf-8") as fh:
            while fh.tell() < mb * 1_000_000:
                fh.write(body)
            fh.write(notes)
        size = path.stat().st_size
        wall = time.perf_counter()
        cpu, doc = _cpu(lambda: parse_file(path))
        wall = time.perf_counter() - wall
    return {
        "mb": round(size / 1e6),
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 1),
        "mb_per_cpu_s": round(size / 1e6 / cpu, 2),
        "blocks": len(doc.blocks),  # type: ignore[attr-defined]
        "notes_linked": sum(1 for n in doc.footnotes if n.cited_at),  # type: ignore[attr-defined]
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", required=True, type=Path)
    parser.add_argument("what", choices=("bundled", "corpus", "big-text", "big-markdown"))
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src))
    if args.what == "bundled":
        result = bundled()
    elif args.what == "corpus":
        result = corpus(args.docs)
    else:
        result = big(args.mb, ".txt" if args.what == "big-text" else ".md")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
