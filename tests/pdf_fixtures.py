"""Documents for the PDF reader's tests, typeset with reportlab (tools/pdf_typeset.py).

Each builder returns a ``Spec``; its notes and markers are the expected values, counted
from the input by hand in the tests, never from the reader's output.
"""

from __future__ import annotations

from tools.pdf_typeset import Heading, Note, Para, Spec

WORDS = (
    "Regional agen|cies co|ordi|nated their re|sponses dur|ing the pe|riod, and part|ners con|tri|buted "
    "staff and equip|ment where the ar|range|ments of the frame|work fell short of the prom|ises made."
)


def filler(n: int, tag: str = "") -> str:
    return " ".join(f"{WORDS}" for _ in range(n)) + (f" {tag}" if tag else "")


def one_column() -> Spec:
    """Footnote markers of every kind, and every raised thing that is not one."""
    blocks: list[Heading | Para] = [
        Heading("1. Background"),
        Para(
            f"The minister said the talks had failed.^{{1}} {filler(1)} An analyst called it “a turning point.”^{{2}} "
            "Earlier studies^{3–5} reached the same view, as did two later surveys.^{6,7}"
        ),
        Para(
            f"{filler(1)} The claim was disputed.^{{*}} A second objection followed.^{{†}} A third, too.^{{‡}} "
            "The agency's inter|national co|operation with well-known partners was state-of-the-art work."
        ),
        Heading("2. Figures that are not notes"),
        Para(
            "In the 21^{st} century and the 2^{nd} half of it, energy follows E = mc^{2} and areas grow as "
            "10^{3} km^{2}; water is H_{2}O and sulphate SO_{4}^{2−} in the samples. The term^{a} is defined below."
        ),
        Para("Exports 12.5^{b} 14.2^{c} 17.9 Imports 3.1^{b} 4.4 5.0"),
        Para(f"{filler(2)} The inter|govern|mental review, which drew on con|tem|poraneous records, said so.^{{8}}"),
    ]
    notes = [
        Note("1", "Ministry statement, 3 May 2021."),
        Note("2", "Interview with the analyst, Ankara, 4 May 2021."),
        Note("3", "First study."),
        Note("4", "Second study."),
        Note("5", "Third study, https://example.org/study-three."),
        Note("6", "Survey A."),
        Note("7", "Survey B."),
        Note("*", "The ministry disputes this."),
        Note("†", "A second source."),
        Note("‡", "A third source."),
        Note("a", "The term as the treaty uses it."),
        Note("8", "Review of 2020, p. 12."),
    ]
    return Spec(
        "Coordination Under Strain: A Review of the Framework",
        blocks,
        notes,
        authors="Jane Analyst",
        date="May 5, 2021",
        running_head="Coordination Under Strain",
        info_author="Jane Analyst",
    )


def two_columns() -> Spec:
    """Two columns over three pages: paragraphs cross the column and the page break."""
    blocks: list[Heading | Para] = [Heading("Summary")]
    notes = []
    for i in range(1, 13):
        text = f"Item {i} opens this paragraph. {filler(3)} It ends here with item {i} closed.^{{{i}}}"
        blocks.append(Para(text))
        notes.append(Note(str(i), f"Source for item {i}: field report {100 + i}."))
    return Spec("Two Column Brief", blocks, notes, authors="A. Writer", columns=2, running_head="Two Column Brief")


def three_columns() -> Spec:
    blocks: list[Heading | Para] = [Heading("Overview")]
    notes = []
    for i in range(1, 10):
        blocks.append(Para(f"Column item {i} starts. {filler(2)} Item {i} ends.^{{{i}}}"))
        notes.append(Note(str(i), f"Three-column note {i}."))
    return Spec("Three Column Newsletter", blocks, notes, columns=3, running_head="Newsletter")


def continued_note() -> Spec:
    """A long note that its page's band cannot hold: it continues on the next page's band."""
    long_note = " ".join(f"Sentence {i} of the long note, which explains the sourcing in detail." for i in range(1, 26))
    blocks: list[Heading | Para] = [
        Para(f"{filler(8)} The first claim.^{{1}}"),
        Para(f"{filler(6)} The second claim.^{{2}} {filler(10)} The third claim.^{{3}}"),
    ]
    notes = [Note("1", long_note), Note("2", "Short second note."), Note("3", "Short third note.")]
    return Spec("Continued Notes", blocks, notes, running_head="Continued Notes", band_max=0.12)


def endnotes() -> Spec:
    blocks: list[Heading | Para] = [Heading("Findings")]
    for i in range(1, 6):
        blocks.append(Para(f"Finding {i}. {filler(2)} This is documented.^{{{i}}}"))
    notes = [Note(str(i), f"Endnote {i}: archive box {i * 7}, folder {i}.") for i in range(1, 6)]
    return Spec("Report With Endnotes", blocks, notes, endnotes=True, running_head="Report With Endnotes")


def long_report() -> Spec:
    """Four pages: a running head and a page number on every page, headings in bold at
    the body size, a bulleted list, paragraphs that cross page breaks, a note on most pages."""
    blocks: list[Heading | Para] = []
    notes = []
    n = 0
    for section in range(1, 5):
        blocks.append(Heading(f"Section {section} findings", 10.5))
        for k in range(1, 4):
            n += 1
            blocks.append(Para(f"Paragraph {section}.{k} begins. {filler(7)} The well-known result held.^{{{n}}}"))
            notes.append(Note(str(n), f"Note {n} on paragraph {section}.{k}."))
        blocks.append(Para("• First point of the list, short.", indent=False))
        blocks.append(Para("• Second point of the list, short as well.", indent=False))
    return Spec(
        "A Longer Report",
        blocks,
        notes,
        authors="Sam Author",
        date="March 3, 2020",
        running_head="A Longer Report — Draft",
        info_title="A Longer Report",
    )


def chapters() -> Spec:
    """Two chapters whose notes are both numbered from 1, each on its own pages."""
    blocks: list[Heading | Para] = []
    notes = []
    for chapter in (1, 2):
        blocks.append(Heading(f"Chapter {chapter}"))
        for n in (1, 2):
            blocks.append(Para(f"Chapter {chapter} claim {n}. {filler(12)} So it was.^{{{n}}}"))
            notes.append(Note(str(n), f"Chapter {chapter}, note {n}."))
    return Spec("Chapters", blocks, notes, running_head="Chapters", restart_notes=True)
