"""Raw text -> Question: validate, clean, reduce to what is asked, type, focus, terms."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.focus import FocusContext, FocusModel
from healthqa.analysis.focus import choose_focus as choose_focus_learned
from healthqa.analysis.qtype import (
    detect_qtype,
    learned_qtype,
    learned_section_qtype,
    learned_section_runner_up,
)
from healthqa.analysis.reduction import keep_topic_sentence, message_subject, reduce_question
from healthqa.analysis.spelling import SpellingCorrector
from healthqa.analysis.vocabulary import Vocabulary
from healthqa.config import MAX_QUESTION_CHARS
from healthqa.errors import HealthqaError
from healthqa.records import Question, Term

# Input with more than this share of control or format characters (not counting whitespace)
# is binary data, not text. A pasted question carries a few at most: a C1 control left by a bad
# encoding (U+009D), zero-width characters, soft hyphens; "\x01\x02\x03\x04 what" has 4 of 8.
MAX_CONTROL_SHARE = 0.25
_KEEP = frozenset("\t\n\r")


def _stray(char: str) -> bool:
    """A character that carries no text: a control other than tab and line ends, a format
    character (zero-width space, soft hyphen, byte-order mark), private use, or U+FFFD."""
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Co") and char not in _KEEP
    ) or char == "\ufffd"


def validate_question(text: object) -> str:
    """The question as text, without stray control characters; binary input is refused.

    Binary means: bytes that are not UTF-8, a NUL byte, a lone surrogate (what invalid
    UTF-8 becomes in a command line), or more than MAX_CONTROL_SHARE stray characters.
    Fewer are removed (whitespace-like controls become spaces) and the question is answered.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HealthqaError("the question is not UTF-8 text") from exc
    if not isinstance(text, str):
        raise HealthqaError(f"the question must be text, got {type(text).__name__}")
    if not text.strip():
        raise HealthqaError("the question is empty")
    if any(unicodedata.category(c) == "Cs" for c in text):
        raise HealthqaError("the question is not UTF-8 text (it holds invalid bytes)")
    if len(text) > MAX_QUESTION_CHARS:
        raise HealthqaError(
            f"the question has {len(text):,} characters; the limit is {MAX_QUESTION_CHARS:,}"
        )
    stray = sum(1 for c in text if _stray(c))
    visible = sum(1 for c in text if not c.isspace())
    if "\x00" in text or (stray and stray > MAX_CONTROL_SHARE * visible):
        raise HealthqaError("the question contains binary data, not text")
    if stray:
        text = "".join(
            " " if c.isspace() and c not in _KEEP else c
            for c in text
            if not _stray(c) or c.isspace()
        )
    if not text.strip():
        raise HealthqaError("the question is empty")
    return text


def choose_focus(terms: list[Term]) -> str:
    """The concept the question is about, by the older rule (`Settings(focus="rule")`, and
    Spanish questions): a strong term before a weak one ("mother" is a word first), then one
    that names a MedQuAD topic, then the longest. English questions take the learned model's
    (`analysis/focus.py`)."""
    if not terms:
        return ""
    best = max(
        terms,
        key=lambda t: (not t.weak, t.vocabulary == "medquad" or bool(t.variants), len(t.text)),
    )
    return best.concept


def _merge(terms: list[Term], more: list[Term]) -> list[Term]:
    """`terms`, then those of `more` whose concept they do not have."""
    have = {t.concept for t in terms}
    return terms + [t for t in more if t.concept not in have]


def _names_page(term: Term) -> bool:
    """A strong term, by its own name, of a concept that has a page ("GIST"; not "able")."""
    return not (term.weak or term.stem_only) and (
        term.vocabulary == "medquad" or bool(term.variants)
    )


QTYPE_OF_SOURCE: dict[str, Callable[[str], str]] = {"cues": detect_qtype, "learned": learned_qtype}
# The asked section's type: "learned" is the section classifier (models/qtype_section.json,
# also fitted on lay questions), not the one retrieval's re-ranker was fitted with.
SECTION_TYPE_OF_SOURCE: dict[str, Callable[[str], str]] = {
    "cues": detect_qtype,
    "learned": learned_section_qtype,
}


class Analyzer:
    def __init__(
        self,
        vocabulary: Vocabulary,
        speller: SpellingCorrector,
        qtype: str = "cues",
        *,
        section_qtype: str | None = None,
        focus_model: FocusModel | None = None,
    ) -> None:
        for source in (qtype, section_qtype or qtype):
            if source not in QTYPE_OF_SOURCE:
                raise HealthqaError(
                    f"question type source must be one of {', '.join(QTYPE_OF_SOURCE)}, "
                    f"got {source!r}"
                )
        self.vocabulary = vocabulary
        self.speller = speller
        self.qtype_of = QTYPE_OF_SOURCE[qtype]
        # the type of the answer's asked section, when another classifier than `qtype`'s
        # gives it
        section = section_qtype or qtype
        same = section == qtype == "cues"
        self.section_type_of = None if same else SECTION_TYPE_OF_SOURCE[section]
        self.runner_up_of = learned_section_runner_up if section == "learned" else None
        self.focus_model = focus_model  # None: the older rule (`choose_focus`)

    def analyze(self, raw: str) -> Question:
        raw = validate_question(raw)
        terms, context, asked = self.read(raw)
        second, confidence = self.runner_up_of(asked) if self.runner_up_of else ("", 1.0)
        return Question(
            raw=raw,
            text=context.text,
            qtype=self.qtype_of(asked),
            section_type=self.section_type_of(asked) if self.section_type_of else "",
            section_second=second,
            section_confidence=confidence,
            focus=self.focus_of(terms, context),
            terms=tuple(terms),
            summary=context.summary,
            emergency_cues=tuple(detect_emergency(raw, by_meaning=False).cues),
        )

    def read(self, raw: str) -> tuple[list[Term], FocusContext, str]:
        """The message's focus candidates, the texts they are read in (kept question,
        subject line, cleaned message) and the question reduced to what is asked."""
        message = clean_message(raw)
        message = self.speller.respell_drug_names(message)
        cleaned = self.speller.correct(message, self._names_in(message))
        asked = reduce_question(cleaned)
        summary = keep_topic_sentence(asked, cleaned, self._names_topic)
        terms = self.find_terms(raw, summary, cleaned)
        return terms, FocusContext(summary, message_subject(raw), cleaned), asked

    def focus_of(self, terms: list[Term], context: FocusContext) -> str:
        if self.focus_model is None:
            return choose_focus(terms)
        return choose_focus_learned(terms, context, self.focus_model)

    def find_terms(self, raw: str, summary: str, cleaned: str) -> list[Term]:
        """Focus candidates, in this order: the summary's terms; the subject line's (the
        writer's own name for the topic, which reduction may drop: "Coronary Artery Spasms"
        above "Can a Pacemaker help prevent these spasms?"); the rest of the message's terms
        that name a page ("found GIST" in a sentence reduction left out); and when none of
        these, every term of the message."""
        found = self.vocabulary.find_terms(summary)
        subject = message_subject(raw)
        if subject:
            found = _merge(
                found,
                self.vocabulary.find_terms(self.speller.correct(subject, self._names_in(subject))),
            )
        message = self.vocabulary.find_terms(cleaned)
        return _merge(found, [t for t in message if _names_page(t)]) or message

    def _names_in(self, text: str) -> Callable[[str], bool]:
        """`_is_name`, and the words of the names of two or more words the text holds as
        written: "cambogia" of "garcinia cambogia" is kept, not "corrected" to "cambodia"."""
        kept = {
            w
            for t in self.vocabulary.find_terms(text)
            if " " in t.text.strip()
            for w in t.text.lower().split()
        }
        return lambda word: word in kept or self._is_name(word)

    def _is_name(self, word: str) -> bool:
        """The vocabulary knows this word as a name of its own (a drug without a page); a word
        that only shares an acronym's stem ("recove", ReCOV) is not one."""
        return bool(self.vocabulary.find_terms(word))

    def _names_topic(self, text: str) -> bool:
        return any(not t.weak for t in self.vocabulary.find_terms(text))
