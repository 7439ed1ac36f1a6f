"""Raw Spanish text -> Question: validate, clean, Spanish terms and focus, Spanish
emergency cues. No English step runs on it (the English typo corrector would "correct"
Spanish words into English ones)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from healthqa.analysis.analyzer import choose_focus, validate_question
from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.spelling_es import respell_text
from healthqa.records import Question, Term


class TermFinder(Protocol):
    def find_terms(self, text: str) -> list[Term]: ...


class QtypeClassifier(Protocol):
    def __call__(self, text: str) -> str: ...


def analyze_spanish(
    raw: str,
    vocabulary: TermFinder | None = None,
    qtype: QtypeClassifier | None = None,
    known: Callable[[str], bool] | None = None,
) -> Question:
    """`known(word)`: the Spanish pages use the word; with it, a word misspelt by sound is
    written as the pages spell it ("cabesa" -> "cabeza", `spelling_es`) before anything else."""
    raw = validate_question(raw)
    cleaned = clean_message(raw)
    if known is not None:
        cleaned = respell_text(cleaned, known)
    terms = vocabulary.find_terms(cleaned) if vocabulary else []
    return Question(
        raw=raw,
        text=cleaned,
        qtype=qtype(cleaned) if qtype else "information",
        focus=choose_focus(terms),
        terms=tuple(terms),
        summary=cleaned,
        emergency_cues=tuple(detect_emergency(raw, language="es", by_meaning=False).cues),
        language="es",
    )
