"""Comparing two documents: the entities they share and those only one names, the key terms
they share, and the library documents most like a given one.  Plain Python over the core."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .core.model import Document
from .core.textio import DocumentError
from .entities.extract import Mention
from .entities.model import NAMED_TYPES

if TYPE_CHECKING:
    from .workspace import Workspace

COMPARED_TYPES = NAMED_TYPES


@dataclass(frozen=True, slots=True)
class SharedEntity:
    name: str
    type: str
    a: int  # mentions in the first document
    b: int


@dataclass(frozen=True, slots=True)
class OnlyEntity:
    name: str
    type: str
    count: int


@dataclass(slots=True)
class Comparison:
    shared: list[SharedEntity] = field(default_factory=list)
    only_a: list[OnlyEntity] = field(default_factory=list)
    only_b: list[OnlyEntity] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "shared": [{"entity": e.name, "type": e.type, "a": e.a, "b": e.b} for e in self.shared],
            "only_a": [{"entity": e.name, "type": e.type, "count": e.count} for e in self.only_a],
            "only_b": [{"entity": e.name, "type": e.type, "count": e.count} for e in self.only_b],
            "shared_terms": list(self.shared_terms),
        }


def _counts(mentions: list[Mention]) -> Counter[tuple[str, str]]:
    return Counter((m.canonical, m.type) for m in mentions if m.type in COMPARED_TYPES)


def compare_entities(a: list[Mention], b: list[Mention]) -> Comparison:
    """Shared entities (most mentioned in both first), then those only one document names."""
    ca, cb = _counts(a), _counts(b)
    shared = [SharedEntity(n, t, ca[(n, t)], cb[(n, t)]) for (n, t) in ca if (n, t) in cb]
    shared.sort(key=lambda e: (-(min(e.a, e.b)), -(e.a + e.b), e.name))
    only_a = sorted(
        (OnlyEntity(n, t, c) for (n, t), c in ca.items() if (n, t) not in cb), key=lambda e: (-e.count, e.name)
    )
    only_b = sorted(
        (OnlyEntity(n, t, c) for (n, t), c in cb.items() if (n, t) not in ca), key=lambda e: (-e.count, e.name)
    )
    return Comparison(shared, only_a, only_b)


_STOPWORDS = frozenset(
    """
about above after again against all also although among an and another any are around as at be
because been before being below between both but by can could did does doing down during each
either even ever every few for from further had has have having he her here hers him his how however
into its itself just least less like likely made make many may might more most much must neither
never nevertheless next none nor not now of off often on once one only onto or other others our out
over own part per perhaps rather same several shall she should since some such than that the their
them then there therefore these they this those though through thus till to too toward towards under
until upon very was we well were what when where whether which while who whom whose why will with
within without would yet you your also said says told first second new two three four five last
well still already least time times year years week way ways number""".split()
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*[^\W\d_]")


def _term_counts(doc: Document) -> Counter[str]:
    counts: Counter[str] = Counter()
    for block in doc.blocks:
        for m in _WORD.finditer(block.text):
            word = m.group().lower().replace("’", "'")
            if word.endswith("'s"):
                word = word[:-2]
            if len(word) >= 4 and word not in _STOPWORDS:
                counts[word] += 1
    return counts


def shared_terms(
    a: Document, b: Document, count: int = 15, document_frequency: dict[str, int] | None = None, library_size: int = 0
) -> list[str]:
    """Content words frequent in both texts, strongest in both first (rarer in the library first)."""
    ca, cb = _term_counts(a), _term_counts(b)
    na, nb = max(1, sum(ca.values())), max(1, sum(cb.values()))

    def weight(term: str) -> float:
        strength = min(ca[term] / na, cb[term] / nb)
        if document_frequency and library_size > 2:
            strength *= math.log(1 + library_size / max(1, document_frequency.get(term, 1)))
        return strength

    common = [t for t in ca if t in cb and min(ca[t], cb[t]) >= 2]
    return sorted(common, key=lambda t: (-weight(t), t))[:count]


@dataclass(frozen=True, slots=True)
class Related:
    id: str
    title: str
    score: float
    shared_terms: list[str]
    shared_entities: list[str]


def related_documents(workspace: Workspace, doc: Document, limit: int = 10) -> list[Related]:
    """Library documents most like ``doc``: body similarity (Whoosh more_like_this) combined
    with the overlap of the entities they name, each with the reason (shared terms, entities)."""
    index = workspace.index
    catalog = index.catalog()
    mine = set((catalog[doc.id].entities or {}) if doc.id in catalog else {})
    text_scores = dict(index.more_like(doc.id, limit=max(limit * 3, 20)))
    top_text = max(text_scores.values(), default=0.0) or 1.0
    candidates: dict[str, float] = {}
    for other_id, entry in catalog.items():
        if other_id == doc.id:
            continue
        theirs = set(entry.entities or {})
        overlap = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
        score = 0.6 * (text_scores.get(other_id, 0.0) / top_text) + 0.4 * overlap
        if score > 0:
            candidates[other_id] = score
    related = []
    for other_id, score in sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        entities = catalog[other_id].entities or {}
        shared = sorted(mine & set(entities), key=lambda n: (-entities[n][1], n))[:5]
        terms: list[str] = []
        other = workspace.library.find(other_id)
        if other is not None:
            try:
                terms = shared_terms(doc, workspace.library.parse(other), count=5)
            except DocumentError:
                terms = []
        related.append(Related(other_id, catalog[other_id].listed_title, round(score, 4), terms, shared))
    return related
