"""The peers of bench_search.py --peers: tantivy and SQLite FTS5 on the same corpus, and the query mixes.

Every engine indexes the same three fields of each article -- title, body,
notes -- with English stemming, and answers the same queries for the top 10
with a snippet.  The queries are drawn from the corpus itself (a sample of its
documents): single words by how many documents hold them, 2- and 3-word
phrases cut from real sentences, 3- and 4-letter prefixes, one-letter typos.
Stop words are left out of them (Whoosh's stemming analyzer drops them, the
peers' tokenizers do not, so the engines would not be answering the same
question).  tantivy comes from the optional ``bench`` extra
(``pip install -e '.[bench]'``); SQLite FTS5 from Python's standard library.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

_WORD = re.compile(r"\w+")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Whoosh's STOP_WORDS (whoosh.analysis), spelt out so the mix is the same without importing it
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we when "
    "will with yet you your".split()
)
TOP = 10
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "notes": 0.5}  # as tuireader's schema (footnotes: 0.5)


def split_article(text: str) -> tuple[str, str, str]:
    """(title, body, notes) of a generated article: the first line, the paragraphs before the
    first footnote, the footnotes (paragraphs from the first one starting with a superscript number)."""
    title, _, rest = text.partition("\n")
    paragraphs = rest.split("\n\n")
    first_note = next((i for i, p in enumerate(paragraphs) if p[:1] and p[0] in _SUPERSCRIPT_DIGITS), len(paragraphs))
    return title, "\n\n".join(paragraphs[:first_note]), "\n\n".join(paragraphs[first_note:])


def articles(lib: Path) -> list[Path]:
    return sorted(lib.glob("*.txt"))


# ------------------------------------------------------------------ builds
def build_tantivy(lib: Path, index_dir: Path) -> None:
    import tantivy

    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_tantivy_schema(), path=str(index_dir))
    writer = index.writer(heap_size=128_000_000, num_threads=1)  # one thread: CPU is what is compared
    for path in articles(lib):
        title, body, notes = split_article(path.read_text(encoding="utf-8"))
        writer.add_document(tantivy.Document(id=path.stem, title=title, body=body, notes=notes))
    writer.commit()
    writer.wait_merging_threads()


def _tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    return builder.build()


def build_fts5(lib: Path, db_path: Path) -> None:
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    # prefix='3 4': the prefix indexes FTS5 offers for the 3- and 4-letter prefixes of the mix
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, notes, "
        "tokenize='porter unicode61', prefix='3 4')"
    )
    db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row')")
    rows = ((path.stem, *split_article(path.read_text(encoding="utf-8"))) for path in articles(lib))
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.close()


# ------------------------------------------------------------------ the mixes
def make_mix(lib: Path, *, seed: int = 5, sample: int = 2000) -> list[tuple[str, str]]:
    """(kind, query in tuireader's syntax) for the cold mix; the warm mix is the same queries again."""
    rng = random.Random(seed)
    paths = articles(lib)
    chosen = rng.sample(paths, min(sample, len(paths)))
    df: Counter[str] = Counter()
    sentences: list[list[str]] = []
    for path in chosen:
        title, body, _ = split_article(path.read_text(encoding="utf-8"))
        words = [w.lower() for w in _WORD.findall(body)]
        df.update(set(words) | {w.lower() for w in _WORD.findall(title)})
        if len(sentences) < 4000:
            sentences.extend(s.split() for s in body.split(". ")[:3])
    n = len(chosen)

    def usable(word: str) -> bool:
        return word.isalpha() and len(word) >= 4 and word not in STOP_WORDS

    by_share = sorted((c / n, w) for w, c in df.items() if usable(w))
    rare = [w for share, w in by_share if share * n <= max(3, 0.01 * n)]
    medium = [w for share, w in by_share if 0.02 <= share <= 0.2]
    common = [w for share, w in by_share if share > 0.5]
    mix: list[tuple[str, str]] = []
    mix += [("word, rare", w) for w in rng.sample(rare, min(15, len(rare)))]
    mix += [("word, medium", w) for w in rng.sample(medium, min(15, len(medium)))]
    mix += [("word, in > 50 %", w) for w in rng.sample(common, min(10, len(common)))]

    def phrases(length: int, count: int, words_ok: Callable[[list[str]], bool]) -> list[str]:
        found: set[str] = set()
        for _ in range(20_000):
            if len(found) >= count:
                break
            sentence = [w.strip(".,").lower() for w in rng.choice(sentences)]
            if len(sentence) < length:
                continue
            at = rng.randrange(len(sentence) - length + 1)
            words = sentence[at : at + length]
            if all(usable(w) for w in words) and words_ok(words):
                found.add('"' + " ".join(words) + '"')
        return sorted(found)

    common_set = set(common)
    mix += [("phrase, 2 words", p) for p in phrases(2, 15, lambda ws: True)]
    mix += [("phrase, 3 words", p) for p in phrases(3, 15, lambda ws: True)]
    # every word in most documents: the slow case of a phrase search (each candidate's positions checked)
    mix += [("phrase of common words", p) for p in phrases(2, 5, lambda ws: all(w in common_set for w in ws))]
    mix += [("phrase of common words", '"recep tayyip erdogan"')]
    prefix_words = [w for w in medium + common if w.isascii()]
    three = sorted({w[:3] for w in prefix_words})
    four = sorted({w[:4] for w in prefix_words if len(w) > 4})
    mix += [("prefix, 3 letters", p + "*") for p in rng.sample(three, min(10, len(three)))]
    mix += [("prefix, 4 letters", p + "*") for p in rng.sample(four, min(10, len(four)))]
    typos = []
    for w in rng.sample(medium, min(15, len(medium))):
        i = rng.randrange(1, len(w))  # the first letter kept, as tuireader's fuzzy search requires
        typos.append(w[:i] + rng.choice("aeiouy".replace(w[i], "")) + w[i + 1 :] + "~")
    mix += [("fuzzy", t) for t in typos]
    return mix


# ------------------------------------------------------------------ engines
class Tantivy:
    name = "tantivy"

    def __init__(self, index_dir: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(index_dir))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, text: str):
        t = self.tantivy
        fields = list(FIELD_BOOSTS)
        if text.endswith("~"):
            word = text[:-1]
            parts = [
                t.Query.boost_query(
                    t.Query.fuzzy_term_query(self.schema, f, word, distance=1, transposition_cost_one=True), b
                )
                for f, b in FIELD_BOOSTS.items()
            ]
            return t.Query.boolean_query([(t.Occur.Should, p) for p in parts])
        if text.endswith("*"):
            pattern = re.escape(text[:-1]) + ".*"
            parts = [
                t.Query.boost_query(t.Query.regex_query(self.schema, f, pattern), b) for f, b in FIELD_BOOSTS.items()
            ]
            return t.Query.boolean_query([(t.Occur.Should, p) for p in parts])
        return self.index.parse_query(text, fields, field_boosts=FIELD_BOOSTS)

    def search(self, text: str) -> list[str]:
        q = self._query(text)
        hits = self.searcher.search(q, TOP).hits
        snippets = self.tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "body")
        found = []
        for _, address in hits:
            doc = self.searcher.doc(address)
            snippets.snippet_from_doc(doc).to_html()
            found.append(doc["id"][0])
        return found


class Fts5:
    name = "FTS5"

    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path)
        self._vocab: dict[str, list[tuple[str, int]]] = {}

    def _words_within(self, word: str) -> list[str]:
        """FTS5 has no fuzzy search: the words one edit away, from its vocabulary, as tuireader finds them."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        first = word[0]
        if first not in self._vocab:  # one letter's words, read once, as tuireader reads them
            self._vocab[first] = self.db.execute(
                "SELECT term, doc FROM vocab WHERE term >= ? AND term < ?", (first, chr(ord(first) + 1))
            ).fetchall()
        rows = self._vocab[first]
        matches = process.extract(word, [t for t, _ in rows], scorer=OSA.distance, score_cutoff=1, limit=None)
        found = sorted(((rows[i][1], rows[i][0]) for _, _, i in matches), reverse=True)
        return [t for _, t in found[:200]]

    def _match(self, text: str) -> str | None:
        if text.endswith("~"):
            words = self._words_within(text[:-1].lower())
            return " OR ".join(f'"{w}"' for w in words) if words else None
        return text  # a word, "a phrase" and abc* are FTS5's syntax too

    def search(self, text: str) -> list[str]:
        match = self._match(text)
        if match is None:
            return []
        title, body, notes = FIELD_BOOSTS.values()
        rows = self.db.execute(
            f"SELECT id, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? "
            f"ORDER BY bm25(docs, 0, {title}, {body}, {notes}) LIMIT {TOP}",
            (match,),
        ).fetchall()
        return [r[0] for r in rows]
