"""The search core: query forms on the bundled library, incremental updates,
crash safety and concurrent use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tuireader.core.library import Library
from tuireader.core.textio import read_source
from tuireader.search import LibraryIndex

from .conftest import ISW, LIBRARY, write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
NEO_ID = "neo-2022-01-22-turkic-military-alliance"


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory):
    index = LibraryIndex(Library(LIBRARY), tmp_path_factory.mktemp("index"))
    report = index.update()
    assert (report.added, report.rebuilt) == (2, True)
    yield index
    index.close()


def ids(results):
    return [h.id for h in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"Organization of Turkic States"', {ISW_ID, NEO_ID}),
        ("erdogan date:2022-01", {ISW_ID, NEO_ID}),  # ISW's period overlaps January, NEO is dated Jan 22
        ("erdogan date:2021-12", {ISW_ID}),  # only the ISW period starts in December
        ("date:[2022-01-01 TO 2022-01-15]", {ISW_ID}),
        ("domain:twitter.com", {ISW_ID}),
        ("cites:reuters.com", {ISW_ID}),
        ("footnote:Reuters", {ISW_ID}),
        ("footnote:Davutoglu", set()),  # in NEO's body, which has no notes
        ("Davutoglu", {NEO_ID}),
        ("Kazakstan~", {ISW_ID, NEO_ID}),  # typo forgiven
        ("Cavusoglu", {ISW_ID}),
        ("title:alliance", {NEO_ID}),
        ("author:yazici", {ISW_ID}),
        ("author:danilov", {NEO_ID}),
        ("danilov OR cavusoglu", {ISW_ID, NEO_ID}),
        ("erdogan NOT cavusoglu", {NEO_ID}),
        ("erdogan -cavusoglu", {NEO_ID}),
        ("davutog*", {NEO_ID}),
    ],
)
def test_query_forms(bundled_index, query, expected):
    results = bundled_index.search(query)
    assert set(ids(results)) == expected, results.messages
    assert results.messages == []


def test_title_is_boosted(bundled_index):
    # "alliance" is in NEO's title and body; "Turkic" is in both bodies but only NEO's title.
    assert ids(bundled_index.search("Turkic"))[0] == NEO_ID


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('"unclosed', "unclosed quote"),
        ("title:", "'title:' needs a value"),
        ("date:[x TO", "unclosed range"),
        ("tu*", "too short a prefix"),
        ("colour:red erdogan", "unknown field 'colour:'"),
    ],
)
def test_malformed_queries_give_one_line_messages(bundled_index, query, fragment):
    results = bundled_index.search(query)
    assert any(fragment in m for m in results.messages)
    assert all("\n" not in m for m in results.messages)


def test_malformed_query_still_searches_the_rest(bundled_index):
    results = bundled_index.search("colour:red davutoglu")
    assert ids(results) == [NEO_ID]


def test_hits_carry_source_offsets_and_snippets(bundled_index):
    results = bundled_index.search("Cavusoglu")
    (hit,) = results.hits
    source = read_source(ISW).text
    # hand count: 5 in the body (1 in the second paragraph, 4 in list item 1) and 2 in note 4
    # (its text, and the URL trthaber.com/…/bakan-cavusoglu-rus-…, split into words in notes)
    assert len(hit.offsets) == 7
    assert [source[a:b] for a, b in hit.offsets] == ["Cavusoglu"] * 6 + ["cavusoglu"]
    assert 1 <= len(hit.snippets) <= 3
    for snip in hit.snippets:
        assert all(snip.text[a:b] == "Cavusoglu" for a, b in snip.hits)


def test_phrase_highlights_only_the_phrase(bundled_index):
    hit = bundled_index.search('"Organization of Turkic States"').hits[0]
    source = read_source(Path(hit.path)).text
    found = [source[a:b] for a, b in hit.offsets]
    # three times in the body, once in note 5's URL (…/statement-of-the-organization-of-turkic-states-…)
    assert found == ["Organization of Turkic States"] * 3 + ["organization-of-turkic-states"]


def test_footnote_hits_are_located_in_the_notes(bundled_index):
    hit = bundled_index.search("footnote:kalbajar").hits[0]
    source = read_source(ISW).text
    notes_start = source.index("¹ https://www.mfa.gov.tr")
    assert hit.offsets and all(a > notes_start and source[a:b].lower() == "kalbajar" for a, b in hit.offsets)
    assert hit.snippets[0].field == "footnotes"


def test_search_within_one_document(bundled_index):
    assert ids(bundled_index.search("Kazakhstan", doc_id=NEO_ID)) == [NEO_ID]


# ------------------------------------------------------------ incremental
def make_library(root: Path, count: int, words: int = 120) -> None:
    for i in range(count):
        body = " ".join(f"word{(i * 7 + j) % 500}" for j in range(words))
        write(root / f"doc{i:04d}.txt", f"Document number {i}\n\nby Jane Doe on 5 May 2021\n\n{body} common.\n")


def test_index_follows_changes_additions_and_deletions(tmp_path):
    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 3)
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    assert index.update().added == 3
    report = index.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 3)

    write(lib_dir / "doc0001.txt", "Changed title\n\nA zebra appears.\n")
    write(lib_dir / "new.md", "# New one\n\nA giraffe appears.\n")
    (lib_dir / "doc0002.txt").unlink()
    report = index.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
    assert ids(index.search("zebra")) == ["doc0001"]
    assert ids(index.search("giraffe")) == ["new"]
    assert index.search("common").total == 1  # doc0000 only: doc0001 changed, doc0002 gone

    # touching a file without changing it does not re-index it
    os.utime(lib_dir / "doc0000.txt", None)
    report = index.update()
    assert (report.updated, report.unchanged) == (0, 3)
    index.close()


def test_editing_a_document_again_leaves_no_emptied_segment_behind(tmp_path):
    # Each update writes a one-document segment; the next edit of the same file empties it.
    from whoosh import index as whoosh_index

    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 3)
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    index.update()
    for n in range(4):
        write(lib_dir / "doc0001.txt", f"Edit {n}\n\nThe zebra number {n}.\n")
        assert index.update().updated == 1
    segments = whoosh_index.open_dir(str(index.live_dir))._segments()
    assert all(s.doc_count() > 0 for s in segments), [(s.doc_count_all(), s.doc_count()) for s in segments]
    assert sum(s.doc_count() for s in segments) == 3
    assert ids(index.search("zebra")) == ["doc0001"] and index.search("zebra").hits[0].title == "Edit 3"
    index.close()


def test_changes_are_journaled_and_read_back_by_the_next_process(tmp_path):
    from tuireader.catalog.store import JOURNAL_MAX_LINES, MANIFEST, MANIFEST_LOG
    from tuireader.search.whoosh.backend import WhooshBackend

    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 3)
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    index.update()
    live = tmp_path / "index" / WhooshBackend.folder
    manifest_before = (live / MANIFEST).read_bytes()
    write(lib_dir / "doc0001.txt", "Changed title\n\nA zebra appears.\n")
    (lib_dir / "doc0002.txt").unlink()
    assert (index.update().updated, index.update().unchanged) == (1, 2)
    assert (live / MANIFEST).read_bytes() == manifest_before  # journaled, not rewritten
    assert len((live / MANIFEST_LOG).read_text().splitlines()) == 2  # one change, one removal

    fresh = LibraryIndex(Library(lib_dir), tmp_path / "index")
    report = fresh.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 2)
    assert fresh.catalog()["doc0001"].title == "Changed title"
    assert "doc0002" not in fresh.catalog()

    # a journal line cut short by a crash: that document is indexed again, nothing fails
    with (live / MANIFEST_LOG).open("a") as fh:
        fh.write('["doc0000", ["')
    write(lib_dir / "doc0000.txt", "Edited again\n\nAn okapi appears.\n")
    report = LibraryIndex(Library(lib_dir), tmp_path / "index").update()
    assert (report.updated, report.unchanged) == (1, 1)
    assert ids(LibraryIndex(Library(lib_dir), tmp_path / "index").search("okapi")) == ["doc0000"]

    # many changes at once: the manifest is rewritten and the journal folded in
    make_library(lib_dir, JOURNAL_MAX_LINES + 5)
    report = LibraryIndex(Library(lib_dir), tmp_path / "index").update()
    assert (report.added, report.updated) == (JOURNAL_MAX_LINES + 3, 2)  # doc0000, doc0001 rewritten
    assert not (live / MANIFEST_LOG).exists()
    assert LibraryIndex(Library(lib_dir), tmp_path / "index").update().unchanged == JOURNAL_MAX_LINES + 5
    for searcher in (index, fresh):
        searcher.close()


def test_unreadable_and_empty_files_are_skipped_not_fatal(tmp_path):
    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 1)
    (lib_dir / "empty.txt").write_bytes(b"")
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    report = index.update()
    assert report.added == 1 and report.skipped == [("empty", "empty.txt is empty")]
    assert index.update().skipped == []  # remembered, not retried until the file changes
    index.close()


def test_library_folder_is_never_written(tmp_path):
    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 2)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in lib_dir.iterdir())
    lib_dir.chmod(0o555)
    try:
        index = LibraryIndex(Library(lib_dir), tmp_path / "index")
        assert index.update().added == 2
        assert index.search("common").total == 2
        index.close()
    finally:
        lib_dir.chmod(0o755)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in lib_dir.iterdir()) == before


def test_corrupt_index_is_rebuilt_with_a_message(tmp_path):
    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 2)
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    index.update()
    index.close()
    for seg in (tmp_path / "index" / "whoosh").glob("*.seg"):
        seg.write_bytes(b"garbage")
    for toc in (tmp_path / "index" / "whoosh").glob("*.toc"):
        toc.write_bytes(b"garbage")
    index = LibraryIndex(Library(lib_dir), tmp_path / "index")
    report = index.update()
    assert report.rebuilt and "damaged" in report.reason
    assert any("rebuilt the search index" in m for m in index.messages)
    assert index.search("common").total == 2
    index.close()


# ------------------------------------------------------------ processes
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib, idx, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])

    def progress(done, total):
        if done == stop_at:
            print("stalled", flush=True)
            time.sleep(120)  # killed here, with the writer open and the lock held

    procs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    LibraryIndex(Library(lib), idx).update(progress, procs=procs)
    print("finished", flush=True)
    """
)


def _start_child(tmp_path: Path, lib_dir: Path, index_dir: Path, stop_at: int, procs: int = 1) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir), str(index_dir), str(stop_at), str(procs)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, to see whether its workers outlive it
    )
    assert proc.stdout.readline().strip() == "stalled"
    return proc


@pytest.mark.parametrize("phase", ["first build", "incremental update"])
def test_killed_indexer_leaves_a_usable_index(tmp_path, phase):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 40)
    if phase == "incremental update":
        index = LibraryIndex(Library(lib_dir), index_dir)
        index.update()
        index.close()
        make_library(lib_dir / "more", 40)
    proc = _start_child(tmp_path, lib_dir, index_dir, stop_at=20)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    index = LibraryIndex(Library(lib_dir), index_dir)
    if phase == "incremental update":
        assert index.search("common").total == 40  # the last committed state is still searchable
    report = index.update()  # no stale lock: this goes through
    assert not report.busy
    assert index.search("common").total == (80 if phase == "incremental update" else 40)
    index.close()


def test_killed_parallel_build_leaves_no_worker_and_no_lock(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 220)  # parallel writers from 200 documents on
    proc = _start_child(tmp_path, lib_dir, index_dir, stop_at=210, procs=2)
    group = proc.pid
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.killpg(group, signal.SIGKILL)
        pytest.fail("the indexer's writer processes outlived it")
    index = LibraryIndex(Library(lib_dir), index_dir)
    report = index.update()  # the lock died with its holders
    assert not report.busy and report.added == 220
    assert index.search("common").total == 220
    index.close()


def test_index_command_exits_1_while_another_process_holds_the_lock(tmp_path):
    import fcntl

    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 2)
    index_dir.mkdir()
    with open(index_dir / "update.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
        command = [sys.executable, "-m", "tuireader", "index", "--library", str(lib_dir), "--index-dir", str(index_dir)]
        busy = subprocess.run(command, capture_output=True, text=True, env=env)
    assert busy.returncode == 1 and "another tuireader is updating the index" in busy.stderr
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "2 added" in done.stdout


def test_second_updater_is_told_busy_and_can_still_search(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 30)
    index = LibraryIndex(Library(lib_dir), index_dir)
    index.update()
    make_library(lib_dir / "more", 10)
    proc = _start_child(tmp_path, lib_dir, index_dir, stop_at=5)
    try:
        report = index.update()
        assert report.busy and not report.changed
        assert index.search("common").total == 30
    finally:
        proc.kill()
        proc.wait()
    index.close()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib, idx = Path(sys.argv[1]), Path(sys.argv[2])
    index = LibraryIndex(Library(lib), idx)
    for i in range(8):
        (lib / f"extra{i}.txt").write_text(f"Extra {i}\\n\\ncommon words here.\\n")
        index.update()
    print("done", flush=True)
    """
)


def test_searching_while_another_process_commits(tmp_path):
    lib_dir, index_dir = tmp_path / "lib", tmp_path / "index"
    make_library(lib_dir, 20)
    reader = LibraryIndex(Library(lib_dir), index_dir)
    reader.update()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir), str(index_dir)], stdout=subprocess.PIPE, text=True
    )
    seen = []
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        seen.append(reader.search("common", limit=1).total)
    proc.wait()
    assert proc.returncode == 0
    assert seen and all(20 <= n <= 28 for n in seen), sorted(set(seen))
    assert seen == sorted(seen)  # never goes back to an older state
    assert reader.search("common").total == 28
    reader.close()


def test_cli_search_json_and_exit_codes(tmp_path):
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "tuireader", *a, "--library", str(LIBRARY)],
        capture_output=True,
        text=True,
        env=env,
    )
    result = run("search", "Cavusoglu", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "hits"}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "path", "title", "date", "score", "snippets", "offsets"}
    assert set(hit["snippets"][0]) >= {"text", "hits"}
    assert run("search", "zzzqqqxx").returncode == 1
    bad = run("search", "title:")
    assert bad.returncode == 2 and "needs a value" in bad.stderr and "Traceback" not in bad.stderr
    result = run("index")
    assert result.returncode == 0 and result.stdout.startswith("0 added, 0 updated, 0 removed, 2 unchanged")


def test_a_snippet_across_a_paragraph_break_reads_with_single_spaces():
    from tuireader.search.whoosh.highlight import make_snippets

    text = "The first paragraph ends here.\n\n  The second names Ankara twice: Ankara."
    first = text.index("Ankara")
    second = text.rindex("Ankara")
    (snippet,) = make_snippets(text, [(first, first + 6), (second, second + 6)], 1, "body")
    assert "here. The second" in snippet.text and "  " not in snippet.text
    assert [snippet.text[a:b] for a, b in snippet.hits] == ["Ankara", "Ankara"]


def test_refresh_indexes_named_documents_again_with_their_mentions_now(tmp_path):
    """The model's background pass re-indexes documents whose mentions changed, not their files."""
    from tuireader.entities.extract import Mention

    lib_dir = tmp_path / "lib"
    make_library(lib_dir, 3)
    found: dict[str, list[Mention]] = {}
    index = LibraryIndex(Library(lib_dir), tmp_path / "index", mentions_of=lambda doc: found.get(doc.id, []))
    index.update()
    assert index.search("person:zorba").total == 0
    found["doc0001"] = [Mention(0, 0, 8, "Document", "Zorba", "PERSON", 0, 8, "rules")]
    assert index.refresh(["doc0001", "no-such-doc"]) == 1
    assert [h.id for h in index.search("person:zorba").hits] == ["doc0001"]
    assert index.catalog()["doc0001"].entities == {"Zorba": ["PERSON", 1]}
    assert index.refresh(["no-such-doc"]) == 0
    assert index.update().unchanged == 3  # nothing else looks changed
    index.close()
