"""Metadata as pages state it (issue #14, item 5) and text never dropped by a metadata
guess (issue #18, item 10), each on a document written for the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.metadata import Metadata
from tuireader.core.parse import parse_text

from .conftest import write


def parse(text: str, fmt: str = "text", **kw):
    return parse_text(text, path=Path("doc.md" if fmt == "markdown" else "doc.txt"), fmt=fmt, **kw)


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


# ------------------------------------------------------- issue #18, item 10
def test_short_first_paragraph_kept_when_front_matter_gives_the_title():
    doc = parse(
        "---\ntitle: Crisis talks\n---\nThe minister spoke on Monday about the crisis.[1]\n\n"
        "Then the talks began, and went on late into the night.\n\nNotes\n\n[1] Press release.\n"
    )
    assert doc.title == "Crisis talks"
    assert texts(doc)[0] == "The minister spoke on Monday about the crisis."
    assert doc.footnote("1").cited_at == [(0, len("The minister spoke on Monday about the crisis."))]
    assert "uncited-note" not in [w.code for w in doc.warnings]


def test_short_first_paragraph_kept_when_a_sidecar_gives_the_title():
    doc = parse("The minister spoke on Monday.\n\nMore text follows here.\n", sidecar=Metadata(title="Talks"))
    assert doc.title == "Talks"
    assert texts(doc) == ["The minister spoke on Monday.", "More text follows here."]


def test_first_heading_repeating_the_known_title_is_not_shown_twice(tmp_path):
    path = write(tmp_path / "a.md", "---\ntitle: Crisis Talks\n---\n# Crisis talks\n\nBody text here.\n")
    doc = parse_file(path)
    assert texts(doc) == ["Body text here."]
    assert doc.meta_spans["title"][0] == path.read_text().index("Crisis talks")


def test_a_different_first_heading_is_kept_under_a_known_title():
    doc = parse("---\ntitle: The Report\n---\n# Summary\n\nBody text here.\n", "markdown")
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "Summary"), ("paragraph", "Body text here.")]


def test_first_paragraph_citing_a_note_is_never_taken_as_the_title():
    doc = parse("A short claim.¹\n\nMore text follows.\n\n¹ The source.\n")
    assert texts(doc)[0] == "A short claim."
    assert doc.footnote("1").cited_at == [(0, len("A short claim."))]


# ------------------------------------------------------------ issue #14, 5
def test_site_name_above_the_headline_is_the_source_not_the_title():
    doc = parse(
        "The Diplomat\n\nWhy Central Asia Watches the Caspian So Closely\n\n"
        "By Jane Doe\n\nFebruary 26, 2026\n\nThe body starts here.\n"
    )
    assert doc.title == "Why Central Asia Watches the Caspian So Closely"
    assert doc.source == "The Diplomat"
    assert doc.authors == ["Jane Doe"]
    assert doc.date == "2026-02-26"
    assert texts(doc) == ["The body starts here."]


def test_two_title_lines_without_a_byline_keep_the_second_as_text():
    doc = parse("Short Name\n\nA Longer Line That Could Be A Headline\n\nThe body starts here.\n")
    assert doc.title == "Short Name"
    assert texts(doc)[0] == "A Longer Line That Could Be A Headline"


def test_bio_line_at_the_end_names_the_author():
    doc = parse(
        "A Title\n\nThe body of the article, long enough.\n\n"
        "Jane Doe is an editor at the Caspian Review, based in Baku.\n"
    )
    assert doc.authors == ["Jane Doe"]
    assert doc.blocks[-1].kind == "signature"


def test_a_closing_sentence_about_someone_is_not_a_bio():
    doc = parse("A Title\n\nThe body of the article.\n\nThe Minister is a man of few words.\n")
    assert doc.authors == []
    assert doc.blocks[-1].kind == "paragraph"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("created: 2026-02-26", {"date": "2026-02-26"}),
        ("published: February 26, 2026", {"date": "2026-02-26"}),
        ("date_published: 2026-02-26T10:41:00Z", {"date": "2026-02-26"}),
        ("author: Jane Doe", {"authors": ["Jane Doe"]}),
        ("authors:\n  - Jane Doe\n  - John Roe", {"authors": ["Jane Doe", "John Roe"]}),
        ("byline: By Jane Doe", {"authors": ["Jane Doe"]}),
        ("author:\n  name: Jane Doe", {"authors": ["Jane Doe"]}),
        ("site: The Caspian Review", {"source": "The Caspian Review"}),
        ("source: https://example.org/a", {"url": "https://example.org/a", "source": None}),
        ("link: https://example.org/b", {"url": "https://example.org/b"}),
        ("canonical: https://example.org/c", {"url": "https://example.org/c"}),
        ("lang: en", {"language": "en"}),
    ],
)
def test_front_matter_aliases(front, expected):
    doc = parse(f"---\ntitle: T\n{front}\n---\nBody text here.\n", "markdown")
    assert {k: getattr(doc, k) for k in expected} == expected
    assert texts(doc) == ["Body text here."]


def test_date_key_wins_over_created():
    doc = parse("---\ndate: 2026-01-02\ncreated: 2025-12-31\n---\nBody.\n", "markdown")
    assert doc.date == "2026-01-02"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_scrape_header_list(fmt):
    doc = parse(
        "# Pipeline Deal Signed in Baku\n\n"
        "- **URL**: https://example.org/news/pipeline\n"
        "- **Domain**: example.org\n"
        "- **Published**: 2026-02-26\n"
        "- **Author**: Jane Doe\n\n"
        "The deal was signed on Thursday.\n",
        fmt,
    )
    assert (doc.title, doc.url, doc.source, doc.date, doc.authors) == (
        "Pipeline Deal Signed in Baku",
        "https://example.org/news/pipeline",
        "example.org",
        "2026-02-26",
        ["Jane Doe"],
    )
    assert texts(doc) == ["The deal was signed on Thursday."]


def test_field_lines_run_together_in_plain_text():
    doc = parse("Title Here\n\nURL: https://example.org/x\nPublished: 28 Feb 2026\n\nBody text.\n")
    assert (doc.title, doc.url, doc.date) == ("Title Here", "https://example.org/x", "2026-02-28")
    assert texts(doc) == ["Body text."]


def test_a_sentence_with_a_colon_is_not_a_field():
    doc = parse("Title Here\n\nSource: a senior official told us the talks failed.\n\nBody text.\n")
    assert doc.source == "a senior official told us the talks failed."  # a field by its form
    doc = parse("Title Here\n\nThe source: a senior official, who told us.\n\nBody text.\n")
    assert texts(doc)[0] == "The source: a senior official, who told us."


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("28 Feb 2026", "2026-02-28"),
        ("February 26, 2026", "2026-02-26"),
        ("2026-02-26", "2026-02-26"),
        ("Feb. 26, 2026, 10:41 AM ET", "2026-02-26"),
        ("Updated: Thu 26 Feb 2026 10:41 GMT", "2026-02-26"),
        ("Published Thursday, February 26, 2026 at 9 a.m.", "2026-02-26"),
        ("26.02.2026", "2026-02-26"),
        ("2026/02/26", "2026-02-26"),
        ("Posted on 26th February 2026", "2026-02-26"),
    ],
)
def test_datelines_in_common_forms(line, iso):
    doc = parse(f"A Headline For The Day\n\n{line}\n\nBody text follows here.\n")
    assert doc.date == iso
    assert texts(doc) == ["Body text follows here."]


def test_a_sentence_with_a_date_is_not_a_dateline():
    doc = parse("A Headline For The Day\n\nOn 26 Feb 2026 the talks failed.\n\nBody.\n")
    assert doc.date is None
    assert texts(doc)[0] == "On 26 Feb 2026 the talks failed."
