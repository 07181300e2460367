"""The reader on a big document: the article laid out lazily shows what the full layout shows
after the same keys (scrolling, G, a find jump, a new width), and keys are answered while a
document is still being opened."""

from __future__ import annotations

import threading

import pytest

from tuireader.ui.app import ReaderApp, build_app
from tuireader.ui.screens import reader as reader_screen
from tuireader.ui.widgets import article_lazy
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.library_list import LibraryList
from tuireader.workspace import Workspace

WORDS = "the minister said on monday that talks with regional partners would resume".split()


def report(path, paragraphs: int):
    """Paragraphs of very different lengths (estimated heights are off both ways), markers, a list and code."""
    out = ["# A long report", ""]
    for p in range(1, paragraphs + 1):
        words = " ".join(WORDS[(p * 5 + k) % len(WORDS)] for k in range(3 + p * 37 % 70))
        if p % 17 == 0:
            out.append(f"- Item {p}: {words}.")
        elif p % 23 == 0:
            out.append(f"```\ncode line {p}\n  {words}\n```")
        else:
            out.append(f"Paragraph {p} {words}.[^{p}]" + (" Needle here." if p == paragraphs * 2 // 3 else ""))
        out.append("")
    out += [f"[^{p}]: Note {p}." for p in range(1, paragraphs + 1)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


async def screens_after_keys(tmp_path, monkeypatch, exact_up_to: int) -> list[list[str]]:
    monkeypatch.setattr(article_lazy, "EXACT_UP_TO", exact_up_to)
    # each step waits for the status line to go (it takes a row from the article): gone soon,
    # instead of after the seconds a reader gets to read it (the test spent 3 minutes waiting)
    monkeypatch.setattr(ReaderApp, "STATUS_SECONDS", 0.1)
    library = tmp_path / f"library-{exact_up_to}"
    library.mkdir()
    doc = report(library / f"report-{exact_up_to}.md", 400)  # its own name: no reading position from the other run
    index = tmp_path / f"index-{exact_up_to}"
    Workspace(library, index).index.update()  # indexed already: no index news takes a row of the screen
    app = build_app(library_dir=library, index_dir=index, open_doc=str(doc))
    screens: list[list[str]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        status = app.query_one("#status")

        async def quiet() -> None:
            """The status line gone, or the find's standing "hit 1 of 1" line, which stays: the
            article's height (how far a page goes) the same in both runs."""
            await pilot.pause()
            for _ in range(200):
                if app.reader.document is not None and (not status.display or str(status.render()).startswith("hit ")):
                    break
                await pilot.pause(0.02)
            await pilot.pause()

        await quiet()
        article = app.query_one(ArticleView)

        def screen() -> None:
            screens.append([article.render_line(y).text for y in range(article.scrollable_content_region.height)])

        screen()
        steps = [("G",), ("k", "k", "k"), ("g",), ("space", "space", "space"), ("b",), ("right_square_bracket",) * 2]
        steps += [("ctrl+f",), tuple("Needle"), ("enter",), ("j", "j"), ("G",)]
        for keys in steps:
            await pilot.press(*keys)
            await quiet()
            screen()
        await pilot.resize_terminal(70, 24)  # a new width: the lines are made again
        await quiet()
        screen()
        for keys in [("g",), ("space",), ("G",), ("k",) * 5]:
            await pilot.press(*keys)
            await quiet()
            screen()
        await pilot.press("q")
    return screens


@pytest.mark.long
async def test_the_lazy_article_shows_the_full_layouts_lines_after_each_key(tmp_path, monkeypatch):
    full = await screens_after_keys(tmp_path, monkeypatch, exact_up_to=10**9)
    lazy = await screens_after_keys(tmp_path, monkeypatch, exact_up_to=0)
    assert any("Needle here." in line for line in full[9])  # the find jump showed the hit
    assert full[0] != full[1] and full[-2] != full[-1]  # the keys did move the view
    assert lazy == full


def held_back_reading(monkeypatch) -> threading.Event:
    """Opening a document waits for the returned event: a parse that takes as long as the test wants."""
    gate = threading.Event()
    read = reader_screen.read_document

    def slow_read(app, ref, *, quiet_missing):
        gate.wait(10)
        return read(app, ref, quiet_missing=quiet_missing)

    monkeypatch.setattr(reader_screen, "read_document", slow_read)
    return gate


def small_library(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    for name in ("a-first.md", "b-second.md"):
        (library / name).write_text(f"# {name}\n\nSome text of {name}.\n", encoding="utf-8")
    return library, report(library / "c-report.md", 30)


async def test_keys_are_answered_while_a_document_is_being_opened(tmp_path, monkeypatch):
    """A slow parse: the status says what is being opened, the library list moves at once, the
    index build waits (it would parse the same file at the same time); then the document comes."""
    gate = held_back_reading(monkeypatch)
    library, doc = small_library(tmp_path)
    app = build_app(library_dir=library, index_dir=tmp_path / "index", open_doc=str(doc))
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.3)
            status = app.query_one("#status")
            assert str(status.render()) == "opening c-report.md…"
            listing = app.query_one("#library-list", LibraryList)
            before = listing.highlighted
            await pilot.press("down")
            await pilot.pause()
            assert app.reader.document is None and listing.highlighted != before  # answered while opening
            index = tmp_path / "index"
            assert not index.exists() or not any(index.iterdir())  # held back until the document is shown
            gate.set()
            while app.reader.document is None:
                await pilot.pause(0.02)
            await pilot.pause()
            assert app.reader.document.title == "A long report"
            assert "opening" not in str(status.render())
            await app.workers.wait_for_complete()
            assert any(index.iterdir())  # and now built
    finally:
        gate.set()


async def test_q_quits_while_a_document_is_being_opened(tmp_path, monkeypatch):
    gate = held_back_reading(monkeypatch)
    library, doc = small_library(tmp_path)
    app = build_app(library_dir=library, index_dir=tmp_path / "index", open_doc=str(doc))
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.3)
            assert app.reader.document is None and not gate.is_set()
            await pilot.press("q")
            await pilot.pause()
            assert app.return_code is not None or not app.is_running  # quit with the parse still going
    finally:
        gate.set()
