"""Plain text as real e-texts and scrapes come (issue #14, item 4): notes headings as people
write them, lists that restart at 1, named labels, Wikipedia back-links, where the last note
ends, markers glued to words — each on a document written for the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.parse import parse_text


def parse(text: str, fmt: str = "text", **kw):
    return parse_text(text, path=Path("doc.md" if fmt == "markdown" else "doc.txt"), fmt=fmt, **kw)


def refs(doc) -> list[str]:
    return [r.key for b in doc.blocks for r in b.refs]


def codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


def notes(doc) -> dict[str, str]:
    return {n.key: n.text for n in doc.footnotes}


BODY = "Report\n\nThe claim was made.¹ It was denied.²\n\n"


@pytest.mark.parametrize(
    "heading",
    ["Notes[edit]", "References [ edit ]", "Notes and references", "Works cited", "**Sources**", "ENDNOTES:"],
)
def test_notes_heading_variants(heading):
    doc = parse(BODY + heading + "\n\n1. First source.\n2. Second source.\n")
    assert notes(doc) == {"1": "First source.", "2": "Second source."}
    assert [b.text for b in doc.blocks] == ["The claim was made. It was denied."]
    assert codes(doc) == []


def test_a_heading_that_only_starts_like_notes_is_not_one():
    doc = parse("Report\n\nText.¹\n\nNotes on the method\n\n1. Read it.\n2. Write it.\n")
    assert notes(doc) == {"1": ""}  # no definition found: an unresolved marker
    assert "unresolved-marker" in codes(doc)


def test_two_lists_restarting_at_one_do_not_collide():
    doc = parse(
        BODY + "Notes\n\n1. First note.\n2. Second note.\n\n"
        "References\n\n1. Smith, A Book (2001).\n2. Jones, An Article (2003).\n3. Doe, A Report (2010).\n"
    )
    assert notes(doc) == {
        "1": "First note.",
        "2": "Second note.",
        "reference:1": "Smith, A Book (2001).",
        "reference:2": "Jones, An Article (2003).",
        "reference:3": "Doe, A Report (2010).",
    }
    assert refs(doc) == ["1", "2"]
    assert [n.label for n in doc.footnotes][2:] == ["References 1", "References 2", "References 3"]
    assert "duplicate-note" not in codes(doc)
    assert [b.text for b in doc.blocks] == ["The claim was made. It was denied."]


def test_named_citations_go_to_the_named_list_and_numbers_to_the_last():
    doc = parse(
        "Report\n\nAn aside.[note 1] A source.[1] Another aside.[note 2] Another source.[2]\n\n"
        "Notes\n\n1. ^ The aside.\n2. ^ The other aside.\n\n"
        "References\n\n1. ^ a b Smith 2001.\n2. ^ Jones 2003.\n"
    )
    assert refs(doc) == ["note:1", "1", "note:2", "2"]
    assert notes(doc) == {
        "note:1": "The aside.",
        "note:2": "The other aside.",
        "1": "Smith 2001.",
        "2": "Jones 2003.",
    }
    assert doc.blocks[0].text == "An aside. A source. Another aside. Another source."
    assert codes(doc) == []


def test_lettered_notes_and_wikipedia_back_links():
    doc = parse(
        "Report\n\nA remark.[a] A source.[1] Another.[b]\n\n"
        "Notes\n\na. ^ The remark explained.\nb. ^ Another remark.\n\n"
        "References\n\n1. ^ Jump up to: a b c Smith, The Book, p. 4.\n"
    )
    assert refs(doc) == ["a", "1", "b"]
    assert notes(doc) == {"a": "The remark explained.", "b": "Another remark.", "1": "Smith, The Book, p. 4."}


def test_a_note_starting_with_the_word_a_keeps_it():
    doc = parse("Report\n\nText.[1]\n\nNotes\n\n1. ^ a study of the region.\n")
    assert notes(doc) == {"1": "a study of the region."}


def test_an_initial_in_a_reference_list_is_not_a_label():
    doc = parse("Report\n\nText.¹\n\nNotes\n\n1. Source one,\nA. Smith and B. Jones.\n")
    assert notes(doc) == {"1": "Source one, A. Smith and B. Jones."}


def test_translators_notes_labelled_tn():
    doc = parse(
        "Report\n\nA pun.[Tn 1] A claim.¹\n\n¹ The source.\n\nTranslator's notes\n\nTn 1. The pun in Turkish.\n"
    )
    assert refs(doc) == ["tn:1", "1"]
    assert notes(doc)["tn:1"] == "The pun in Turkish."


def test_last_endnote_ends_at_the_next_heading_or_furniture():
    doc = parse(
        BODY + "Notes\n\n1. First source.\n2. Second source.\n\n"
        "About the author\n\nJane Doe is an editor at the Caspian Review.\n"
    )
    assert notes(doc) == {"1": "First source.", "2": "Second source."}
    assert [b.text for b in doc.blocks][-2:] == ["About the author", "Jane Doe is an editor at the Caspian Review."]
    assert doc.authors == ["Jane Doe"]


def test_last_endnote_ends_at_a_plain_heading():
    doc = parse(BODY + "Notes\n\n¹ First source.\n\n² Second source,\nsecond line.\n\nAppendix\n\nA table follows.\n")
    assert notes(doc)["2"] == "Second source, second line."
    assert [(b.kind, b.text) for b in doc.blocks][-2:] == [("heading", "Appendix"), ("paragraph", "A table follows.")]


def test_a_note_continuing_over_paragraphs_is_not_cut():
    doc = parse(BODY + "¹ First source.\n\n² Second source.\n\nIts second paragraph, which goes on.\n")
    assert notes(doc)["2"] == "Second source.\nIts second paragraph, which goes on."


# ----------------------------------------------------------- glued markers
def test_markers_glued_to_words_are_notes_when_defined():
    doc = parse(
        "Report\n\nThe ants[16] were studied by Nadaillac[17], as the array a[0] and x[i] show; "
        "see also b[3].\n\nNotes\n\n[16] On ants.\n[17] Nadaillac, Prehistoric America.\n"
    )
    assert refs(doc) == ["16", "17"]
    assert doc.blocks[0].text == "The ants were studied by Nadaillac, as the array a[0] and x[i] show; see also b[3]."
    assert codes(doc) == []


def test_a_year_in_brackets_is_a_marker_only_when_defined():
    doc = parse("Report\n\nAs reported [2021], and later [1024].\n\nNotes\n\n[1024] The later report.\n")
    assert refs(doc) == ["1024"]
    assert doc.blocks[0].text == "As reported [2021], and later."


def test_glued_index_in_code_stays_code_even_when_defined():
    doc = parse("Report\n\nRun `a[1]` first.[1]\n\nNotes\n\n[1] The manual.\n", "markdown")
    assert doc.blocks[0].text == "Run a[1] first."
    assert refs(doc) == ["1"]


# ------------------------------------------------------------ Project Gutenberg
GUTENBERG = """\
The Project Gutenberg eBook of The Mound Builders, by John Smith

This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever.

Title: The Mound Builders
       and Their Works

Author: John Smith

Release date: March 5, 2004 [eBook #11446]
                Most recently updated: December 20, 2020

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK THE MOUND BUILDERS ***

[Transcriber's Note: Obvious printer's errors have been corrected.
The spelling of the original is kept.]

CHAPTER I

The ants[1] build mounds, as Nadaillac[A] noted.[*]

[Footnote 1: On ants, see the
appendix.

A second paragraph of the note [with brackets].]

[Footnote A: Nadaillac, Prehistoric America.]

[Footnote *: A starred note.]

CHAPTER II

Again a first note[1] and another star.[*]

[Footnote 1: The second chapter's first note.]

[Footnote *: Another starred note.]

*** END OF THE PROJECT GUTENBERG EBOOK THE MOUND BUILDERS ***

Updated editions will replace the previous one--the old editions will
be renamed.

START: FULL LICENSE
"""


def test_gutenberg_header_gives_metadata_and_is_not_text():
    doc = parse(GUTENBERG)
    assert (doc.title, doc.authors, doc.date, doc.language) == (
        "The Mound Builders and Their Works",
        ["John Smith"],
        "2004-03-05",
        "English",
    )
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "CHAPTER I"),
        ("paragraph", "The ants build mounds, as Nadaillac noted."),
        ("heading", "CHAPTER II"),
        ("paragraph", "Again a first note and another star."),
    ]
    header_end = GUTENBERG.index("EBOOK THE MOUND BUILDERS ***") + len("EBOOK THE MOUND BUILDERS ***")
    assert doc.meta_spans["gutenberg_header"] == (0, header_end)
    licence_start = GUTENBERG.index("*** END OF")
    assert doc.meta_spans["gutenberg_licence"] == (licence_start, len(GUTENBERG) - 1)


def test_gutenberg_footnotes_multi_paragraph_named_starred_and_per_chapter():
    doc = parse(GUTENBERG)
    assert [[r.key for r in b.refs] for b in doc.blocks] == [[], ["1", "a", "*"], [], ["1#2", "*#2"]]
    assert notes(doc) == {
        "transcriber": "Obvious printer's errors have been corrected. The spelling of the original is kept.",
        "1": "On ants, see the appendix.\nA second paragraph of the note [with brackets].",
        "a": "Nadaillac, Prehistoric America.",
        "*": "A starred note.",
        "1#2": "The second chapter's first note.",
        "*#2": "Another starred note.",
    }
    note = doc.footnote("1")
    assert GUTENBERG[note.source_start :].startswith("[Footnote 1:")
    assert [n.label for n in doc.footnotes][:2] == ["TN", "1"]
    assert codes(doc) == []  # the transcriber's note is cited by nothing, and says so by being one


def test_an_unclosed_footnote_bracket_stays_text():
    doc = parse("Title\n\nText.[1]\n\n[Footnote 1: never closed\n\nMore text.\n")
    assert "[Footnote 1: never closed" in [b.text for b in doc.blocks]
    assert "unresolved-marker" in codes(doc)


def test_transcribers_note_paragraph_is_set_aside():
    doc = parse("Title\n\nTranscriber's Notes:\n\nTypos were fixed.\n\nThe text begins.\n")
    assert [b.text for b in doc.blocks] == ["The text begins."]
    assert notes(doc) == {"transcriber": "Typos were fixed."}


def test_bullets_with_one_space_are_list_items():
    doc = parse("Report\n\nSteps:\n\n- one\n- two\n* three\n\nAfter the list.\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Steps:"),
        ("list_item", "one"),
        ("list_item", "two"),
        ("list_item", "three"),
        ("paragraph", "After the list."),
    ]


# -------------------------------------------------------- text from PDFs
PDF_TEXT = """\
Energy Security in the Caspian

An Annual Review

The pipeline debate shaped the region's democ-
racy and its trade, with a Turkey-
led consortium taking the lead in the talks that followed
the summit of the year before.

— 1 —

Energy Security in the Caspian

The second page continues the argument about the self-
evident risks, and the market for gas in the years that

— 2 —

Energy Security in the Caspian

followed, when prices rose and then fell again.

Page 3 of 40

Energy Security in the Caspian

A last paragraph about the demo-

cratic reforms of the period, in full.
"""


def test_pdf_page_furniture_removed_and_broken_words_rejoined():
    doc = parse(PDF_TEXT)
    assert doc.title == "Energy Security in the Caspian"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "An Annual Review"),
        (
            "paragraph",
            "The pipeline debate shaped the region's democracy and its trade, with a Turkey-led "
            "consortium taking the lead in the talks that followed the summit of the year before.",
        ),
        (
            "paragraph",
            "The second page continues the argument about the self-evident risks, and the market "
            "for gas in the years that followed, when prices rose and then fell again.",
        ),
        ("paragraph", "A last paragraph about the democratic reforms of the period, in full."),
    ]
    # the rejoined word maps back to both halves in the file
    block = doc.blocks[1]
    at = block.text.index("democracy")
    assert PDF_TEXT[block.source_span(at, at + 5)[0] :].startswith("democ-\nracy")
    assert block.source_span(at + 5, at + 9) == (PDF_TEXT.index("racy and"), PDF_TEXT.index("racy and") + 4)


def test_the_documents_own_words_decide_a_hyphen():
    doc = parse(
        "Title\n\nThe cease-fire held, and a new cease-\nfire was signed; the well-\nknown co-\n"
        "operation went on, and cooperation grew as the cooper-\nation of both sides.\n"
    )
    assert doc.blocks[0].text == (
        # "cease-fire" and "cooperation" are written so elsewhere; "well-" keeps its hyphen as a prefix
        "The cease-fire held, and a new cease-fire was signed; the well-known cooperation went on, "
        "and cooperation grew as the cooperation of both sides."
    )


def test_a_lone_number_or_repeated_line_is_kept_when_it_is_not_furniture():
    doc = parse(
        "Title\n\nThe war began in\n\n1914\n\nand ended four years later.\n\n"
        "Refrain line\n\nA verse.\n\nRefrain line\n\nAnother verse.\n"
    )
    texts = [b.text for b in doc.blocks]
    assert "1914" in "".join(texts)
    assert texts.count("Refrain line") == 2  # twice is not a running header


# --------------------------------------------------- layout that is not prose
def kinds_texts(doc):
    return [(b.kind, b.text) for b in doc.blocks]


def test_table_of_contents_keeps_its_lines():
    doc = parse("Report\n\nContents\n\nIntroduction ........ 3\nThe Caspian talks ... 7\nConclusion .......... 12\n")
    assert kinds_texts(doc)[-1] == (
        "table",
        "Introduction ........ 3\nThe Caspian talks ... 7\nConclusion .......... 12",
    )


def test_aligned_table_keeps_its_columns():
    table = "Country      2020    2021\nTurkey       12.1    13.4\nAzerbaijan    4.0     4.6"
    doc = parse(f"Report\n\nExports by year:\n\n{table}\n\nThe figures rose.\n")
    assert kinds_texts(doc)[1] == ("table", table)
    assert kinds_texts(doc)[2] == ("paragraph", "The figures rose.")


def test_index_poem_and_address_keep_their_lines():
    text = (
        "Report\n\nAnkara, 12, 45-47\nBaku, 3, 19\nCaspian Sea, 7\n\n"
        "The sea is calm tonight,\nThe tide is full, the moon lies fair\nUpon the straits;\n\n"
        "Jane Doe\n12 Harbour Street\nBaku AZ1000\n\n"
        "This ordinary paragraph was wrapped by a mail program at a\nnarrow width, as many are, and"
        " it reads as one\nparagraph all the same.\n"
    )
    doc = parse(text)
    assert [b.text for b in doc.blocks] == [
        "Ankara, 12, 45-47\nBaku, 3, 19\nCaspian Sea, 7",
        "The sea is calm tonight,\nThe tide is full, the moon lies fair\nUpon the straits;",
        "Jane Doe\n12 Harbour Street\nBaku AZ1000",
        "This ordinary paragraph was wrapped by a mail program at a narrow width, as many are, and it "
        "reads as one paragraph all the same.",
    ]
    poem = doc.blocks[1]
    at = poem.text.index("The tide")
    assert poem.source_span(at, at + 8) == (text.index("The tide"), text.index("The tide") + 8)


async def test_the_reader_draws_kept_lines_as_lines(tmp_path):
    from tuireader.ui.app import build_app
    from tuireader.ui.widgets.article import ArticleView

    from .conftest import write

    library = tmp_path / "library"
    write(library / "p.txt", "Poem\n\nThe sea is calm tonight,\nThe tide is full,\nUpon the straits;\n\nEnd.\n")
    app = build_app(library_dir=library, open_doc="p")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        view = app.query_one("#article", ArticleView)
        shown = [view.line_text(i).strip() for i in range(view.virtual_size.height)]
        start = shown.index("The sea is calm tonight,")
        assert shown[start : start + 3] == ["The sea is calm tonight,", "The tide is full,", "Upon the straits;"]


def test_a_recurring_heading_or_speaker_without_page_numbers_is_kept():
    doc = parse(
        "Transcript\n\nMR. SMITH:\n\nWe began.\n\nMS. JONES:\n\nWe did.\n\nMR. SMITH:\n\nThen we stopped.\n\n"
        "MS. JONES:\n\nWe did.\n\nMR. SMITH:\n\nThat is all.\n"
    )
    assert [b.text for b in doc.blocks].count("MR. SMITH:") == 3
