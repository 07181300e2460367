"""TermPostingsWriter writes the files Whoosh's SegmentWriter writes, byte for byte.

On a generated library (notes with links, entity names, dates, tags), both writers
index the same documents in the same commits: two segments, then updates and a
deletion that make Whoosh merge the small segments (which our writer leaves to
Whoosh's own path).  Every segment's files must be equal, and searches through
our backend (documents, order, scores, snippets, offsets, stored entities) too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh.writing import SegmentWriter

from tuireader.search.whoosh.backend import WhooshBackend, _merge_small_segments
from tuireader.search.whoosh.codec import ArrayBlockCodec
from tuireader.search.whoosh.fields import document_fields
from tuireader.search.whoosh.schema import build_schema
from tuireader.search.whoosh.segment_writer import TermPostingsWriter
from tuireader.workspace import Workspace

NAMES = ["Vladimir Putin", "Recep Tayyip Erdogan", "Kazakhstan", "Ankara", "the United Nations", "NATO"]
SITES = ["reuters.com", "www.tass.com", "eurasianet.org"]
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(1, 4)))


def _article(rng: random.Random, n: int, vocabulary: list[str]) -> str:
    notes = rng.randint(0, 3)
    paragraphs = []
    for p in range(rng.randint(1, 3)):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(5, 40))]
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(NAMES))
        text = " ".join(words).capitalize() + "."
        if p < notes:
            text += str(p + 1).translate(SUPERSCRIPT)
        paragraphs.append(text)
    lines = [
        f"{rng.choice(NAMES)} {_word(rng)} report {n}",
        f"by Ada {_word(rng).capitalize()} on {n % 28 + 1} May 2021",
    ]
    lines += ["", *paragraphs, ""]
    for k in range(notes):
        site = rng.choice(SITES)
        lines += [
            f"{str(k + 1).translate(SUPERSCRIPT)} {rng.choice(NAMES)} said so.",
            "",
            f"<https://{site}/{n}/{k}>",
            "",
        ]
    return "\n".join(lines)


def _write_library(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [_word(rng) for _ in range(150)]  # common words: postings over several blocks of 128
    folder.mkdir()
    for n in range(count):
        (folder / f"article-{n:03}.txt").write_text(_article(rng, n, vocabulary), encoding="utf-8")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The library's documents as the index's fields, in the order of the library scan."""
    root = tmp_path_factory.mktemp("lib")
    _write_library(root / "library", 40, seed=7)
    ws = Workspace(root / "library", root / "index")
    library = ws.index.library
    docs = [library.parse(entry) for entry in library.scan().documents]
    parsed = [document_fields(doc, str(doc.path), ws._mentions_to_index(doc)) for doc in docs]
    # copies under other ids, so that common words are in more than a block (128) of documents
    fields = [dict(f, id=f"{f['id']}-{k}", path=f"{f['path']}-{k}") for k in range(8) for f in parsed]
    edited = [dict(f, title=f["title"] + " revised", body=f["body"] + " border talks resumed") for f in fields[5:8]]
    return fields, edited


def _build(folder: Path, writer_class, fields, edited) -> None:
    ix = index.create_in(str(folder), build_schema())
    small = [fields[k : k + 4] for k in range(300, len(fields), 4)]
    for batch in (fields[:256], fields[256:300], *small):  # a big segment, then smaller ones
        writer = writer_class(ix, compound=False, codec=ArrayBlockCodec())
        for f in batch:
            writer.add_document(**f)
        writer.commit(merge=False)
    before = len(ix._read_toc().segments)
    writer = writer_class(ix, compound=False, codec=ArrayBlockCodec())
    for f in edited:  # updates: deletions, and the small segments merged into the new one
        writer.update_document(**f)
    writer.delete_by_term("id", fields[20]["id"])
    writer.commit(mergetype=_merge_small_segments)
    assert len(ix._read_toc().segments) < before  # merged: our postings went through Whoosh's pool


def _segment_files(folder: Path) -> list[dict[str, bytes]]:
    ix = index.open_dir(str(folder))
    segments = ix._read_toc().segments
    out = []
    for segment in segments:
        prefix = segment.make_filename("")
        out.append(
            {p.name[len(prefix) :]: p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}
            | {"deleted": bytes(sorted(segment.deleted_docs()))}
        )
    return out


@pytest.mark.long  # two builds of 320 documents, an update with a merge, and the searches on both
def test_the_files_are_whooshs_byte_for_byte_and_searches_alike(tmp_path, documents):
    fields, edited = documents
    theirs, ours = tmp_path / "whoosh", tmp_path / "ours"
    theirs.mkdir()
    ours.mkdir()
    _build(theirs, SegmentWriter, fields, edited)
    _build(ours, TermPostingsWriter, fields, edited)
    their_files, our_files = _segment_files(theirs), _segment_files(ours)
    assert len(their_files) == len(our_files) >= 2
    for mine, whooshs in zip(our_files, their_files, strict=True):
        assert sorted(mine) == sorted(whooshs)
        assert [name for name in mine if mine[name] != whooshs[name]] == []
        assert any(name.endswith(".pst") for name in mine)
    # a word in more than 128 documents of the first segment: blocks that are not a term's last
    reader = index.open_dir(str(ours)).reader()
    assert max(reader.doc_frequency("body", word) for word in reader.lexicon("body")) > 128

    a, b = WhooshBackend(theirs, []), WhooshBackend(ours, [])
    for text in [
        "putin",
        '"border talks"',
        "footnote:reuters",
        "kazakhstan revised",
        "org:nato",
        'entity:"north atlantic"',
        "ank*",
    ]:
        mine, whooshs = b.search(text, limit=20), a.search(text, limit=20)
        assert whooshs.total > 0, text
        assert mine == whooshs, text
    assert b.stored_entity_records() == a.stored_entity_records()
    a.close()
    b.close()
