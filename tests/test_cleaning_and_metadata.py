"""Text cleaning traps and metadata detection on documents written for each case."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.clean import DEFAULT_BOILERPLATE, BoilerplateMatcher
from tuireader.core.dates import find_dates
from tuireader.core.formats import ParseOptions, parse_file
from tuireader.core.parse import parse_text

from .conftest import write

LONG = "This opening paragraph is long enough to be prose and it runs on"


def parse(text: str, fmt: str = "text", **kw):
    return parse_text(text, path=Path("doc.md" if fmt == "markdown" else "doc.txt"), fmt=fmt, **kw)


def test_split_paragraph_rejoined_when_continuing_lower_or_upper_case():
    doc = parse(
        f"Title\n\n{LONG} to the end of the page where the\n\nnext page continues it.\n\n"
        f"{LONG} until Russia and\n\nTurkey agreed.\n"
    )
    assert [b.text for b in doc.blocks] == [
        f"{LONG} to the end of the page where the next page continues it.",
        f"{LONG} until Russia and Turkey agreed.",
    ]


def test_finished_sentences_headings_and_list_items_are_not_joined():
    doc = parse(
        f"Title\n\n{LONG} and ends properly.\n\nThe next paragraph starts here.\n\n"
        f"{LONG}:\n\n- a list item\n\nA Short Heading\n\nBody text after the heading.\n"
    )
    assert len(doc.blocks) == 6
    assert doc.blocks[4].kind == "heading"


def test_short_fragment_without_period_is_not_joined():
    doc = parse("Title\n\nSee also\n\nthe appendix.\n")
    assert [b.text for b in doc.blocks] == ["See also", "the appendix."]


def test_title_byline_and_dateline_are_not_joined_into_text():
    doc = parse("A Report on Things\n\nBy Jane Doe and John Roe\n\nMarch 3, 2023\n\nBody of the report begins.\n")
    assert doc.title == "A Report on Things"
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert doc.date == "2023-03-03"
    assert [b.text for b in doc.blocks] == ["Body of the report begins."]


def test_byline_with_date_on_one_line_under_the_title():
    doc = parse("Headline here\nby Ann Smith on 5 Feb 2021 12 Comments\n\nText.\n")
    assert (doc.title, doc.authors, doc.date) == ("Headline here", ["Ann Smith"], "2021-02-05")


def test_stray_emphasis_removed_and_pairs_kept_as_bold():
    doc = parse("T\n\n- 1. A heading sentence.** Then text.\n\n2. **Bold lead.** Rest.\n")
    assert doc.blocks[0].text == "A heading sentence. Then text."
    assert doc.blocks[1].text == "Bold lead. Rest."
    assert [(s.kind, doc.blocks[1].text[s.start : s.end]) for s in doc.blocks[1].spans] == [("bold", "Bold lead.")]


def test_boilerplate_only_at_the_end_and_extendable():
    text = "T\n\nBack to Top is a phrase in the middle.\n\nBody.\n\nRead the full report\n\nBack to Top\n"
    doc = parse(text)
    assert [b.text for b in doc.blocks] == ["Back to Top is a phrase in the middle.", "Body.", "Read the full report"]
    options = ParseOptions(BoilerplateMatcher((*DEFAULT_BOILERPLATE, "Read the full report")))
    doc = parse(text, options=options)
    assert [b.text for b in doc.blocks] == ["Back to Top is a phrase in the middle.", "Body."]


def test_library_settings_file_extends_boilerplate(tmp_path):
    from tuireader.core.library import Library

    write(tmp_path / "tuireader.yaml", "boilerplate:\n  - Read the full report\n")
    original = "T\n\nBody.\n\nRead the full report\n"
    doc_path = write(tmp_path / "a.txt", original)
    lib = Library(tmp_path)
    doc = lib.parse(lib.scan().documents[0])
    assert [b.text for b in doc.blocks] == ["Body."]
    assert doc_path.read_text() == original  # never edits the file


def test_front_matter_and_sidecar_precedence(tmp_path):
    path = write(
        tmp_path / "a.md",
        "---\ntitle: From Front Matter\nauthor: Front Author\ntags: [x, y]\n---\n# Detected Title\n\nBody.\n",
    )
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.tags) == ("From Front Matter", ["Front Author"], ["x", "y"])
    write(tmp_path / "a.yaml", "title: From Sidecar\ndate: 2020-05-01\nsource: The Outlet\n")
    doc = parse_file(path)
    assert (doc.title, doc.date, doc.source, doc.authors) == (
        "From Sidecar",
        "2020-05-01",
        "The Outlet",
        ["Front Author"],
    )
    # issue #14: a heading that is not the title the metadata gives is text, not dropped
    assert [b.text for b in doc.blocks] == ["Detected Title", "Body."]


def test_broken_front_matter_and_sidecar_give_warnings_not_errors(tmp_path):
    path = write(tmp_path / "a.md", "---\ntitle: [unclosed\n---\n# Real Title\n\nBody.\n")
    write(tmp_path / "a.yaml", "date: not-a-date-at-all\n")
    doc = parse_file(path)
    assert {w.code for w in doc.warnings} == {"front-matter", "sidecar"}
    assert doc.title == "Real Title"  # the bad front matter is skipped, the body still parsed
    assert [b.text for b in doc.blocks] == ["Body."]


def test_signature_gives_source():
    doc = parse(
        "T\nby Ann Smith on 5 Feb 2021\n\nBody text.\n\n"
        "Ann Smith, senior analyst, writing for the journal “Eastern Review”.\n"
    )
    assert doc.source == "Eastern Review"
    assert doc.blocks[-1].kind == "signature"


def test_control_characters_are_made_visible():
    doc = parse("T\n\nAn \x1b[31mescape\x1b[0m and a bell\x07 here.\n")
    text = doc.blocks[0].text
    assert "\x1b" not in text and "\x07" not in text
    assert "␛[31mescape" in text


def test_dates_in_common_forms():
    cases = {
        "22 Jan 2022": ("2022-01-22", None),
        "January 6, 2022": ("2022-01-06", None),
        "Jan. 6, 2022": ("2022-01-06", None),
        "2022-01-22": ("2022-01-22", None),
        "6th of January 2022": ("2022-01-06", None),
        "December 28, 2021 – January 18, 2022": ("2021-12-28", "2022-01-18"),
        "January 10-14, 2022": ("2022-01-10", "2022-01-14"),
        "10–14 January 2022": ("2022-01-10", "2022-01-14"),
    }
    for text, expected in cases.items():
        found = find_dates(text)
        assert len(found) == 1 and found[0].text == text, text
        assert (found[0].iso, found[0].iso_end) == expected, text
    assert find_dates("February 30, 2022") == []
    assert find_dates("It may rain") == []
