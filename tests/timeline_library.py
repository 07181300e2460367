"""A generated library of 50 dated documents for the timeline tests, with what it says kept beside it.

Each document has a sidecar giving its title, date (every 4th a reporting period of a week),
source (three of them) and tags. Its text mentions Mirela Voss (a PERSON of the library's own
gazetteer) in paragraphs of two kinds: "On March 3, Mirela Voss ..." (dated by the text, a date
without a year chosen 0-19 days before the document's reference day, so the year is the
nearest one) and "Mirela Voss spoke again ..." (dated by the document: its date, or the end of
its period). Every 10th title names her too (a title is dated by the document). The expected days are written down here
as they are generated, not computed by the timeline code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = ("Bellmouth Review", "Institute of Calder Studies", "Northgate Wire")
TAGS = ("energy", "security", "trade")
PERSON = "Mirela Voss"
FIRST = dt.date(2022, 1, 3)  # a Monday
COUNT = 50


@dataclass
class GeneratedDoc:
    id: str
    title: str
    start: dt.date
    end: dt.date
    source: str
    tags: list[str]
    mention_days: list[dt.date] = field(default_factory=list)  # one per mention of PERSON
    dated_in_text: int = 0


def generate(root: Path) -> list[GeneratedDoc]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "entities.yaml").write_text(
        f"entities:\n  - name: {PERSON}\n    type: PERSON\n    description: a negotiator (generated)\n",
        encoding="utf-8",
    )
    docs = []
    for i in range(COUNT):
        # Not in file order: the dates go back and forth so a sort by name would not pass for a sort by date.
        n = (i * 17) % COUNT
        start = FIRST + dt.timedelta(days=5 * n)
        end = start + dt.timedelta(days=6) if n % 4 == 0 else start
        doc = GeneratedDoc(
            id=f"report-{i:02d}",
            title=f"Report {i:02d} on the Calder negotiations" + (f" with {PERSON}" if i % 10 == 0 else ""),
            start=start,
            end=end,
            source=SOURCES[i % 3],
            tags=[TAGS[i % 3]] + ([TAGS[(i + 1) % 3]] if i % 5 == 0 else []),
        )
        paragraphs = [f"The Calder talks went on in week {n}, and the delegations met in the harbour town."]
        if i % 10 == 0:
            doc.mention_days.append(end)
        for k in range(i % 3 + 1):
            day = end - dt.timedelta(days=(i + 7 * k) % 20)
            paragraphs.append(f"On {day.strftime('%B')} {day.day}, {PERSON} met the harbour council about tariffs.")
            doc.mention_days.append(day)
            doc.dated_in_text += 1
        for _ in range(i % 2):
            paragraphs.append(f"{PERSON} spoke again about the harbour tariffs at the closing session.")
            doc.mention_days.append(end)
        (root / f"{doc.id}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        sidecar = [
            f"title: {doc.title}",
            f"date: {start.isoformat()}",
            *([f"date_end: {end.isoformat()}"] if end != start else []),
            f"source: {doc.source}",
            f"tags: [{', '.join(doc.tags)}]",
        ]
        (root / f"{doc.id}.yaml").write_text("\n".join(sidecar) + "\n", encoding="utf-8")
        docs.append(doc)
    return docs
