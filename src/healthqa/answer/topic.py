"""Which topic the answer is about, or None when no source matches the question well enough.

The answer speaks of one topic (the focus of the best candidate). It is accepted only when
the question's own words or concepts appear in that topic's sources; otherwise the answer
would drift to something else, and saying "no trustworthy answer" is better.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Candidate, Question
from healthqa.retrieval.lexical import tokenize

# Words that say what kind of question it is, not what it is about.
GENERIC_WORDS = frozenset(
    tokenize([
        "what why how when who which where can could should would does do cause causes "
        "treat treatment cure help helps symptom symptoms sign signs prevent risk best good "
        "bad normal get take long know need want tell information question please doctor "
        "thing things way ways people person body pain feel like night day time"
    ])[0]
)
# A topic without the focus in its name still fits when its passages hold this share of the
# question's content words (checked on the dev questions).
MIN_CONTENT_COVERAGE = 0.6


@dataclass(frozen=True)
class Topic:
    focus: str
    doc_id: str


def content_words(question: Question) -> set[str]:
    return set(tokenize([question.summary or question.text])[0]) - GENERIC_WORDS


def choose_topic(question: Question, candidates: list[Candidate]) -> Topic | None:
    if not candidates:
        return None
    top = candidates[0].passage
    described = set(tokenize([" ".join([top.focus, *top.synonyms, top.question])])[0])
    topic_text = described | set(
        tokenize([" ".join(c.passage.text for c in candidates[:10] if c.passage.focus == top.focus)])[0]
    )
    if question.terms:
        focus_keys = {phrase_key(t.concept) for t in question.terms}
        term_words = set(tokenize([" ".join(t.text for t in question.terms)])[0])
        if phrase_key(top.focus) in focus_keys or term_words & topic_text:
            return Topic(top.focus, top.doc_id)
        return None
    words = content_words(question)
    if not words:
        return None
    if words & described or len(words & topic_text) >= MIN_CONTENT_COVERAGE * len(words):
        return Topic(top.focus, top.doc_id)
    return None


def topic_candidates(topic: Topic, candidates: list[Candidate], family: list[Candidate]) -> list[Candidate]:
    """The ranked candidates on this topic, then the rest of the topic's source article."""
    key = phrase_key(topic.focus)
    on_topic = [c for c in candidates if phrase_key(c.passage.focus) == key]
    seen = {c.passage.id for c in on_topic}
    return on_topic + [c for c in family if c.passage.id not in seen]
