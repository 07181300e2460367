"""Search benchmark: one command, figures a reviewer can compare run to run.

    .venv/bin/python benchmarks/bench_search.py            # 10,000 articles (issue #3)
    .venv/bin/python benchmarks/bench_search.py --docs 500 # a quick look

Prints: full build (ours and bare Whoosh on the same corpus, and the ratio),
documents/s, index size, no-change re-open, one-document updates, query latency
(median and p95 over a fixed mix, with snippets) and peak RSS of each process.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

UPDATES = 9


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_child(mode: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ children
def child_bare(lib: str, index_dir: str, procs: str) -> dict:
    from whoosh import analysis, fields, index

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True),
        body=fields.TEXT(analyzer=analysis.StemmingAnalyzer(), stored=True),
    )
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    ix = index.create_in(index_dir, schema)
    start = time.perf_counter()
    writer = ix.writer(procs=int(procs), limitmb=256, multisegment=True)
    for path in sorted(Path(lib).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        writer.add_document(id=path.stem, title=title, body=body)
    writer.commit()
    return {"seconds": time.perf_counter() - start, "rss_mb": peak_rss_mb(), "size_mb": dir_size_mb(Path(index_dir))}


def child_build(lib: str, index_dir: str, procs: str) -> dict:
    # What `tuireader index` runs: parsing and entity extraction included.
    from tuireader.workspace import Workspace

    start = time.perf_counter()
    index = Workspace(Path(lib), index_dir).index
    report = index.update(rebuild=True, procs=int(procs))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "added": report.added, "rss_mb": peak_rss_mb(), "size_mb": dir_size_mb(Path(index_dir))}


def child_reopen(lib: str, index_dir: str) -> dict:
    from tuireader.workspace import Workspace

    start = time.perf_counter()
    index = Workspace(Path(lib), index_dir).index
    report = index.update()
    reopen = time.perf_counter() - start
    assert not report.changed, report.summary()
    # one-document updates: edit a file, update, several times (Whoosh merges small segments now and then)
    victims = sorted(Path(lib).glob("*.txt"))[:UPDATES]
    originals = [v.read_text(encoding="utf-8") for v in victims]
    times = []
    try:
        for n, (victim, original) in enumerate(zip(victims, originals, strict=True)):
            victim.write_text(
                original.replace("\n\n", f"\n\nBenchmark edit {n} appears here.\n\n", 1), encoding="utf-8"
            )
            start = time.perf_counter()
            report = index.update()
            times.append(time.perf_counter() - start)
            assert report.updated == 1, report.summary()
    finally:
        for victim, original in zip(victims, originals, strict=True):
            victim.write_text(original, encoding="utf-8")
        index.update()
    return {
        "reopen_s": reopen,
        "update_one_s": statistics.median(times),
        "update_one_max_s": max(times),
        "update_times_s": times,
        "rss_mb": peak_rss_mb(),
    }


def child_queries(lib: str, index_dir: str) -> dict:
    from tuireader.workspace import Workspace

    index = Workspace(Path(lib), index_dir).index
    words = corpus.query_words()
    rng = random.Random(3)
    mix = {
        "term": [w for w in words[:20]],
        "two terms": [
            f"{a} {b}" for a, b in zip(words[20:40], ["security", "troops", "talks", "border"] * 5, strict=True)
        ],
        "phrase": [
            '"Organization of Turkic States"',
            '"Collective Security Treaty Organization"',
            '"Recep Tayyip Erdogan"',
            '"Central Asia"',
            '"the Foreign Ministry"',
        ]
        * 4,
        "fuzzy": [w[:-1] + "x~" if len(w) > 4 else w + "~" for w in words[40:60]],
        "prefix": [w[:4] + "*" for w in words[60:80]],
        "fielded": [f"author:{rng.choice(['yazici', 'danilov', 'petrova', 'smith'])} {w}" for w in words[80:100]],
        "date range": [
            f"{w} date:[2021-0{m}-01 TO 2021-0{m + 2}-28]"
            for w, m in zip(words[100:120], [1, 2, 3, 4, 5] * 4, strict=True)
        ],
    }
    index.search("warm up")
    per_kind: dict[str, list[float]] = {}
    all_times: list[float] = []
    for kind, queries in mix.items():
        for n, q in enumerate(queries):
            start = time.perf_counter()
            results = index.search(q, limit=10)
            elapsed = (time.perf_counter() - start) * 1000
            assert not results.messages, (q, results.messages)
            per_kind.setdefault(kind, []).append(elapsed)
            if kind == "phrase" and q not in queries[:n]:
                # each phrase comes four times: the later ones are served by the term cache
                per_kind.setdefault("phrase, first search of each", []).append(elapsed)
            all_times.append(elapsed)

    def p95(xs):  # nearest rank: of 140 the 133rd, of 20 the 19th, of 5 the largest
        return sorted(xs)[max(0, math.ceil(len(xs) * 0.95) - 1)]

    return {
        "median_ms": statistics.median(all_times),
        "p95_ms": p95(all_times),
        "by_kind": {k: {"median_ms": statistics.median(v), "p95_ms": p95(v)} for k, v in per_kind.items()},
        "rss_mb": peak_rss_mb(),
    }


# -------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "tuireader-bench"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        print(
            json.dumps(
                {"bare": child_bare, "build": child_build, "reopen": child_reopen, "queries": child_queries}[mode](
                    *rest
                )
            )
        )
        return

    work = Path(args.workdir)
    lib = work / f"corpus-{args.docs}-{args.words}"
    t = time.perf_counter()
    corpus.generate(lib, args.docs, words=args.words)
    print(
        f"corpus: {args.docs} articles of ~{args.words} words in {lib} ({dir_size_mb(lib):.0f} MB, "
        f"ready in {time.perf_counter() - t:.1f} s)"
    )
    bare_dir, our_dir = work / "bare-index", work / f"index-{args.docs}"  # bench_ui.py reuses ours
    for d in (bare_dir, our_dir):
        shutil.rmtree(d, ignore_errors=True)

    bare = run_child("bare", str(lib), str(bare_dir), str(args.procs))
    ours = run_child("build", str(lib), str(our_dir), str(args.procs))
    reopen = run_child("reopen", str(lib), str(our_dir))
    queries = run_child("queries", str(lib), str(our_dir))

    rows = [
        (
            f"bare Whoosh build (procs={args.procs})",
            f"{bare['seconds']:.1f} s",
            f"{args.docs / bare['seconds']:.0f} docs/s",
        ),
        ("our full build, parsing included", f"{ours['seconds']:.1f} s", f"{args.docs / ours['seconds']:.0f} docs/s"),
        ("ratio ours / bare (target <= 1.3)", f"{ours['seconds'] / bare['seconds']:.2f}", ""),
        ("index size (ours / bare)", f"{ours['size_mb']:.0f} MB", f"{bare['size_mb']:.0f} MB"),
        ("no-change re-open (target < 1 s)", f"{reopen['reopen_s'] * 1000:.0f} ms", ""),
        (
            f"one-document update, median / max of {UPDATES} (target < 200 ms)",
            f"{reopen['update_one_s'] * 1000:.0f} ms",
            f"{reopen['update_one_max_s'] * 1000:.0f} ms",
        ),
        ("query median / p95 (targets 15 / 60 ms)", f"{queries['median_ms']:.1f} ms", f"{queries['p95_ms']:.1f} ms"),
    ]
    rows += [(f"  {k}", f"{v['median_ms']:.1f} ms", f"{v['p95_ms']:.1f} ms") for k, v in queries["by_kind"].items()]
    rows += [
        ("peak RSS: build / bare build", f"{ours['rss_mb']:.0f} MB", f"{bare['rss_mb']:.0f} MB"),
        ("peak RSS: search process (target < 400 MB)", f"{queries['rss_mb']:.0f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, a, b in rows:
        print(f"{name:<{width}}  {a:>10}  {b:>12}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"search-{args.docs}.json").write_text(
        json.dumps({"docs": args.docs, "bare": bare, "ours": ours, "reopen": reopen, "queries": queries}, indent=2)
    )


if __name__ == "__main__":
    main()
