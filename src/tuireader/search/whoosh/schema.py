"""The index schema.  Bump SCHEMA_VERSION whenever a field or analyzer changes:
an index with another version is rebuilt from the files."""

from __future__ import annotations

# 7: entities; 8-9: FastCharacters; 10-12: ArrayBlockCodec; 13: folding; 14: page_starts; 15: entity_parts;
# 16: tags kept in the catalog (the timeline groups by them: an older catalog had none);
# 17: body and notes texts in chunked columns, and the readers' text changed (table cells, math,
# stanzas, superscripts): an index of 16 would keep the old text of every unchanged file;
# 18: byline mentions stored, first-level regions in the gazetteer, Gutenberg headers, PDF notes
# and titles read anew: an index of 17 would keep the old entities and text of unchanged files
SCHEMA_VERSION = 18

# Names people type in queries, mapped to schema fields.
FIELD_ALIASES = {
    "authors": ["author", "by"],
    "footnotes": ["footnote", "note", "notes"],
    "domain": ["cites", "site"],
    "tags": ["tag"],
    "entity": ["entities"],
    "person": ["people"],
    "org": ["organisation", "organization"],
    "place": ["places"],
    "group": ["groups"],
}


def build_schema():
    """The Whoosh schema (imported here: the reader starts without Whoosh, see index.py)."""
    from whoosh import fields

    from .analysis import FastCharacters, folding_analyzer
    from .text_column import ColumnText

    # Every text field folds case, accents and compatibility forms (folding.py): erdogan finds Erdoğan.
    stem = folding_analyzer()
    # Notes are mostly citations: split URLs into words so `footnote:reuters` finds reuters.com links.
    note_words = folding_analyzer(r"\w+")
    names = folding_analyzer(stem=False)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        url=fields.ID(stored=True),  # normalised, to recognise links to library documents
        title=fields.TEXT(analyzer=stem, stored=True, field_boost=3.0, chars=True),
        authors=fields.TEXT(analyzer=names, stored=True),
        source=fields.TEXT(analyzer=names, stored=True),
        # Every day of the document's date or reporting period, so date queries mean "overlaps".
        date=fields.DATETIME(),
        date_start=fields.STORED(),
        date_end=fields.STORED(),
        # chars=True stores character positions: hits are located without re-tokenising.
        # The texts are kept in columns read by slices (text_column.py), not in the stored fields.
        body=ColumnText(analyzer=stem, chars=True),
        footnotes=ColumnText(analyzer=note_words, chars=True, field_boost=0.5),
        urls=fields.KEYWORD(commas=True, lowercase=False),
        domain=fields.KEYWORD(commas=True, lowercase=True),
        tags=fields.KEYWORD(commas=True, lowercase=True, stored=True, scorable=True),
        # Entities (canonical names), all types together and by type.
        entity=fields.TEXT(analyzer=names, phrase=True),
        person=fields.TEXT(analyzer=names, phrase=True),
        org=fields.TEXT(analyzer=names, phrase=True),
        place=fields.TEXT(analyzer=names, phrase=True),
        group=fields.TEXT(analyzer=names, phrase=True),
        entity_keys=fields.KEYWORD(commas=True, stored=True, scorable=True),
        # Maps body/footnote character positions back to source offsets.
        body_map=fields.STORED(),
        notes_map=fields.STORED(),
        page_starts=fields.STORED(),  # a paged document's page start offsets, so a hit can say its page
        entity_data=fields.STORED(),
        entity_parts=fields.STORED(),
    )
    for name in ("title", "body", "footnotes"):  # the same postings, written faster (see analysis.py)
        schema[name].format = FastCharacters(field_boost=schema[name].format.field_boost)
    return schema
