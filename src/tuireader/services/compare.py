"""Two documents side by side: their mentions, the entities they share and their shared terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..compare import Comparison, compare_entities, shared_terms
from ..core.model import Document
from ..entities.extract import Mention

if TYPE_CHECKING:
    from ..workspace import Workspace


@dataclass(slots=True)
class ComparedSide:
    document: Document
    mentions: list[Mention]


@dataclass(slots=True)
class PreparedComparison:
    a: ComparedSide
    b: ComparedSide
    comparison: Comparison


def prepare_comparison(
    workspace: Workspace, a: Document, a_id: str | None, b: Document, b_id: str | None
) -> PreparedComparison:
    """``a_id``/``b_id``: the library id of each (None for a file outside the library), so the
    mentions the index stored are used when they are current."""
    mentions_a = workspace.mentions(a, a_id)
    mentions_b = workspace.mentions(b, b_id)
    comparison = compare_entities(mentions_a, mentions_b)
    comparison.shared_terms = shared_terms(a, b)
    return PreparedComparison(ComparedSide(a, mentions_a), ComparedSide(b, mentions_b), comparison)
