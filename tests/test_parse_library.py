"""The two bundled documents, checked against facts read off the files by hand."""

from __future__ import annotations

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.textio import read_source

from .conftest import ISW, NEO


@pytest.fixture(scope="module")
def isw():
    return parse_file(ISW)


@pytest.fixture(scope="module")
def neo():
    return parse_file(NEO)


def test_isw_metadata(isw):
    assert isw.title == "Kazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia"
    assert isw.authors == ["Ezgi Yazici", "Fatih Cungurlu"]  # author line + Contributors line
    assert (isw.date, isw.date_end) == ("2021-12-28", "2022-01-18")
    assert isw.source is None  # the report does not state its publisher


def test_neo_metadata(neo):
    assert neo.title == "The Turkic military alliance or why has Ankara accused Russia of occupying Kazakhstan?"
    assert neo.authors == ["Vladimir Danilov"]
    assert neo.date == "2022-01-22"
    assert neo.source == "New Eastern Outlook"  # from the signature line
    assert neo.blocks[-1].kind == "signature"


def test_isw_has_33_notes_each_cited_once_in_order(isw):
    notes = [n for n in isw.footnotes if n.defined]
    assert [n.label for n in notes] == [str(i) for i in range(1, 34)]
    assert all(len(n.cited_at) == 1 for n in notes)
    refs = [r.label for b in isw.blocks for r in b.refs]
    assert refs == [str(i) for i in range(1, 34)]
    assert isw.warnings == []


def test_isw_markers_point_at_the_superscripts_in_the_file(isw):
    source = read_source(ISW).text
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    for block in isw.blocks:
        for ref in block.refs:
            assert source[ref.source_offset : ref.source_end].translate(sup) == ref.label
            # the marker sat right after the text that precedes `at`
            before = block.text[max(0, ref.at - 5) : ref.at]
            src_before = source[ref.source_offset - len(before) : ref.source_offset]
            assert before == src_before


def test_isw_note_texts_are_complete(isw):
    n13 = isw.footnote("13")
    assert n13.text.startswith('"In the Second Attack of its Kind a Missile Attacks Targets the Zlikan Base,"')
    assert "*Shafaq*" not in n13.text and "Shafaq," in n13.text
    assert "Northeast Mosul for the Second Time in 24 Hours" in n13.text  # a later paragraph of the note
    assert n13.text.endswith("January 16, 2022. t dot me/sabreenS1/39135")
    n7 = isw.footnote("7")
    assert "^{xxxvii}" in n7.text  # the stray roman numeral stays text
    assert n7.text.endswith(
        "for no more than a week on January 9. https://www.rbc.ru/politics/09/01/2022/61db05649a79476d5a9ae996"
    )
    n32 = isw.footnote("32")
    assert n32.text.startswith("Ethiopia is at odds with Egypt and Sudan")
    assert n32.text.endswith("downstream access to the river’s waters.")
    assert n32.urls == []


def test_isw_urls_bare_angle_and_markdown(isw):
    assert isw.footnote("1").urls == [
        "https://www.mfa.gov.tr/no_-2_-kazakistan-da-duzenlenen-protesto-gosterileri-hk.tr.mfa"
    ]  # bare
    assert isw.footnote("2").urls == [
        "https://www.vedomosti.ru/politics/articles/2010/06/15/mirotvorcy-odkb-ne-budut-napravleny-v-kirgiziyu",
        "https://www.interfax.ru/world/768966",
    ]  # in <…>
    assert isw.footnote("13").urls[0].startswith("https://www.shafaq.com/ar/%D8%A3")  # a Markdown link target
    assert "https://twitter.com/7dhn77/status/1482619377891655681?s=20" in isw.footnote("13").urls
    n7 = isw.footnote("7").urls
    assert "https://www.rferl.org/a/kazakhstan-csto-troop-russia-analysis/31642847.html" in n7  # `>;` trimmed
    assert len(n7) == 4
    assert len(isw.footnote("28").urls) == 4
    assert isw.footnote("14").urls == []  # "t dot me/…" is not a URL


def test_isw_note_links_trace_back_to_the_file(isw):
    source = read_source(ISW).text
    for note in isw.footnotes:
        for link in note.links:
            assert source[link.source_start : link.source_end] == link.url


def test_neo_has_no_notes_and_no_false_markers(neo):
    assert neo.footnotes == []
    assert all(not b.refs for b in neo.blocks)
    assert neo.warnings == []


def test_page_breaks_rejoined_in_both_documents(isw, neo):
    texts = [b.text for b in neo.blocks]
    assert any("relations with Moscow, Turkish Cumhuriyet wrote, outraged" in t for t in texts)
    itexts = [b.text for b in isw.blocks]
    assert any("with the Turkic population served as a common denominator" in t for t in itexts)
    assert any("by prioritizing strengthened diplomatic channels" in t for t in itexts)
    assert any("Unidentified militants detonated three improvised explosive devices" in t for t in itexts)
    assert any("exports to Ethiopia. The Ethiopian Government uses armed drones" in t for t in itexts)
    # nothing else was joined: each of these still starts its own block
    starts = [t[:40] for t in itexts]
    assert any(s.startswith("The unrest in Kazakhstan poses") for s in starts)
    assert any(s.startswith("Russia's swift military and political") for s in starts)


def test_isw_block_structure(isw):
    kinds = [b.kind for b in isw.blocks]
    assert kinds.count("list_item") == 7
    items = [b for b in isw.blocks if b.kind == "list_item"]
    assert [b.marker for b in items] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert items[0].text.startswith("China hosted Turkish Foreign Minister Cavusoglu")
    assert "**" not in " ".join(b.text for b in isw.blocks)  # debris and pairs both gone
    assert kinds[-1] == "contributors"
    # title, author line and dateline are metadata, not body text
    assert not any(b.text.startswith(("Ezgi Yazici", "December 28, 2021")) for b in isw.blocks)


def test_neo_boilerplate_dropped(neo):
    joined = "\n".join(b.text for b in neo.blocks)
    assert "User Comments" not in joined and "Back to Top" not in joined
    assert neo.blocks[-1].text.endswith("“New Eastern Outlook”. Courtesy")


def test_every_block_maps_back_to_its_source(isw, neo):
    for path, doc in ((ISW, isw), (NEO, neo)):
        source = read_source(path).text
        for block in doc.blocks:
            # every non-space character of the cleaned text is that character in the file
            for i, ch in enumerate(block.text):
                if ch != " ":
                    assert source[block.content.to_source(i)] == ch
