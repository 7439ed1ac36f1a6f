"""Typos in health words ("Gabamentine", "diahrrea", "Beckwith-Wieddeman") corrected to the
nearest word the sources use, so that both the vocabulary and the search can find them.

Only words that are neither in the sources, nor ordinary English, nor a name the vocabulary
knows (a drug the sources have no text on: "amoxicillin" is not a typo of "ampicillin") are
touched, and only within a small edit distance; the most frequent of the nearest corpus words
wins.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

MIN_WORD_CHARS = 5
# A word at least this frequent in English is spelled as meant ("uprate" is not, at 1.2).
ENGLISH_ZIPF = 2.5
# Below this, an English word is often a surname ("Ricketts", 2.64): it is still corrected, but
# only by a doubled or undoubled letter; any edit at 3.0 turned "garcinia" into "garcia" and
# "overjoyed" into "overdosed" in MeQSum questions.
RARE_ENGLISH_ZIPF = 3.0
_WORD = re.compile(r"[A-Za-z][a-z]+|[A-Z]+")
_LETTERS = re.compile(r"[A-Za-z]+")
# A capital inside a word ("PerioMed", "iPhone"): a name written as its maker spells it.
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")


def max_distance(word: str) -> int:
    # Two edits turn a short rare name into a common word ("Schmorl" -> "school").
    return 1 if len(word) <= 7 else 2


def count_words(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in _WORD.findall(text) if len(w) >= MIN_WORD_CHARS - 1)
    return counts


def save_words(db: sqlite3.Connection, counts: Counter[str]) -> None:
    db.execute("create table word (word text primary key, first text, count integer) without rowid")
    db.executemany("insert into word values (?, ?, ?)", ((w, w[0], c) for w, c in counts.items()))


class SpellingCorrector:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._by_first = lru_cache(maxsize=64)(self._load_first)
        self._drugs_by_first = lru_cache(maxsize=64)(self._load_drugs)
        self._two_word_drugs = lru_cache(maxsize=1024)(self._load_two_word_drugs)

    @classmethod
    def open(cls, path) -> SpellingCorrector:
        return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    def _load_first(self, first: str) -> dict[str, int]:
        rows = self._db.execute("select word, count from word where first = ?", (first,))
        return dict(rows.fetchall())

    def _load_drugs(self, first: str) -> frozenset[str]:
        """The one-word drug names of the phrase table that start with `first` (none in a
        words-only database, as a corrector built without the vocabulary has)."""
        columns = {r[1] for r in self._db.execute("pragma table_info(phrase)")}
        if "drugs" not in columns:
            return frozenset()
        rows = self._db.execute(
            "select drugs from phrase where key >= ? and key < ? and drugs != ''",
            (first, chr(ord(first) + 1)),
        )
        names = (n for (joined,) in rows for n in joined.split("|"))
        return frozenset(n for n in names if n.isalpha() and n.startswith(first))

    def _load_two_word_drugs(self, first: str) -> tuple[str, ...]:
        """The second words of the two-word drug names of the phrase table whose first word is
        `first` ("cambogia" of "garcinia cambogia")."""
        columns = {r[1] for r in self._db.execute("pragma table_info(phrase)")}
        if "drugs" not in columns:
            return ()
        rows = self._db.execute(
            "select drugs from phrase where key >= ? and key < ? and drugs != ''",
            (first[:4], first[:4] + "\uffff"),  # a stemmed key keeps a word's first letters
        )
        names = (n.lower().split() for (joined,) in rows for n in joined.split("|"))
        return tuple(sorted({n[1] for n in names if len(n) == 2 and n[0] == first}))

    def known(self, word: str) -> bool:
        return word in self._by_first(word[0])

    def correct_word(self, word: str, is_name: Callable[[str], bool] | None = None) -> str:
        """`is_name`: whether the vocabulary knows the word as a name (then it is kept)."""
        lower = word.lower()
        if len(lower) < MIN_WORD_CHARS or not lower.isalpha() or self.known(lower):
            return word
        english = zipf_frequency(lower, "en")
        if english >= RARE_ENGLISH_ZIPF:
            return word
        if english >= ENGLISH_ZIPF:
            return self._double_letter_fix(lower) or word
        if is_name is not None and is_name(lower):
            return word
        words = self._by_first(lower[0])
        limit = max_distance(lower)
        matches = process.extract(
            lower, words.keys(), scorer=Levenshtein.distance, score_cutoff=limit, limit=5
        )
        if not matches:
            return self._drug_name(lower, limit) or word
        nearest = min(m[1] for m in matches)
        drugs = [m for m in matches if m[1] == nearest and m[0] in self._drugs_by_first(lower[0])]
        if drugs:  # as near as any word of the sources, a drug name: "floride" is "fluoride"
            return min(drugs, key=lambda m: -words[m[0]])[0]
        return min(matches, key=lambda m: (m[1], -words[m[0]]))[0]

    def _drug_name(self, lower: str, limit: int) -> str | None:
        """The nearest drug name the vocabulary knows, when no word of the sources is near: a
        brand the sources have no text on ("tecfedera" -> "tecfidera") is still the drug."""
        found = process.extract(
            lower,
            self._drugs_by_first(lower[0]),
            scorer=Levenshtein.distance,
            score_cutoff=limit,
            limit=5,
        )
        return min(found, key=lambda m: (m[1], m[0]))[0] if found else None

    def _double_letter_fix(self, lower: str) -> str | None:
        """The most frequent corpus word that is `lower` with one letter doubled or undoubled."""
        words = self._by_first(lower[0])
        doubled = range(1, len(lower))
        variants = {lower[:i] + lower[i + 1 :] for i in doubled if lower[i] == lower[i - 1]}
        variants |= {lower[: i + 1] + lower[i:] for i in range(len(lower))}
        found = [v for v in variants if v in words]
        return max(found, key=words.get) if found else None

    def correct(self, text: str, is_name: Callable[[str], bool] | None = None) -> str:
        """Each word corrected; a word with a capital inside ("iPerioMed") is a name as
        written, not two words to correct ("Perio" is no typo of "period")."""
        return _LETTERS.sub(lambda m: self._correct_run(m.group(0), is_name), text)

    def _correct_run(self, run: str, is_name: Callable[[str], bool] | None) -> str:
        if _INNER_CAPITAL.search(run):
            return run
        return _WORD.sub(lambda m: self.correct_word(m.group(0), is_name), run)

    def respell_drug_names(self, text: str) -> str:
        """A drug name of two words written with its first word right and a near miss for the
        second: "garcinia cambodia" is "garcinia cambogia", although "cambodia" is a word.
        The first word must be no everyday English word (zipf < RARE_ENGLISH_ZIPF: "vitamin"
        and "fish" are, and "vitamin c" is not a typo of "vitamin d"), both words at least
        MIN_WORD_CHARS long, and the second within the speller's edit distance of the name's."""
        words = list(_LETTERS.finditer(text))
        out, done = [], 0
        for first, second in zip(words, words[1:], strict=False):
            if text[first.end() : second.start()].isspace():
                right = self._second_word(first.group(0).lower(), second.group(0).lower())
                if right is not None:
                    out += [text[done : second.start()], right]
                    done = second.end()
        return "".join(out) + text[done:]

    def _second_word(self, first: str, wrong: str) -> str | None:
        if min(len(first), len(wrong)) < MIN_WORD_CHARS:
            return None
        if zipf_frequency(first, "en") >= RARE_ENGLISH_ZIPF:
            return None
        seconds = self._two_word_drugs(first)
        if not seconds or wrong in seconds:
            return None
        found = process.extract(
            wrong, seconds, scorer=Levenshtein.distance, score_cutoff=max_distance(wrong), limit=5
        )
        return min(found, key=lambda m: (m[1], m[0]))[0] if found else None
