"""Which topic the answer is about, or None when no source matches the question well enough.

The answer speaks of one topic (the focus of the best candidate). It is accepted only when
the question's own words or concepts appear in that topic's sources; otherwise the answer
would drift to something else, and saying "no trustworthy answer" is better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_EN_PLUS

from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer.relevance import logit
from healthqa.answer.subject import holds_words
from healthqa.records import Candidate, Passage, Question
from healthqa.retrieval.lexical import stem_words, tokenize

# Words that say what kind of question it is, not what it is about.
GENERIC_WORDS = frozenset(
    tokenize(
        [
            "what why how when who which where can could should would does do cause causes "
            "treat treatment cure help helps symptom symptoms sign signs prevent risk best good "
            "bad normal get take long know need want tell information question please doctor "
            "thing things way ways people person body pain feel like night day time my "
            # the words of asking, not of the subject
            "information info issue issues position subject matter obtain trying try send "
            "particular product specializes specialist health term much many problem problems "
            "diagnose diagnosed diagnosis"
        ]
    )[0]
)
# Everyday words for what a topic's name calls by its medical word ("my knees hurt" names
# "Knee pain"). Our own short list of the commonest pairs, checked on the dev questions.
LAY_WORDS = {
    stem_words([lay])[0]: stem_words([medical])[0]
    for lay, medical in {
        "hurt": "pain",
        "hurts": "pain",
        "ache": "pain",
        "aches": "pain",
        "aching": "pain",
        "sore": "pain",
        "pee": "urine",
        "peeing": "urination",
        "poop": "stool",
        "tummy": "stomach",
        "belly": "stomach",
        "baby": "infant",
        "babies": "infant",
        "kid": "child",
        "kids": "children",
    }.items()
}
# How far down the candidates a topic that the question names is looked for.
TOPIC_DEPTH = 30
# bm25s's longer English list (179 words; the index itself drops only its 33 basic ones).
STOP_STEMS = frozenset(stem_words(list(STOPWORDS_EN_PLUS)))
# A topic the question does not name by a known concept still fits when its passage holds
# this share of the question's content words, weighted by IDF (checked on the dev questions).
MIN_CONTENT_COVERAGE = 0.6
MIN_COVERED_WORDS = 2
# ... and, with semantic search on, its question reads at least this close to the user's
# (cosine; "transmission problem" shares a stem with "Transmissible ..." at 0.18).
MIN_DENSE_SUPPORT = 0.3
# As frequent as this in English (Zipf scale), a word alone does not name a health topic.
EVERYDAY_ZIPF = 3.0
# Rarer than this, a word is a technical name ("MTHFR" 1.5, "G6PD"): sharing it names the topic.
TECHNICAL_ZIPF = 2.0
# Both halves of a compound name this frequent are words of their own ("ribcage", "heartburn").
COMPOUND_PART_ZIPF = 3.0
MIN_COMPOUND_PART = 3
# How many of the best-ranked passages the question may describe.
DESCRIBED_DEPTH = 5
# IDF of stemmed words in a collection's passages (retrieval.lexical.CollectionsLexicon.idf):
# a passage's coverage is weighed by its own collection's statistics, not the whole index's.
CollectionIdf = Callable[[set[str], str], dict[str, float]]


@dataclass(frozen=True)
class Topic:
    focus: str
    doc_id: str
    names: frozenset[str] = frozenset()


def make_topic(question: Question, passage, candidates: list[Candidate]) -> Topic:
    """The topic with the names a sentence from another page must use to be about it: its
    own, the question's words for it, and the focus of another site's page on the same thing
    (MedlinePlus "Bad Breath" is A.D.A.M.'s "Breath odor", synonym "Bad breath")."""
    own = {passage.focus, *passage.synonyms}
    keys = {phrase_key(n) for n in own}
    said = {t.text for t in question.terms if not t.weak and phrase_key(t.concept) in keys}
    same = {
        c.passage.focus
        for c in candidates
        if keys & {phrase_key(n) for n in (c.passage.focus, *c.passage.synonyms)}
    }
    names = own | said | same
    return Topic(passage.focus, passage.doc_id, frozenset(n.lower() for n in names if len(n) > 2))


def question_words(question: Question) -> set[str]:
    """The stems of what is asked, everyday words also read as their medical word."""
    stems = set(tokenize([question.summary or question.text])[0])
    return stems | {LAY_WORDS[s] for s in stems if s in LAY_WORDS}


def content_words(question: Question) -> set[str]:
    """What the question is about: its stems, everyday words replaced by medical ones."""
    stems = question_words(question) - LAY_WORDS.keys()
    return stems - GENERIC_WORDS - STOP_STEMS


def choose_topic(
    question: Question, candidates: list[Candidate], idf: CollectionIdf
) -> Topic | None:
    """The best-ranked candidate whose topic the question names; else the top candidate, if
    the question's own words describe it well enough."""
    if not candidates:
        return None
    named = named_section(question, candidates)
    if named is not None:
        return named
    strong = [t for t in question.terms if not t.weak]
    focus_keys = {phrase_key(t.concept) for t in strong}
    for candidate in candidates[:TOPIC_DEPTH]:
        if phrase_key(candidate.passage.focus) in focus_keys:
            return make_topic(question, candidate.passage, candidates)
    if strong:
        top = candidates[0].passage
        term_words = set(tokenize([" ".join(t.text for t in strong)])[0])
        return (
            make_topic(question, top, candidates)
            if term_words & _words(top, with_text=True)
            else None
        )
    # No medical concept the vocabularies know: the question's own words must both name the
    # topic and be mostly found in its text ("best pizza in town" shares only "town" with
    # "Townes-Brocks syndrome").
    asked = question_words(question)
    words = content_words(question)
    for candidate in candidates[:DESCRIBED_DEPTH]:
        passage = candidate.passage
        weights = idf(words, passage.collection)
        total = sum(weights.values())
        covered = words & _words(passage, with_text=True)
        if _names_topic(asked, words, passage) or (
            words & _words(passage)
            and len(covered) >= min(MIN_COVERED_WORDS, len(words))
            and sum(weights[w] for w in covered) >= MIN_CONTENT_COVERAGE * total
            and candidate.scores.get("dense", 1.0) >= MIN_DENSE_SUPPORT
        ):
            return make_topic(question, passage, candidates)
    return None


def named_section(question: Question, candidates: list[Candidate]) -> Topic | None:
    """The best-ranked candidate whose section the question names (`names_section`)."""
    words = content_words(question)
    for candidate in candidates[:TOPIC_DEPTH]:
        if names_section(words, candidate.passage):
            return make_topic(question, candidate.passage, candidates)
    return None


def names_section(words: set[str], passage) -> bool:
    """The question names a section of a page and the page: every word of the section's own
    heading ("what are the inactive ingredients in the cough syrup": a drug label's "Inactive
    ingredients") and a word of the page's title ("... Cold and Cough") that the heading does
    not hold. A heading of question words only ("Causes", "Treatment") names nothing; MedQuAD's
    answers have no heading, so this picks only a collection's page section."""
    heading = _content(passage.section)
    if not heading or not heading <= words:
        return False
    return bool((_content(passage.title) - heading) & words)


def _content(text: str) -> set[str]:
    return set(tokenize([text])[0]) - GENERIC_WORDS - STOP_STEMS if text else set()


def candidate_relevance(
    question: Question,
    candidates: list[Candidate],
    idf: CollectionIdf,
    depth: int,
) -> list[tuple[Candidate, dict[str, float]]]:
    """The first `depth` candidates with the signals the relevance model reads."""
    asked = question_words(question)
    words = content_words(question)
    focus_keys = {phrase_key(t.concept) for t in question.terms if not t.weak}
    best_lexical: dict[str, float] = {}  # BM25 scores compare within a collection only
    for c in candidates:
        best = best_lexical.get(c.passage.collection, 0.0)
        best_lexical[c.passage.collection] = max(best, c.scores.get("lexical", 0.0))
    found = []
    for rank, candidate in enumerate(candidates[:depth]):
        passage = candidate.passage
        best = best_lexical[passage.collection]
        weights = idf(words, passage.collection)
        total = sum(weights.values()) or 1.0
        covered = words & _words(passage, with_text=True)
        features = {
            "rerank_logit": logit(candidate.scores.get("rerank", candidate.score)),
            "dense": candidate.scores.get("dense", math.nan),
            "lexical_share": candidate.scores.get("lexical", 0.0) / best if best > 0 else 0.0,
            "coverage": sum(weights[w] for w in covered) / total if words else 0.0,
            "name_words": float(len(words & _words(passage))),
            "names_topic": float(_names_topic(asked, words, passage)),
            "focus_named": float(phrase_key(passage.focus) in focus_keys),
            "log_rank": math.log1p(rank),
        }
        found.append((candidate, features))
    return found


def topic_named(
    question: Question, keys: frozenset[str], candidates: list[Candidate]
) -> Topic | None:
    """The best-ranked candidate whose focus has one of these names (phrase keys), or holds
    every word of one of two or more words ("shingles vaccine": "Shingles (Zoster) Vaccine"):
    the page on what the question asks about, when another topic it names ranked first."""
    for candidate in candidates[:TOPIC_DEPTH]:
        focus = candidate.passage.focus
        if phrase_key(focus) in keys or holds_words(focus, keys):
            return make_topic(question, candidate.passage, candidates)
    return None


def shares_name(question: Question, passage: Passage) -> bool:
    """At least half the words of one of the passage's topic names (generic words left out)
    are the question's: for a bag of names, where every word is already a name ("parkinson"
    names "Parkinson's Disease"; "hospital" does not name "How to choose the best hospital for
    surgery")."""
    words = content_words(question)
    for name in (passage.focus, *passage.synonyms):
        stems = {w.stem for w in _name_words(name)} - GENERIC_WORDS
        if stems and 2 * len(stems & words) >= len(stems):
            return True
    return False


def _names_topic(asked: set[str], words: set[str], passage) -> bool:
    """The question uses one of the topic's names: all the words of a name of two or more
    words, in any order ("my breath smells bad": "Bad Breath"; "rib cage pain": "Ribcage
    pain"), or at least half of them with one not an everyday English word, or one technical
    word ("G6PD" in a long story names "G6PD deficiency"; "boil" in "how long to boil an egg"
    does not name furunculosis)."""
    for name in (passage.focus, *passage.synonyms):
        name_words = _name_words(name)
        if len(name_words) >= 2 and all(
            word.stem in asked or (word.parts and word.parts <= asked) for word in name_words
        ):
            return True
        by_stem = {w.stem: w.surface for w in name_words if w.stem not in GENERIC_WORDS}
        shared = by_stem.keys() & words
        rarity = [max(_zipf(by_stem[s]), _zipf(s)) for s in shared]
        if any(r < TECHNICAL_ZIPF for r in rarity) or (
            by_stem and 2 * len(shared) >= len(by_stem) and any(r < EVERYDAY_ZIPF for r in rarity)
        ):
            return True
    return False


@dataclass(frozen=True)
class _NameWord:
    surface: str
    stem: str
    parts: frozenset[str]  # stems of a compound's parts ("ribcage": rib, cage), else empty


@lru_cache(maxsize=20_000)
def _name_words(name: str) -> tuple[_NameWord, ...]:
    """A topic name's words, stop words left out."""
    surface = re.findall(r"[a-z0-9]+", name.lower())
    return tuple(
        _NameWord(word, stem, frozenset(stem_words(list(_compound_parts(word)))))
        for word, stem in zip(surface, stem_words(surface), strict=True)
        if stem not in STOP_STEMS
    )


def _compound_parts(word: str) -> tuple[str, ...]:
    for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
        head, tail = word[:cut], word[cut:]
        if min(_zipf(head), _zipf(tail)) >= COMPOUND_PART_ZIPF:
            return head, tail
    return ()


@lru_cache(maxsize=50_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _words(passage, with_text: bool = False) -> set[str]:
    described = " ".join([passage.focus, *passage.synonyms, passage.asks])
    words = set(tokenize([f"{described} {passage.text}" if with_text else described])[0])
    return words.union(*(w.parts for w in _name_words(passage.focus)))


def topic_candidates(
    topic: Topic,
    candidates: list[Candidate],
    family: Callable[[str], list[Candidate]],
    same_concept: list[Candidate] | None = None,
) -> list[Candidate]:
    """The ranked candidates on this topic, the rest of their source articles (`family` gives
    every passage of the article holding an answer id), the passages of the same concept's
    pages on other sites (`same_concept`), then other candidates that name the topic (the
    composer quotes only their sentences that do)."""
    keys = {phrase_key(n) for n in topic.names}
    on_topic = [c for c in candidates if phrase_key(c.passage.focus) in keys]
    seen = {c.passage.id for c in on_topic}
    article = []
    for doc_id in dict.fromkeys([topic.doc_id, *(c.passage.doc_id for c in on_topic)]):
        article += [c for c in family(doc_id) if c.passage.id not in seen]
        seen |= {c.passage.id for c in article}
    article += [c for c in same_concept or () if c.passage.id not in seen]
    seen |= {c.passage.id for c in article}
    mentions = [
        c
        for c in candidates
        if c.passage.id not in seen and any(n in c.passage.text.lower() for n in topic.names)
    ]
    return on_topic + article + mentions
