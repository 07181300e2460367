"""The PDF reader on real US government documents (public domain; tests/data/real/SOURCES.md).
Expected counts and texts were read off pdfium's plain page text (``get_text_range``), not
from the reader's output."""

from __future__ import annotations

import re
from pathlib import Path

from tuireader.core.formats import parse_file

REAL = Path(__file__).parent / "data" / "real"


def _markers(doc):
    return [r.label for b in doc.blocks for r in b.refs]


def _notes(doc):
    return {n.label: n.text for n in doc.footnotes if n.defined}


def _no_furniture(doc, pattern: str) -> None:
    texts = [b.text for b in doc.blocks] + [n.text for n in doc.footnotes]
    assert not any(re.search(pattern, t) for t in texts), pattern
    assert not any(re.search(r"[^\W\d]- [a-z]", t) or "  " in t for t in texts)


def test_campus_attacks_four_pages_with_notes_7_to_23():
    """Pages 5–8 of a 2010 Secret Service / Education / FBI report (one column, Word set,
    through Ghostscript): notes 7–23 under the text of each page, one marker a list "11, 12"."""
    doc = parse_file(REAL / "campus-attacks-2010-p5-8.pdf")
    assert len(doc.parts) == 4
    labels = [str(n) for n in range(7, 24)]
    assert _markers(doc) == labels
    assert sorted(_notes(doc), key=int) == labels
    assert all(len(n.cited_at) == 1 for n in doc.footnotes) and not doc.warnings
    pages = [doc.locate(n.source_start)["page"] for n in doc.footnotes]
    assert pages == [1] * 6 + [2] * 4 + [3] * 3 + [4] * 4
    notes = _notes(doc)
    assert notes["14"] == "The Digest, p. 270."
    assert notes["23"] == (
        "Due to the limited availability of searchable media reporting prior to 1900, this year was selected as "
        "the start date."
    )
    assert notes["7"].startswith("Snyder, T.D., Dillow, S.A., and Hoffman, C.M. (2009, March). Digest of Education")
    assert notes["7"].endswith("from http://nces.ed.gov. Hereafter referred to as “The Digest.”")  # over three lines
    # "11, 12": two markers at one place; "(n = 46).19" a marker after a formula's parenthesis
    both = next(b for b in doc.blocks if any(r.label == "11" for r in b.refs))
    at = {r.label: r.at for r in both.refs}
    assert at["11"] == at["12"] and both.text[: at["11"]].endswith("in two-year institutions).")
    nineteen = next(b for b in doc.blocks if any(r.label == "19" for r in b.refs))
    assert nineteen.text[: next(r.at for r in nineteen.refs if r.label == "19")].endswith("n = 46).")
    _no_furniture(doc, r"Campus Attacks|Page [5-8]\b")
    text = " ".join(b.text for b in doc.blocks)
    # a real hyphen at a line end stays where the document spells the word with it elsewhere
    assert "were degree-granting and 2,222" in text and "gleaned from open-source reporting" in text
    # neither spelling elsewhere: kept when both halves are words of the document ("a broad range")
    assert "the full-range of incidents" in text
    assert doc.title == "campus attacks 2010 p5 8"  # an excerpt: no title on its pages, the file's name


def test_nclb_report_chapter_pages_three_notes_and_a_running_head():
    """Pages 24–26 of a Department of Education report on No Child Left Behind: a chapter's
    opening in 14-point capitals, notes 19–21 one to a page, "Chapter II 24" at each top."""
    doc = parse_file(REAL / "nclb-implementation-ch2-p24-26.pdf")
    assert len(doc.parts) == 3
    assert _markers(doc) == ["19", "20", "21"]
    notes = _notes(doc)
    assert notes == {
        "19": "This study did not track the frequency of use of specific accommodations.",
        "20": "U.S. Department of Education, (2005). Non-Regulatory guidance: Alternate achievement standards for "
        "the students with the most significant cognitive disabilities. Washington, D.C.: Author. p. 15. "
        "http://www.ed.gov/policy/elsec/guid/altguidance.doc (accessed October 2008).",
        "21": "Based on a review of policy documents available on state education agency Web sites, January 2007.",
    }
    assert [doc.locate(n.source_start)["page"] for n in doc.footnotes] == [1, 2, 3]
    assert [link.url for link in doc.footnotes[1].links] == ["http://www.ed.gov/policy/elsec/guid/altguidance.doc"]
    assert not doc.warnings
    _no_furniture(doc, r"Chapter II|^2[4-6]$")
    # the largest type on the first page (no document title in the file) is the title
    assert doc.title == "INCLUDING ALL STUDENTS IN ASSESSMENTS" and doc.authors == []
    assert doc.blocks[0].text.startswith("NCLB places great emphasis on the inclusion of all students")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Students with disabilities" in headings
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert [t.split("—")[0] for t in items] == [
        "presentation accommodations",
        "equipment and material accommodations",
        "response accommodations",
        "scheduling and timing accommodations",
        "setting accommodations",
    ]
    assert items[1].endswith("light or acoustics accommodations (33 states);")  # its second line, hanging
    # the call-outs: indented bold lines of 12 points, each one paragraph, no heading
    callouts = [
        b for b in doc.blocks if b.text.startswith(("All states allowed", "Alternate assessments have", "As of July"))
    ]
    assert [b.kind for b in callouts] == ["paragraph"] * 3
    assert callouts[2].text == (
        "As of July 2006, peer reviews of state assessment systems found that 38 states had not demonstrated that "
        "their alternate assessments based on alternate academic achievement standards (AA-AAAS) met all NCLB "
        "requirements. By January 2009, only 13 states had not yet received approval of their AA-AAAS."
    )
