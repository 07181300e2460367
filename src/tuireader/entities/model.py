"""What an entity is to the rest of the program: its type and where a mention of it sits.

The extractor (``extract``) finds mentions; the index stores them; the reader draws them.
All three speak of a mention's place as an ``EntitySpan``, so none of them depends on the
order of the fields in another's tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntityType(StrEnum):
    """The kinds of entity. A ``StrEnum``: a type compares equal to its name, the gazetteers
    and the index hold it as that name, and JSON writes it as that name."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"
    GROUP = "GROUP"
    DATE = "DATE"


# every type, in the order lists show them
ENTITY_TYPES: tuple[EntityType, ...] = tuple(EntityType)
# the things one navigates by: the index's entity fields, the library's entity table, compare
NAMED_TYPES: tuple[EntityType, ...] = (EntityType.PERSON, EntityType.ORG, EntityType.PLACE, EntityType.GROUP)


# the part of a document a mention is in
BODY, TITLE, BYLINE, NOTE = "body", "title", "byline", "note"


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A mention's place in a block's text (characters ``start``..``end`` of block ``block``).

    ``dimmed``: drawn without its type's colour (compare dims what the other document does
    not name); it is still a mention of ``canonical``, of type ``type``."""

    block: int
    start: int
    end: int
    type: str
    canonical: str
    dimmed: bool = False
