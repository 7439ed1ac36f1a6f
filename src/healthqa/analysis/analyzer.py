"""Raw text -> Question: validate, clean, reduce to what is asked, type, focus, terms."""

from __future__ import annotations

import unicodedata

from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.qtype import detect_qtype
from healthqa.analysis.reduction import keep_topic_sentence, reduce_question
from healthqa.analysis.spelling import SpellingCorrector
from healthqa.analysis.vocabulary import Vocabulary
from healthqa.config import MAX_QUESTION_CHARS
from healthqa.errors import HealthqaError
from healthqa.records import Question, Term

# A question with more control characters than this share is binary data, not text.
MAX_CONTROL_SHARE = 0.01


def validate_question(text: object) -> str:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HealthqaError("the question is not UTF-8 text") from exc
    if not isinstance(text, str):
        raise HealthqaError(f"the question must be text, got {type(text).__name__}")
    if not text.strip():
        raise HealthqaError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise HealthqaError(
            f"the question has {len(text):,} characters; the limit is {MAX_QUESTION_CHARS:,}"
        )
    control = sum(
        1 for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\r\t"
    )
    if "\x00" in text or "\ufffd" in text or control > MAX_CONTROL_SHARE * len(text):
        raise HealthqaError("the question contains binary data, not text")
    return text


def choose_focus(terms: list[Term]) -> str:
    """The concept the question is about: a strong term before a weak one ("mother" is a word
    first), then one that names a MedQuAD topic, then the longest."""
    if not terms:
        return ""
    best = max(
        terms,
        key=lambda t: (not t.weak, t.vocabulary == "medquad" or bool(t.variants), len(t.text)),
    )
    return best.concept


class Analyzer:
    def __init__(self, vocabulary: Vocabulary, speller: SpellingCorrector) -> None:
        self.vocabulary = vocabulary
        self.speller = speller

    def analyze(self, raw: str) -> Question:
        raw = validate_question(raw)
        cleaned = self.speller.correct(clean_message(raw))
        asked = reduce_question(cleaned)
        summary = keep_topic_sentence(asked, cleaned, self._names_topic)
        terms = self.vocabulary.find_terms(summary) or self.vocabulary.find_terms(cleaned)
        return Question(
            raw=raw,
            text=cleaned,
            qtype=detect_qtype(asked),
            focus=choose_focus(terms),
            terms=tuple(terms),
            summary=summary,
            emergency_cues=tuple(detect_emergency(raw).cues),
        )

    def _names_topic(self, text: str) -> bool:
        return any(not t.weak for t in self.vocabulary.find_terms(text))
