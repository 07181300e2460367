"""People: a title before a name, a name without a title (a known given name or a name-like
context), and one canonical name per person in a document (a surname alone means the full name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

import ahocorasick

from .gazetteer import Gazetteer
from .words import (
    NOT_NAMES,
    ORG_CUES,
    PLACE_CUES,
    TOKEN,
    Candidate,
    after_word,
    is_name_token,
    sentence_start,
    strip_possessive,
)

# Lower-case words for what a person does ("finance minister Theo Waigel", "striker Niall
# Quinn"): they name far more than people ("rival Microsoft"), so what follows one is a person
# only when it is two name words at least.
ROLE_CUES = frozenset(
    {
        "president",
        "minister",
        "secretary",
        "chairman",
        "chairwoman",
        "governor",
        "senator",
        "director",
        "chief executive",
        "executive",
        "analyst",
        "economist",
        "lawyer",
        "attorney",
        "prosecutor",
        "judge",
        "candidate",
        "nominee",
        "challenger",
        "coach",
        "manager",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "captain",
        "skipper",
        "champion",
        "finalist",
        "winner",
        "compatriot",
        "countryman",
        "team-mate",
        "teammate",
        "batsman",
        "bowler",
        "opener",
        "pitcher",
        "quarterback",
        "editor",
        "author",
        "writer",
        "actor",
        "actress",
        "singer",
        "veteran",
        "newcomer",
        "seed",
    }
)
PERSON_CUES = sorted(
    {
        "President",
        "Vice President",
        "Prime Minister",
        "Deputy Prime Minister",
        "Foreign Minister",
        "Defense Minister",
        "Defence Minister",
        "Interior Minister",
        "Finance Minister",
        "Minister",
        "Secretary",
        "Press Secretary",
        "Secretary of State",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "spokesperson",
        "spokesman",
        "Advisor",
        "Adviser",
        "adviser",
        "advisor",
        "envoy",
        "Envoy",
        "Ambassador",
        "ambassador",
        "Chancellor",
        "Brigadier General",
        "General",
        "Colonel",
        "Commander",
        "Admiral",
        "Senator",
        "Governor",
        "Mayor",
        "King",
        "Queen",
        "Prince",
        "Emir",
        "Sheikh",
        "Chairman",
        "Chairwoman",
        "Speaker",
        "Director",
        "Dr.",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Pope",
        "Patriarch",
        "Ayatollah",
        "Lieutenant",
        "Marshal",
        "leader",
        "Leader",
        "Premier",
        "Sultan",
        "Crown Prince",
        "Vice-President",
        "Vice Premier",
        "Deputy",
        "Secretary-General",
        "Secretary General",
        "Chancellor of the Exchequer",
        "Chief Executive",
        "Cardinal",
        "Archbishop",
        "Bishop",
        "Rabbi",
        "Imam",
        "Reverend",
        "Rev.",
        "Judge",
        "Justice",
        "Sir",
        "Lord",
        "Lady",
        "Dame",
        "Captain",
        "Sergeant",
        "Professor",
        "Prof.",
        "Gen.",
        "Col.",
        "Lt.",
        "Capt.",
        "Sgt.",
        "Sen.",
        "Rep.",
        "Gov.",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        *ROLE_CUES,
    },
    key=len,
    reverse=True,
)
TITLE_WORDS = frozenset(cue.split()[-1] for cue in PERSON_CUES)


def _is_title(word: str) -> bool:
    """A title word, hyphened ones too by their last part ("Lieutenant-Colonel", "Vice-President")."""
    return word in TITLE_WORDS or word.rsplit("-", 1)[-1] in TITLE_WORDS


# Where a run of capitalised words may start: one, then a space (or an initial's point) and another.
# Zero-width, so "Russian Boris Yeltsin" gives both "Russian" and "Boris".
_CAPITALISED_PAIR = re.compile(r"(?<![\w'’.-])(?=[A-Z][\w'’-]*(?: |\. )[A-Z])")
# After a person's name: an age, a verb of saying, or a country in brackets (sports results).
_NAME_BEFORE = re.compile(r"[A-Z][\w'’.-]* $")
_CUE_TAIL = re.compile(r",?\s+")
_AGE = re.compile(r", \d{1,3},")
_AGED = re.compile(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?), \d{1,3},(?!\d)")
_NAME_CONTEXT = re.compile(
    r"(?:, \d{1,3},| (?:said|says|told|added|asked)\b| \((?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|[A-Z](?:\.[A-Z])+\.)\))"
)


@functools.cache
def given_names() -> dict[str, bool]:
    """Given names the name rule knows (1990 US Census lists, see tools/build_gazetteer.py), each
    with whether it is also an English word (``May``, ``Will``, ``So``)."""
    text = resources.files("tuireader.entities").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    names = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, mark = line.partition(" ")
            names[name] = mark == "*"
    return names


def _words_from(text: str, at: int, most: int = 5) -> list[tuple[int, int, str]]:
    """The tokens from ``at`` on that a name run may take: each after one space, or after an
    initial's point and a space (what ``_name_run`` accepts between two words)."""
    words: list[tuple[int, int, str]] = []
    pos = at
    while len(words) < most and (m := TOKEN.match(text, pos)) is not None:
        words.append((m.start(), m.end(), m.group()))
        end = m.end()
        if text.startswith(" ", end):
            pos = end + 1
        elif end - m.start() == 1 and text.startswith(". ", end):
            pos = end + 2
        else:
            break
    return words


class PersonRules:
    """The rules that find people in a part's text, with the gazetteer to tell a person's name
    from a place's or an organisation's."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.given_names = given_names()
        # A title cue is found by the automaton first: the regex alone tried its 60 titles at
        # most places of every paragraph (0.35 ms an article).
        self._cue_re = re.compile(r"(?:" + "|".join(re.escape(c) for c in PERSON_CUES) + r"),?\s+")
        self._cue_starts = ahocorasick.Automaton()
        for cue in PERSON_CUES:
            self._cue_starts.add_word(cue, len(cue))
        self._cue_starts.make_automaton()

    def title_persons(self, text: str) -> list[Candidate]:
        found = []
        for cue, pos in self.title_cue_ends(text):
            tokens = []
            for t in TOKEN.finditer(text, pos):
                if t.start() != pos:
                    break
                word, possessive = strip_possessive(t.group())
                if not is_name_token(word) or word in ORG_CUES or word in PLACE_CUES:
                    break
                tokens.append((t.start(), t.start() + len(word)))
                if possessive or len(tokens) == 4:
                    break
                gap = re.match(r"[ ]+", text[t.end() :])
                if not gap:
                    break
                pos = t.end() + gap.end()
            tokens = self._after_titles(text, tokens)
            if cue in ROLE_CUES and len(tokens) < 2:
                continue
            if tokens:
                start, end = tokens[0][0], tokens[-1][1]
                name = text[start:end]
                entry = self.gazetteer.lookup(name)
                if entry is None and cue in ROLE_CUES:
                    entry = self.gazetteer.lookup(text[start : tokens[0][1]])
                if entry is not None and entry.type != "PERSON":
                    continue  # "President Turkey", "coach Real Madrid"? a place or group, not a person
                found.append(Candidate(start, end, entry.name if entry else name, "PERSON", "title-cue", 3))
        return found

    def _after_titles(self, text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The name after more titles in the run: "spokesman Lieutenant-Colonel Max Marriner",
        "airport General Director Ljubomir Acimovic", "its leader, Bosnian President Alija
        Izetbegovic" (a nationality before a title is the title's). The last word is kept."""
        first = 0
        while first < len(tokens) - 1:
            word = text[tokens[first][0] : tokens[first][1]]
            following = text[tokens[first + 1][0] : tokens[first + 1][1]]
            if _is_title(word):
                first += 1
            elif _is_title(following) and first + 2 < len(tokens) and self._is_group(word):
                first += 2
            else:
                break
        return tokens[first:]

    def _is_group(self, word: str) -> bool:
        entry = self.gazetteer.lookup(word)
        return entry is not None and entry.type == "GROUP"

    def named_persons(self, text: str) -> list[Candidate]:
        """Capitalised words that name a person without a title: a run that starts with a known
        given name (``Madeleine Albright``), or one in a name-like context: followed by an age
        (``Boris Yeltsin, 65,``), by ``said``/``told``, or by a country in brackets as in results
        (``Jansher Khan (Pakistan)``). Never a run that starts a sentence without a given name."""
        found: list[Candidate] = []
        pairs = [m.start() for m in _CAPITALISED_PAIR.finditer(text)]  # a name has two words at least
        if not pairs:
            return found
        done = 0  # text before this belongs to a run already read
        for at in pairs:
            if at < done:
                continue
            # the words from here, not the paragraph's every token: most paragraphs have few pairs
            tokens = _words_from(text, at)
            run = self._name_run(text, tokens, 0) if tokens else None
            if not run:
                continue
            first, last = run
            done = tokens[last][1]
            start, end = tokens[first][0], tokens[last][1]
            word, possessive = strip_possessive(tokens[last][2])
            end = tokens[last][0] + len(word)
            if possessive and last == first:
                continue
            name = text[start:end]
            entry = self.gazetteer.lookup(name)
            if entry is not None:
                if entry.type == "PERSON":
                    found.append(Candidate(start, end, entry.name, "PERSON", "name", 2))
                continue
            words = name.split()
            if len(words) < 2:
                continue
            if len(words) > 2 and any(
                (e := self.gazetteer.lookup(" ".join(pair))) is not None and e.type != "PERSON"
                for pair in (words[:2], words[-2:])
            ):
                continue  # "Hong Kong Open": a place's name inside, not a person's
            at_start = sentence_start(text, start)
            is_word = self.given_names.get(tokens[first][2])
            given = is_word is False or (is_word is True and not at_start)
            if len(tokens[first][2]) == 1:
                # an initial and a surname ("S. Waugh", "M. Gatting"), not "S. Africa"
                surname = self.gazetteer.lookup(words[-1])
                given = len(words[-1]) > 1 and not words[-1].isupper() and (surname is None or surname.type == "PERSON")
            if not given:
                context = _NAME_CONTEXT.match(text, end)
                # a result line starts with the name: "Jansher Khan (Pakistan) beat ..."
                if context is None or (at_start and not context.group().startswith(" (")):
                    continue
            found.append(Candidate(start, end, name, "PERSON", "name", 2))
        return found

    def aged_persons(self, text: str) -> list[Candidate]:
        """One capitalised word with an age after it, ``Duran, 45, takes on ...``: a person
        (the gazetteer's places and groups, and the words that start sentences, are not)."""
        found: list[Candidate] = []
        if _AGE.search(text) is None:
            return found
        for m in _AGED.finditer(text):
            name = m.group(1)
            if after_word(text, m.start(), "-.") or name in NOT_NAMES or name in TITLE_WORDS or len(name) < 3:
                continue
            if _NAME_BEFORE.search(text, max(0, m.start() - 20), m.start()):
                continue  # "Samer Ammar Soliman, 42,": the name rule reads the whole name
            entry = self.gazetteer.lookup(name)
            if entry is None or entry.type == "PERSON":
                found.append(Candidate(m.start(1), m.end(1), entry.name if entry else name, "PERSON", "name", 2))
        return found

    def _name_run(self, text: str, tokens: list[tuple[int, int, str]], n: int) -> tuple[int, int] | None:
        """The run of up to four name words from token ``n`` (``George W. Bush`` included)."""
        tok = tokens[n][2]
        initial = len(tok) == 1 and text.startswith(". ", tokens[n][1])
        if not is_name_token(tok) or _is_title(tok) or (tok.isupper() and not initial):
            return None
        entry = self.gazetteer.lookup(strip_possessive(tok)[0])
        if entry is not None and entry.type != "PERSON":
            return None  # "Russian Boris Yeltsin": the run starts after the group word
        last = n
        while last + 1 < len(tokens) and last - n < 3:
            gap = text[tokens[last][1] : tokens[last + 1][0]]
            nxt = tokens[last + 1][2]
            single = len(tokens[last][2]) == 1
            if strip_possessive(tokens[last][2])[1]:
                break
            if not (gap == " " or (single and gap == ". ")):
                break
            if not is_name_token(nxt) or nxt.isupper() and len(nxt) > 1:
                break
            word = strip_possessive(nxt)[0]
            if word in ORG_CUES or word in PLACE_CUES or _is_title(word):
                return None  # an organisation or a place: the cue rules read it
            entry = self.gazetteer.lookup(word)
            if entry is not None and entry.type in ("GROUP", "ORG"):
                break
            last += 1
        return (n, last) if last > n or len(tokens[n][2]) > 1 else None

    def title_cue_ends(self, text: str) -> Iterator[tuple[str, int]]:
        """Each title cue and where it ends with its comma and spaces: the matches of ``_cue_re``
        not after a word character or hyphen, as finditer would give them."""
        # The automaton says which cues start where; only the tail is a regex. ``_cue_re.match``
        # tried its 130 titles one after another at each place (half the rule's time).
        at: dict[int, list[int]] = {}
        for end, length in self._cue_starts.iter(text):
            at.setdefault(end - length + 1, []).append(length)
        pos = 0
        for start in sorted(at):  # a match can begin only where a cue does
            if start < pos or after_word(text, start, "-"):
                continue
            for length in sorted(at[start], reverse=True):  # the longest cue first, as the regex tries them
                m = _CUE_TAIL.match(text, start + length)
                if m is not None:
                    yield text[start : start + length], m.end()
                    pos = m.end()
                    break

    @staticmethod
    def merge_people(persons: dict[str, str]) -> dict[str, str]:
        """A one-word name that is the last word of a longer one means that person."""
        merged = dict(persons)
        fulls = [n for n in persons.values() if len(n.split()) >= 2]
        for surface, canonical in persons.items():
            if len(canonical.split()) == 1:
                matches = [f for f in fulls if f.split()[-1] == canonical]
                if len(set(matches)) == 1:
                    merged[surface] = matches[0]
        return merged
