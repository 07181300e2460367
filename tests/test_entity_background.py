"""The optional model's background pass: resumable per model and file content, the open
document first, the index's entity fields updated; with a tiny spaCy pipeline built here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.core.parse import parse_text
from tuireader.entities.background import ModelMentionStore, PassItem, file_sha256, run_model_pass
from tuireader.entities.extract import Mention
from tuireader.workspace import Workspace

from .conftest import write


def _mention(text: str, canonical: str, etype: str = "PERSON") -> Mention:
    return Mention(0, 3, 3 + len(text), text, canonical, etype, 3, 3 + len(text), "model", "body", "")


def _items(tmp_path: Path, n: int) -> list[PassItem]:
    return [PassItem(f"d{i}", str(write(tmp_path / f"d{i}.txt", f"Doc {i}\n\nText {i}.\n"))) for i in range(n)]


def _fake_extract(seen: list[str]):
    def extract_all(doc):
        seen.append(doc.id)
        return [_mention("Zorb", f"Zorb of {doc.id}")]

    return extract_all


def _parse(item: PassItem):
    return parse_text(Path(item.path).read_text(encoding="utf-8"), path=Path(item.path), doc_id=item.doc_id)


def test_the_open_document_goes_first_and_is_stored_at_once(tmp_path):
    store = ModelMentionStore(tmp_path / "store", "tiny")
    items = _items(tmp_path, 4)
    seen: list[str] = []
    batches: list[list[str]] = []
    ticks: list[tuple[int, int]] = []
    report = run_model_pass(
        items,
        store,
        parse=_parse,
        extract_all=_fake_extract(seen),
        stored=batches.append,
        first="d2",
        progress=lambda done, total: ticks.append((done, total)),
        batch_seconds=3600,
    )
    assert seen == ["d2", "d0", "d1", "d3"]
    assert batches == [["d2"], ["d0", "d1", "d3"]]  # the open document alone, then the rest at the end
    assert ticks == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (report.done, report.already, report.failed, report.cancelled) == (4, 0, [], False)
    sha = file_sha256(items[2].path)
    assert [(m.text, m.canonical, m.type) for m in store.get("d2", sha) or []] == [("Zorb", "Zorb of d2", "PERSON")]


def test_resumed_it_reads_only_what_is_not_done_for_this_model_and_content(tmp_path):
    folder = tmp_path / "store"
    items = _items(tmp_path, 3)
    stop_after = iter([False, False, True])  # cancelled before the third document
    first = run_model_pass(
        items,
        ModelMentionStore(folder, "tiny"),
        parse=_parse,
        extract_all=_fake_extract([]),
        cancelled=lambda: next(stop_after),
    )
    assert (first.done, first.cancelled) == (2, True)
    write(Path(items[0].path), "Doc 0 changed\n\nOther text.\n")  # a new content hash: read again
    seen: list[str] = []
    again = run_model_pass(items, ModelMentionStore(folder, "tiny"), parse=_parse, extract_all=_fake_extract(seen))
    assert seen == ["d0", "d2"] and (again.done, again.already) == (2, 1)
    other: list[str] = []  # another model has done nothing yet
    run_model_pass(items, ModelMentionStore(folder, "other"), parse=_parse, extract_all=_fake_extract(other))
    assert other == ["d0", "d1", "d2"]


def test_a_document_that_fails_is_reported_and_the_pass_goes_on(tmp_path):
    items = _items(tmp_path, 2)
    os.remove(items[0].path)

    def extract_all(doc):
        raise ValueError("model broke") if doc.id == "d1" else AssertionError

    report = run_model_pass(items, ModelMentionStore(tmp_path / "s", "tiny"), parse=_parse, extract_all=extract_all)
    assert [doc_id for doc_id, _ in report.failed] == ["d0", "d1"]
    assert report.failed[0][1].startswith("cannot read") and report.failed[1][1] == "ValueError: model broke"


def test_a_damaged_or_foreign_record_means_not_done(tmp_path):
    store = ModelMentionStore(tmp_path / "s", "tiny")
    store.put("a", "h1", [_mention("Zorb", "Zorb")])
    assert store.is_done("a", "h1") and not store.is_done("a", "h2") and store.get("a", "h2") is None
    next(store.dir.glob("*.json")).write_text("{not json", encoding="utf-8")
    assert not store.is_done("a", "h1") and store.get("a", "h1") is None


# ------------------------------------------------------- with the workspace, the index and spaCy
@pytest.fixture
def tiny_model(tmp_path, isolated_user_dirs):
    spacy = pytest.importorskip("spacy")  # the extra is optional: without spaCy these tests do not apply
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Zorbcorp"}])
    folder = tmp_path / "tiny-pipeline"
    nlp.to_disk(folder)
    write(isolated_user_dirs / "config" / "settings.yaml", f"entities:\n  model: {folder}\n")
    return folder


def test_the_pass_puts_the_models_mentions_into_the_index(tmp_path, tiny_model):
    library = tmp_path / "lib"
    write(library / "a.md", "# Alpha\n\nZorbcorp hired Madeleine Albright.\n")
    write(library / "b.md", "# Beta\n\nNothing to see.\n")
    ws = Workspace(library, tmp_path / "index")
    ws.index.update()
    assert ws.index.search("org:zorbcorp").total == 0  # the fast index: the rules alone
    assert ws.index.search("person:albright").total == 1
    report = ws.run_model_pass(first="b")
    assert report is not None and (report.done, report.failed) == (2, [])
    hits = ws.index.search("org:zorbcorp")
    assert [h.id for h in hits.hits] == ["a"]
    assert ws.index.search("person:albright").total == 1  # the rules' mentions are still there
    # resumed in a new session: nothing to do, and an update keeps the model's mentions
    ws2 = Workspace(library, tmp_path / "index")
    assert ws2.run_model_pass().done == 0
    write(library / "b.md", "# Beta\n\nZorbcorp too.\n")
    ws2.index.update()  # b changed: indexed by the rules until the pass reads it again
    assert [h.id for h in ws2.index.search("org:zorbcorp").hits] == ["a"]
    assert ws2.run_model_pass().done == 1
    assert sorted(h.id for h in ws2.index.search("org:zorbcorp").hits) == ["a", "b"]


def test_without_a_model_there_is_no_pass(tmp_path):
    library = tmp_path / "lib"
    write(library / "a.md", "# Alpha\n\nText.\n")
    ws = Workspace(library, tmp_path / "index")
    ws.index.update()
    assert ws.model_store is None and ws.run_model_pass() is None
