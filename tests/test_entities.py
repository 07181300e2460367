"""Entity extraction: each rule on documents written for it, alias merging, and the quality bar
on the bundled documents against a hand-checked list (tests/data/entities_gold.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core.formats import parse_file
from tuireader.core.parse import parse_text
from tuireader.core.textio import read_source
from tuireader.entities import EntityExtractor, load_gazetteers

from .conftest import ISW, LIBRARY, NEO, write

GOLD = yaml.safe_load((Path(__file__).parent / "data" / "entities_gold.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def general():
    return EntityExtractor(load_gazetteers([])[0])


@pytest.fixture(scope="module")
def with_library():
    return EntityExtractor(load_gazetteers([LIBRARY / "entities.yaml"])[0])


def mentions(extractor, text: str):
    doc = parse_text(text, path=Path("t.txt"), fmt="text")
    return [(m.text, m.type, m.canonical) for m in extractor.extract(doc)]


# ----------------------------------------------------------------- rules
def test_title_cue_person_without_the_title_then_surname_alone(general):
    found = mentions(general, "T\n\nKazakh President Kassym-Jomart Tokayev spoke. Later Tokayev left.\n")
    assert ("Kassym-Jomart Tokayev", "PERSON", "Kassym-Jomart Tokayev") in found
    assert ("Tokayev", "PERSON", "Kassym-Jomart Tokayev") in found
    assert ("Kazakh", "GROUP", "Kazakh") in found
    assert not any(t.startswith("President") for t, _, _ in found)


def test_organisation_cues_and_the_is_not_part_of_a_span(general):
    found = mentions(
        general, "T\n\nThe Syrian National Army and the Turkish Defense Ministry met the Kyrgyz Parliament.\n"
    )
    assert ("Syrian National Army", "ORG", "Syrian National Army") in found
    assert ("Turkish Defense Ministry", "ORG", "Turkish Defense Ministry") in found
    assert ("Kyrgyz Parliament", "ORG", "Kyrgyz Parliament") in found


def test_acronym_defined_in_the_text_is_that_entity(general):
    found = mentions(general, "T\n\nThe Zorblatt Defence Council (ZDC) met. Later the ZDC said no.\n")
    assert ("Zorblatt Defence Council", "ORG", "Zorblatt Defence Council") in found
    assert found.count(("ZDC", "ORG", "Zorblatt Defence Council")) == 2


def test_undefined_acronym_is_not_an_entity(general):
    found = mentions(general, "T\n\nMilitants used an IED and improvised explosive devices (IED) near a SVEST.\n")
    assert not any(t in ("IED", "SVEST") for t, _, _ in found)


def test_aliases_merge_into_one_canonical_name(general, with_library):
    text = (
        "T\n\nThe Organization of Turkic States (OTS, previously the Turkic Council) met. "
        "President Erdogan spoke; Recep Tayyip Erdogan later wrote. Erdogan left.\n"
    )
    found = mentions(with_library, text)
    assert {c for t, ty, c in found if ty == "ORG"} == {"Organization of Turkic States"}
    assert {c for t, ty, c in found if ty == "PERSON"} == {"Recep Tayyip Erdogan"}
    assert [t for t, ty, _ in found if ty == "ORG"] == ["Organization of Turkic States", "OTS", "Turkic Council"]


def test_footnote_marker_glued_to_a_date_is_not_part_of_the_span(general):
    doc = parse_text("T\n\nThe session met on January 11.⁵ Then it ended.\n\n⁵ A source.\n", path=Path("t.txt"))
    (date,) = [m for m in general.extract(doc) if m.type == "DATE"]
    assert date.text == "January 11"
    source = "T\n\nThe session met on January 11.⁵ Then it ended.\n\n⁵ A source.\n"
    assert source[date.source_start : date.source_end] == "January 11"


def test_date_grammar(general):
    found = [
        t
        for t, ty, _ in mentions(
            general,
            "T\n\nOn January 6, between January 10-14, on December 9, 2021, in the 1990s, since November and in 2007, "
            "not 122mm or 13 rockets; on January 2, 15, and 16.\n",
        )
        if ty == "DATE"
    ]
    assert found == ["January 6", "January 10-14", "December 9, 2021", "1990s", "November", "2007", "January 2"]


def test_hyphen_and_possessive_spans(general):
    found = [
        (t, ty) for t, ty, _ in mentions(general, "T\n\nThe Turkey-led bloc and Russia’s Turkish-Armenian talks.\n")
    ]
    assert found == [("Turkey", "PLACE"), ("Russia", "PLACE"), ("Turkish", "GROUP"), ("Armenian", "GROUP")]


def test_newspaper_named_like_a_country_is_an_org(general):
    found = mentions(general, "T\n\nThe Türkiye newspaper published it; Türkiye’s government did not.\n")
    assert found[0] == ("Türkiye", "ORG", "Türkiye")


def test_library_and_user_gazetteers_merge_in_order(tmp_path):
    lib = write(tmp_path / "lib.yaml", "entities:\n  - name: Zorb\n    type: PLACE\n    aliases: [Zorbia]\n")
    user = write(
        tmp_path / "user.yaml",
        "entities:\n  - name: Zorb\n    type: ORG\n    aliases: [Zorbcorp]\n    description: a company\n",
    )
    gazetteer, problems = load_gazetteers([lib, user])
    assert problems == []
    entry = gazetteer.lookup("Zorbia")
    assert (entry.name, entry.type, entry.description) == ("Zorb", "ORG", "a company")
    assert gazetteer.lookup("Zorbcorp").name == "Zorb"


def test_a_broken_gazetteer_is_skipped_with_a_message(tmp_path):
    bad = write(tmp_path / "bad.yaml", "entities:\n  - name: X\n    type: SPACESHIP\n")
    gazetteer, problems = load_gazetteers([bad])
    assert len(problems) == 1 and "SPACESHIP" not in gazetteer.entries and "type must be one of" in problems[0]
    assert gazetteer.lookup("Turkey") is not None  # the general gazetteer still loaded


def test_spans_trace_back_to_the_file(with_library):
    for path in (ISW, NEO):
        source = read_source(path).text
        for m in with_library.extract(parse_file(path)):
            assert source[m.source_start : m.source_end] == m.text


# --------------------------------------------------------------- quality
def _score(extractor) -> tuple[float, float, list, list]:
    tp = fp = fn = 0
    missed, spurious = [], []
    for doc_id, blocks in GOLD.items():
        doc = parse_file(LIBRARY / f"{doc_id}.txt")
        gold: set[tuple[int, int, int, str]] = set()
        for block_index, items in blocks.items():
            text = doc.blocks[int(block_index)].text
            cursor = 0
            for surface, etype, _canonical in items:
                start = text.index(surface, cursor)
                gold.add((int(block_index), start, start + len(surface), etype))
                cursor = start + len(surface)
        predicted = {(m.block, m.start, m.end, m.type) for m in extractor.extract(doc)}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        missed += [(doc_id, doc.blocks[b].text[s:e], t) for b, s, e, t in sorted(gold - predicted)]
        spurious += [(doc_id, doc.blocks[b].text[s:e], t) for b, s, e, t in sorted(predicted - gold)]
    return tp / (tp + fp), tp / (tp + fn), missed, spurious


def test_quality_with_the_general_gazetteer_only(general):
    precision, recall, missed, spurious = _score(general)
    print(f"general gazetteer only: precision {precision:.3f}, recall {recall:.3f}")
    print("missed:", missed)
    print("spurious:", spurious)
    assert precision >= 0.995 and recall >= 0.95  # measured 1.000 and 0.954 (before #17: 0.998, 0.945)


def test_quality_with_the_library_gazetteer(with_library):
    precision, recall, missed, spurious = _score(with_library)
    print(f"with library gazetteer: precision {precision:.3f}, recall {recall:.3f}")
    print("missed:", missed)
    print("spurious:", spurious)
    assert precision >= 0.995 and recall >= 0.995, (missed, spurious)  # measured 1.000 and 1.000


def test_canonical_names_match_the_gold(with_library):
    for doc_id, blocks in GOLD.items():
        doc = parse_file(LIBRARY / f"{doc_id}.txt")
        got = {(m.block, m.text): m.canonical for m in with_library.extract(doc)}
        for block_index, items in blocks.items():
            for surface, _etype, canonical in items:
                assert got.get((int(block_index), surface)) in (canonical, None)


# ------------------------------------------------- the faster scans are the same
# The patterns as first written, with the boundary in front: what the rules must still find.
_PIECES = [
    "President",
    "Vice President",
    "Prime Minister",
    "leader",
    "envoy",
    "Mr.",
    "King",
    "x",
    "-",
    "_",
    "é",
    " ",
    ", ",
    ".",
    "1",
    "19",
    "20",
    "1999",
    "2021s",
    "/",
    "May",
    "March",
    "newspaper",
    "daily",
    "news agency",
    "the",
    "(",
    "Putin",
    "Smith",
    "Olé",
    "-President ",
    "aKing ",
    "Mr. ",
    "Vice President, ",
    "x1999",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_scans_find_what_the_patterns_with_a_boundary_in_front_find(general, text):
    import re

    from tuireader.entities import extract, people

    year = re.compile(r"(?<![\w.,/-])(?:1[89]\d\d|20\d\d)(?:s)?(?![\w/-])")
    assert [m.span() for m in extract._YEAR.finditer(text)] == [m.span() for m in year.finditer(text)]
    month = re.compile(r"\b(?:" + "|".join(extract._MONTH_NAMES) + r")\b")
    assert [m.span() for m in extract.after_boundary(extract._MONTH_ALONE, text)] == [
        m.span() for m in month.finditer(text)
    ]
    outlet = re.compile(r"\b(?:newspaper|publication|magazine|daily|outlet|news agency|broadcaster|channel)\b")
    assert (next(extract.after_boundary(extract.OUTLET_WORDS, text), None) is None) == (outlet.search(text) is None)
    cue = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in people.PERSON_CUES) + r"),?\s+")
    assert [end for _, end in general.people.title_cue_ends(text)] == [m.end() for m in cue.finditer(text)]
