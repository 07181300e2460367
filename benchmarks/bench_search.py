"""Search benchmark: one command, figures a reviewer can compare run to run.

    .venv/bin/python benchmarks/bench_search.py            # 10,000 articles (issue #3)
    .venv/bin/python benchmarks/bench_search.py --docs 500 # a quick look
    .venv/bin/python benchmarks/bench_search.py --peers    # and tantivy, SQLite FTS5 side by side

With --peers (needs the bench extra: pip install -e '.[bench]'), tantivy and
SQLite FTS5 index the same corpus (title, body, notes; stemming; see
peers.py) and answer the same cold mix (queries never issued before in the
process) and warm mix (the same again), engines interleaved query by query;
CPU medians and p95s per engine and kind, and the paired per-query ratios
tuireader / peer.  On a sample, each query's top 10 is checked against
Whoosh's own searcher on our index (same documents, same order within ties).

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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

UPDATES = 9


def cpu_s() -> float:
    """CPU seconds of this process and of its children that were waited for (writer processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def children_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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
    return {
        "seconds": time.perf_counter() - start,
        "cpu_s": cpu_s(),
        "rss_mb": peak_rss_mb(),
        "children_rss_mb": children_rss_mb(),
        "size_mb": dir_size_mb(Path(index_dir)),
    }


def child_build(lib: str, index_dir: str, procs: str) -> dict:
    # What `tuireader index` runs: parsing and entity extraction included.
    from tuireader.workspace import Workspace

    start = time.perf_counter()
    index = Workspace(Path(lib), index_dir).index
    report = index.update(rebuild=True, procs=int(procs))
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu_s": cpu_s(),
        "added": report.added,
        "rss_mb": peak_rss_mb(),
        "children_rss_mb": children_rss_mb(),
        "size_mb": dir_size_mb(Path(index_dir)),
    }


def child_peer_build(engine: str, lib: str, where: str) -> dict:
    import peers

    start = time.perf_counter()
    (peers.build_tantivy if engine == "tantivy" else peers.build_fts5)(Path(lib), Path(where))
    target = Path(where)
    size = dir_size_mb(target) if target.is_dir() else target.stat().st_size / 1e6
    return {"seconds": time.perf_counter() - start, "cpu_s": cpu_s(), "rss_mb": peak_rss_mb(), "size_mb": size}


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


def _whoosh_own(searcher, compiler, text: str) -> list[tuple[str, float]]:
    """Whoosh's own searcher (its matchers, its BM25F) on our index, on our compiled query: the
    phrase as Whoosh's Phrase, so nothing of our evaluation is used."""
    from whoosh import query

    from tuireader.search.whoosh.phrase import FastPhrase

    def plain(q):
        if isinstance(q, FastPhrase):
            return query.Phrase(q.fieldname, q.words, slop=q.slop, boost=q.boost)
        return q if q.is_leaf() else q.apply(plain)

    compiled = compiler.compile(text, searcher.reader())
    if compiled.query is None:
        return []
    results = searcher.search(plain(compiled.query), limit=peers_top())
    return [(hit["id"], float(hit.score)) for hit in results]


def peers_top() -> int:
    import peers

    return peers.TOP


def same_top(ours: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> bool:
    """The same documents in the same order, except that documents tied with the last score may
    differ (which of them makes the top 10 is arbitrary) and scores may differ in the last bits."""

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))

    if len(ours) != len(theirs) or not all(close(a[1], b[1]) for a, b in zip(ours, theirs, strict=True)):
        return False
    if not ours:
        return True
    last = ours[-1][1]
    head = [i for i, s in ours if not close(s, last)]
    return head == [i for i, s in theirs if not close(s, last)]


def child_peer_queries(lib: str, index_dir: str, tantivy_dir: str, fts5_db: str, whoosh_every: str) -> dict:
    import peers
    from whoosh import scoring

    from tuireader.workspace import Workspace

    index = Workspace(Path(lib), index_dir).index
    index.search("warm up")  # opens the searcher: not a query of the mix
    index.warm_up()  # what the reader does at start, off the UI thread
    bare = index.backend._current_ix().searcher(weighting=scoring.BM25F())

    def ours(text: str) -> list[tuple[str, float]]:
        results = index.search(text, limit=peers.TOP)
        assert not results.messages, (text, results.messages)
        return [(h.id, h.score) for h in results.hits]

    engines: dict[str, Callable[[str], list]] = {"tuireader": ours}
    for engine in (peers.Tantivy(Path(tantivy_dir)), peers.Fts5(Path(fts5_db))):
        engines[engine.name] = engine.search
    engines["tantivy"]("warmup")
    engines["FTS5"]("warmup")
    mix = peers.make_mix(Path(lib))
    every = int(whoosh_every)
    times: dict[str, dict[str, list[list[float]]]] = {}  # pass -> engine -> [per query ms]
    found: dict[str, list[list[str]]] = {name: [] for name in engines}
    checks = {"checked": 0, "same": 0, "differ": [], "whoosh_ms": []}
    for pass_name in ("cold", "warm"):
        per_engine: dict[str, list[float]] = {name: [] for name in engines}
        order = list(range(len(mix))) if pass_name == "cold" else random.Random(9).sample(range(len(mix)), len(mix))
        elapsed_by_query: dict[str, dict[int, float]] = {name: {} for name in engines}
        for n, qi in enumerate(order):
            _, text = mix[qi]
            names = list(engines)
            names = names[n % len(names) :] + names[: n % len(names)]  # each engine first in turn
            for name in names:
                start = time.process_time()
                hits = engines[name](text)
                elapsed_by_query[name][qi] = (time.process_time() - start) * 1000
                if pass_name == "cold":
                    found[name].append([h[0] if isinstance(h, tuple) else h for h in hits])
                    if name == "tuireader" and every and qi % every == 0:
                        start = time.process_time()
                        theirs = _whoosh_own(bare, index.backend.compiler, text)
                        checks["whoosh_ms"].append((qi, (time.process_time() - start) * 1000))
                        checks["checked"] += 1
                        if same_top(hits, theirs):
                            checks["same"] += 1
                        else:
                            checks["differ"].append({"query": text, "ours": hits, "whoosh": theirs})
        for name in engines:
            per_engine[name] = [elapsed_by_query[name][qi] for qi in range(len(mix))]
        times[pass_name] = per_engine
    bare.close()

    def overlap(a: list[str], b: list[str]) -> float | None:
        return len(set(a) & set(b)) / max(len(a), len(b)) if (a or b) else None

    overlaps = {}
    for peer in ("tantivy", "FTS5"):
        values = [overlap(a, b) for a, b in zip(found["tuireader"], found[peer], strict=True)]
        values = [v for v in values if v is not None]
        overlaps[peer] = statistics.mean(values) if values else None
    return {
        "mix": mix,
        "times_ms": times,
        "whoosh": checks,
        "overlap_at_10": overlaps,
        "rss_mb": peak_rss_mb(),
    }


def p95(xs: list[float]) -> float:  # nearest rank: of 140 the 133rd, of 20 the 19th, of 5 the largest
    return sorted(xs)[max(0, math.ceil(len(xs) * 0.95) - 1)]


def peers_report(result: dict, builds: dict[str, dict]) -> list[str]:
    mix = result["mix"]
    kinds = list(dict.fromkeys(k for k, _ in mix))
    engines = list(result["times_ms"]["cold"])
    lines = []
    for pass_name, times in result["times_ms"].items():
        lines.append(
            f"\n{pass_name} mix ({len(mix)} queries): CPU ms per query, median / p95; paired ratio "
            "tuireader / peer: median of the per-query ratios (p95)"
        )
        header = f"{'':<26}" + "".join(f"{e:>18}" for e in engines) + "".join(f"{'ours/' + e:>18}" for e in engines[1:])
        lines.append(header)
        for kind in [None, *kinds]:
            idx = [i for i, (k, _) in enumerate(mix) if kind is None or k == kind]
            row = f"{(kind or 'all'):<26}"
            for e in engines:
                xs = [times[e][i] for i in idx]
                row += f"{statistics.median(xs):>9.2f} /{p95(xs):>7.2f}"
            for e in engines[1:]:
                ratios = [times["tuireader"][i] / max(times[e][i], 1e-3) for i in idx]
                row += f"{statistics.median(ratios):>9.2f} ({p95(ratios):>5.2f})"
            lines.append(row)
    checks = result["whoosh"]
    whoosh_ms = [ms for _, ms in checks["whoosh_ms"]]
    ours_ms = [result["times_ms"]["cold"]["tuireader"][qi] for qi, _ in checks["whoosh_ms"]]
    lines.append(
        f"\nWhoosh's own searcher on our index, {checks['checked']} queries of the cold mix: "
        f"same top {peers_top()} (documents, order within ties) for {checks['same']}; "
        f"CPU median / p95 {statistics.median(whoosh_ms):.1f} / {p95(whoosh_ms):.1f} ms, "
        f"paired ratio tuireader / Whoosh {statistics.median([a / b for a, b in zip(ours_ms, whoosh_ms, strict=True)]):.2f}"
    )
    for d in checks["differ"][:5]:
        lines.append(f"  differs: {d['query']}: ours {d['ours'][:4]} whoosh {d['whoosh'][:4]}")
    lines.append(
        "top-10 overlap with tuireader (mean over the cold mix): "
        + ", ".join(f"{k} {v:.2f}" for k, v in result["overlap_at_10"].items() if v is not None)
        + " (different BM25 variants and fuzzy/prefix rules: not expected to be 1)"
    )
    lines.append("\nbuild, CPU s (parent and its writer processes), wall s, size, peak RSS:")
    ours = builds["tuireader"]["cpu_s"]
    for name, b in builds.items():
        ratio = f"  tuireader / this {ours / b['cpu_s']:.2f}" if name != "tuireader" else ""
        rss = max(b.get("rss_mb", 0), b.get("children_rss_mb", 0))
        lines.append(
            f"  {name:<12} {b['cpu_s']:>8.1f} CPU s {b['seconds']:>8.1f} s {b['size_mb']:>7.0f} MB {rss:>6.0f} MB{ratio}"
        )
    lines.append(f"peak RSS of the query process (all engines): {result['rss_mb']:.0f} MB")
    return lines


# -------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "tuireader-bench"))
    parser.add_argument("--peers", action="store_true", help="also tantivy and SQLite FTS5, interleaved")
    parser.add_argument(
        "--whoosh-every", type=int, default=3, help="check every Nth query's hits against Whoosh's own searcher"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the indexes (and build figures) of an earlier run on this corpus"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        print(
            json.dumps(
                {
                    "bare": child_bare,
                    "build": child_build,
                    "reopen": child_reopen,
                    "queries": child_queries,
                    "peer-build": child_peer_build,
                    "peer-queries": child_peer_queries,
                }[mode](*rest)
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
    tantivy_dir, fts5_db = work / f"tantivy-{args.docs}", work / f"fts5-{args.docs}.db"
    saved = work / f"builds-{args.docs}.json"
    if args.reuse and saved.exists():
        # the indexes of an earlier run with the same corpus, and its build figures
        builds = json.loads(saved.read_text())
        print(f"reusing the indexes and build figures of {saved}")
    else:
        saved.unlink(missing_ok=True)
        for d in (bare_dir, our_dir, tantivy_dir):
            shutil.rmtree(d, ignore_errors=True)
        builds = {
            "tuireader": run_child("build", str(lib), str(our_dir), str(args.procs)),
            "bare Whoosh": run_child("bare", str(lib), str(bare_dir), str(args.procs)),
        }
        if args.peers:
            builds["tantivy"] = run_child("peer-build", "tantivy", str(lib), str(tantivy_dir))
            builds["FTS5"] = run_child("peer-build", "fts5", str(lib), str(fts5_db))
        saved.write_text(json.dumps(builds))
    ours, bare = builds["tuireader"], builds["bare Whoosh"]
    reopen = run_child("reopen", str(lib), str(our_dir))
    queries = run_child("queries", str(lib), str(our_dir))
    peer_lines: list[str] = []
    peer_result = None
    if args.peers:
        peer_result = run_child(
            "peer-queries", str(lib), str(our_dir), str(tantivy_dir), str(fts5_db), str(args.whoosh_every)
        )
        peer_lines = peers_report(peer_result, builds)

    rows = [
        (
            f"bare Whoosh build (procs={args.procs})",
            f"{bare['seconds']:.1f} s",
            f"{args.docs / bare['seconds']:.0f} docs/s",
        ),
        ("our full build, parsing included", f"{ours['seconds']:.1f} s", f"{args.docs / ours['seconds']:.0f} docs/s"),
        ("ratio ours / bare, wall", f"{ours['seconds'] / bare['seconds']:.2f}", ""),
        (
            "build CPU s (with writer processes): ours / bare",
            f"{ours['cpu_s']:.1f} s",
            f"{bare['cpu_s']:.1f} s",
        ),
        ("ratio ours / bare, CPU (target <= 0.5)", f"{ours['cpu_s'] / bare['cpu_s']:.2f}", ""),
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
    for line in peer_lines:
        print(line)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"search-{args.docs}.json").write_text(
        json.dumps(
            {"docs": args.docs, "bare": bare, "ours": ours, "reopen": reopen, "queries": queries, "peers": peer_result},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
