"""Which topic the answer is about, or None when no source matches the question well enough.

The answer speaks of one topic (the focus of the best candidate). It is accepted only when
the question's own words or concepts appear in that topic's sources; otherwise the answer
would drift to something else, and saying "no trustworthy answer" is better.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN_PLUS

from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Candidate, Question
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
            "particular product specializes specialist health term"
        ]
    )[0]
)
# How far down the candidates a topic that the question names is looked for.
TOPIC_DEPTH = 30
# bm25s's longer English list (179 words; the index itself drops only its 33 basic ones).
STOP_STEMS = frozenset(stem_words(list(STOPWORDS_EN_PLUS)))
# A topic the question does not name by a known concept still fits when its passage holds
# this share of the question's content words, weighted by IDF (checked on the dev questions).
MIN_CONTENT_COVERAGE = 0.6
MIN_COVERED_WORDS = 2
# As frequent as this in English (Zipf scale), a word alone does not name a health topic.
EVERYDAY_ZIPF = 3.0
DESCRIBED_DEPTH = 5


@dataclass(frozen=True)
class Topic:
    focus: str
    doc_id: str
    names: frozenset[str] = frozenset()


def _topic(question: Question, passage) -> Topic:
    """The topic with the names a sentence from another page must use to be about it."""
    names = {passage.focus, *passage.synonyms, *(t.text for t in question.terms)}
    return Topic(passage.focus, passage.doc_id, frozenset(n.lower() for n in names if len(n) > 2))


def content_words(question: Question) -> set[str]:
    return set(tokenize([question.summary or question.text])[0]) - GENERIC_WORDS - STOP_STEMS


def choose_topic(
    question: Question, candidates: list[Candidate], idf: Callable[[set[str]], dict[str, float]]
) -> Topic | None:
    """The best-ranked candidate whose topic the question names; else the top candidate, if
    the question's own words describe it well enough."""
    if not candidates:
        return None
    strong = [t for t in question.terms if not t.weak]
    focus_keys = {phrase_key(t.concept) for t in strong}
    for candidate in candidates[:TOPIC_DEPTH]:
        if phrase_key(candidate.passage.focus) in focus_keys:
            return _topic(question, candidate.passage)
    if strong:
        top = candidates[0].passage
        term_words = set(tokenize([" ".join(t.text for t in strong)])[0])
        return _topic(question, top) if term_words & _words(top, with_text=True) else None
    # No medical concept the vocabularies know: the question's own words must both name the
    # topic and be mostly found in its text ("best pizza in town" shares only "town" with
    # "Townes-Brocks syndrome").
    words = content_words(question)
    weights = idf(words)
    total = sum(weights.values())
    for candidate in candidates[:DESCRIBED_DEPTH]:
        passage = candidate.passage
        covered = words & _words(passage, with_text=True)
        if _names_topic(words, passage) or (
            words & _words(passage)
            and len(covered) >= min(MIN_COVERED_WORDS, len(words))
            and sum(weights[w] for w in covered) >= MIN_CONTENT_COVERAGE * total
        ):
            return _topic(question, passage)
    return None


def _names_topic(words: set[str], passage) -> bool:
    """The question uses one of the topic's names: at least half of its words, one of them
    not an everyday English word ("G6PD" in a long story names "G6PD deficiency"; "boil" in
    "how long to boil an egg" does not name furunculosis)."""
    from wordfreq import zipf_frequency

    for name in (passage.focus, *passage.synonyms):
        surface = re.findall(r"[a-z0-9]+", name.lower())
        by_stem = {
            stem: word
            for stem, word in zip(stem_words(surface), surface, strict=True)
            if stem not in GENERIC_WORDS and stem not in STOP_STEMS
        }
        shared = by_stem.keys() & words
        if (
            by_stem
            and 2 * len(shared) >= len(by_stem)
            and any(
                max(zipf_frequency(by_stem[stem], "en"), zipf_frequency(stem, "en")) < EVERYDAY_ZIPF
                for stem in shared
            )
        ):
            return True
    return False


def _words(passage, with_text: bool = False) -> set[str]:
    described = " ".join([passage.focus, *passage.synonyms, passage.question])
    return set(tokenize([f"{described} {passage.text}" if with_text else described])[0])


def topic_candidates(
    topic: Topic, candidates: list[Candidate], family: list[Candidate]
) -> list[Candidate]:
    """The ranked candidates on this topic, the rest of the topic's source article, then other
    candidates that name the topic (the composer quotes only their sentences that do)."""
    key = phrase_key(topic.focus)
    on_topic = [c for c in candidates if phrase_key(c.passage.focus) == key]
    seen = {c.passage.id for c in on_topic}
    article = [c for c in family if c.passage.id not in seen]
    seen |= {c.passage.id for c in article}
    mentions = [
        c
        for c in candidates
        if c.passage.id not in seen and any(n in c.passage.text.lower() for n in topic.names)
    ]
    return on_topic + article + mentions
