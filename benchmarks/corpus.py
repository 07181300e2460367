"""A generated corpus of realistic articles: bylines, dates, superscript footnotes with
URLs, named people, places and organisations.  Deterministic for a given seed.

Like real news, each article is about a few entities: it draws 6 from a pool of
about 3,100 with a long-tailed (Zipf) popularity, the real names of the bundled
corpus among the most popular.  So the most popular entity appears in about two
thirds of the articles, the bundled corpus's organisations in 5-10%, and a
typical entity in a handful — not every entity in
every article, which would make every phrase query match the whole corpus."""

from __future__ import annotations

import random
from pathlib import Path

PEOPLE = [
    "Recep Tayyip Erdogan",
    "Kassym-Jomart Tokayev",
    "Vladimir Putin",
    "Mevlut Cavusoglu",
    "Hulusi Akar",
    "Sergey Lavrov",
    "Ilham Aliyev",
    "Shavkat Mirziyoyev",
    "Sadyr Japarov",
    "Nursultan Nazarbayev",
    "Isaac Herzog",
    "Naftali Bennett",
    "Wang Yi",
    "Jake Sullivan",
    "Ibrahim Kalin",
    "Ahmet Davutoglu",
]
PLACES = [
    "Kazakhstan",
    "Turkey",
    "Russia",
    "Azerbaijan",
    "Uzbekistan",
    "Kyrgyzstan",
    "Turkmenistan",
    "Armenia",
    "Syria",
    "Iraq",
    "Ethiopia",
    "Somalia",
    "Egypt",
    "Israel",
    "China",
    "Ankara",
    "Moscow",
    "Almaty",
    "Nur-Sultan",
    "Baku",
    "Tashkent",
    "Bishkek",
    "Central Asia",
    "the Caucasus",
    "Mogadishu",
    "Beijing",
]
ORGS = [
    "Collective Security Treaty Organization",
    "Organization of Turkic States",
    "NATO",
    "the United Nations",
    "the European Union",
    "Reuters",
    "the Turkish Armed Forces",
    "the Foreign Ministry",
    "Gazprom",
    "the Kremlin",
    "Al Shabaab",
    "the Syrian National Army",
]
DOMAINS = [
    "reuters.com",
    "twitter.com",
    "dailysabah.com",
    "aljazeera.com",
    "rferl.org",
    "eurasianet.org",
    "mfa.gov.tr",
    "kremlin.ru",
    "t.me",
    "bbc.co.uk",
    "apnews.com",
    "tass.com",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words = set()
    while len(words) < size:
        n = rng.choice((2, 2, 3, 3, 3, 4))
        words.add(
            "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(n))
            + rng.choice(("", "s", "ed", "ing", "ion"))
        )
    common = (
        "the of and to in a that is for on with as by was it at from this be are were has have said "
        "will government military security president minister talks border troops region officials"
    ).split()
    return common * 40 + sorted(words)


def _entity_pool(rng: random.Random) -> tuple[list[str], list[float]]:
    first = [
        "Anna",
        "Ezgi",
        "Vladimir",
        "Fatih",
        "Maria",
        "John",
        "Aigerim",
        "Timur",
        "Olga",
        "Murat",
        "Lena",
        "Arman",
        "Selin",
        "Ivan",
        "Nurlan",
        "Zeynep",
        "Pavel",
        "Dana",
        "Emre",
        "Yulia",
    ]
    last = [
        "Yazici",
        "Danilov",
        "Petrova",
        "Smith",
        "Karimov",
        "Cungurlu",
        "Aliyev",
        "Ozturk",
        "Ivanova",
        "Sultanov",
        "Demir",
        "Kuznetsov",
        "Bekova",
        "Arslan",
        "Orlov",
        "Abenov",
        "Kaya",
        "Sokolov",
    ]
    suffixes = ["Council", "Ministry", "Forces", "Party", "Agency", "Institute", "Front", "Union"]
    pool = list(dict.fromkeys(PEOPLE[:4] + PLACES[:6] + ORGS[:4] + PEOPLE[4:] + PLACES[6:] + ORGS[4:]))
    made = (
        [f"{f} {m}. {s}" for f in first for s in last for m in "ABCDEFGH"]  # 2,880 people
        + [f"{s} {kind}" for s in last for kind in suffixes]  # 144 bodies
        + [f"{s}abad" for s in last]
    )  # 18 places
    rng.shuffle(made)
    pool.extend(made)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(pool))]
    return pool, weights


def article(
    rng: random.Random,
    vocab: list[str],
    i: int,
    words: int = 1000,
    entities: tuple[list[str], list[float]] | None = None,
) -> tuple[str, str]:
    year = rng.choice((2019, 2020, 2021, 2022, 2023))
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    author = (
        f"{rng.choice(['Anna', 'Ezgi', 'Vladimir', 'Fatih', 'Maria', 'John', 'Aigerim', 'Timur'])} "
        f"{rng.choice(['Yazici', 'Danilov', 'Petrova', 'Smith', 'Nurlanovna', 'Karimov', 'Cungurlu'])}"
    )
    pool, weights = entities or (PEOPLE + PLACES + ORGS, [1.0] * (len(PEOPLE) + len(PLACES) + len(ORGS)))
    topic = rng.choices(pool, weights, k=6)
    place = rng.choice(topic)
    title = (
        f"{rng.choice(['Crisis in', 'Talks on', 'Report:', 'Why', 'After the unrest in'])} {place} "
        f"{rng.choice(vocab[1000:])} {rng.choice(vocab[1000:])} {i}"
    )
    paragraphs, notes, written, note_no = [], [], 0, 0
    while written < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            n = rng.randint(10, 22)
            tokens = [rng.choice(vocab) for _ in range(n)]
            pos = rng.randrange(n)
            tokens[pos] = rng.choice(topic)
            sentence = " ".join(tokens)
            sentence = sentence[0].upper() + sentence[1:] + "."
            if rng.random() < 0.3:
                note_no += 1
                sentence += str(note_no).translate(SUPERSCRIPT)
                domain = rng.choice(DOMAINS)
                notes.append(
                    f"{str(note_no).translate(SUPERSCRIPT)} {rng.choice(topic)} said so, "
                    f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}.\n\n"
                    f"<https://www.{domain}/{rng.choice(vocab[1000:])}/{rng.randint(1000, 99999)}>"
                )
            sentences.append(sentence)
            written += n
        paragraphs.append(" ".join(sentences))
    text = (
        f"{title}\nby {author} on {day} {MONTHS[month][:3]} {year}\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n"
        + "\n\n".join(notes)
        + "\n"
    )
    name = f"{year}-{month + 1:02d}-{day:02d}-article-{i:05d}.txt"
    return name, text


def generate(root: Path, count: int, *, seed: int = 7, words: int = 1000) -> Path:
    """Write ``count`` articles into ``root`` (reused when it already holds them)."""
    root.mkdir(parents=True, exist_ok=True)
    marker = root / ".generated"
    stamp = f"{count} {seed} {words} topical-v2"
    if marker.exists() and marker.read_text() == stamp:
        return root
    for old in root.glob("*.txt"):
        old.unlink()
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    entities = _entity_pool(rng)
    for i in range(count):
        name, text = article(rng, vocab, i, words, entities)
        (root / name).write_text(text, encoding="utf-8")
    marker.write_text(stamp)
    return root


def query_words(seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    vocab = [w for w in _vocabulary(random.Random(7)) if len(w) >= 5]
    return [rng.choice(vocab) for _ in range(200)]
