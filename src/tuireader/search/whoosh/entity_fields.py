"""A document's entity mentions as the index's fields, and the stored spans read back.

The entities package finds mentions and knows nothing of the schema; this module is the one
place that knows which fields hold them and in which order a stored span's values come.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ...entities.model import BODY, NAMED_TYPES, EntitySpan, EntityType

if TYPE_CHECKING:
    from ...entities.extract import Mention


def entity_fields(mentions: Sequence[Mention]) -> dict[str, Any]:
    """The schema's entity fields: the names by type (searchable), and every mention stored."""
    by_type: dict[str, set[str]] = {t: set() for t in NAMED_TYPES}
    for m in mentions:
        if m.type in by_type:
            by_type[m.type].add(m.canonical)
            by_type[m.type].add(m.text)  # so org:CSTO finds the Collective Security Treaty Organization
    named = set().union(*by_type.values())
    return {
        "entity": " ; ".join(sorted(named)),
        "person": " ; ".join(sorted(by_type[EntityType.PERSON])),
        "org": " ; ".join(sorted(by_type[EntityType.ORG])),
        "place": " ; ".join(sorted(by_type[EntityType.PLACE])),
        "group": " ; ".join(sorted(by_type[EntityType.GROUP])),
        "entity_keys": ",".join(sorted({m.canonical.replace(",", " ") for m in mentions if m.type in NAMED_TYPES})),
        # The body's mentions: (block, start, end, canonical, type), read back by stored_spans.
        "entity_data": [(m.block, m.start, m.end, m.canonical, m.type) for m in mentions if m.part == BODY],
        # Outside the body: (part, note key, start in that part's text, end, canonical, type).
        "entity_parts": [(m.part, m.note, m.start, m.end, m.canonical, m.type) for m in mentions if m.part != BODY],
    }


def stored_spans(entity_data: Iterable[Sequence[Any]]) -> list[EntitySpan]:
    """The body's mentions as ``entity_fields`` stored them."""
    return [EntitySpan(block, start, end, etype, canonical) for block, start, end, canonical, etype in entity_data]
