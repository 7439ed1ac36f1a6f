"""The safety pass every answer goes through, whatever built it: emergency notice first,
warning signs shown first, readability, and a faithfulness check of every sentence."""

from __future__ import annotations

import logging
from dataclasses import replace

from healthqa.analysis.emergency import detect_emergency, emergency_notice
from healthqa.answer import sections as S
from healthqa.answer.faithfulness import sentence_problems, warning_sentence
from healthqa.answer.readability import readability
from healthqa.config import Settings
from healthqa.records import Answer, Question, Section

log = logging.getLogger(__name__)


def emergency_notice_for(question: Question, settings: Settings) -> str:
    """The line that opens the answer when the question describes an emergency, or asks about
    suicide in general (the crisis line, docs/safety.md), else "". It is part of the answer
    as read, so the composer's word budget leaves room for it."""
    return _emergency_check(question, settings)[1]


def _emergency_check(question: Question, settings: Settings) -> tuple[bool, str]:
    """Whether the question describes an emergency, and the notice that opens its answer."""
    finding = detect_emergency(question.raw, language=question.language)
    if not finding.notice_kinds:
        return False, ""
    return finding.emergency, emergency_notice(
        finding,
        emergency_number=settings.emergency_number,
        crisis_number=settings.crisis_number,
        poison_number=settings.poison_number,
        language=question.language,
    )


def apply_safety(answer: Answer, settings: Settings, sources: dict[str, list[str]]) -> Answer:
    """`sources`: the passage texts of each cited answer id, to check every sentence against."""
    answer = _faithful_only(answer, sources)
    emergency, notice = _emergency_check(answer.question, settings)
    warnings = tuple(
        sentence.text
        for section in answer.sections
        for sentence in section.sentences
        if section.title == S.SEE_A_DOCTOR or warning_sentence(sentence.text)
    )
    body = " ".join(s.text for section in answer.sections for s in section.sentences)
    return replace(
        answer,
        emergency=emergency,
        notice=notice,
        warnings=warnings,
        readability=readability(body) if body else {},
    )


def _faithful_only(answer: Answer, sources: dict[str, list[str]]) -> Answer:
    """Drops any sentence that is not a quotation of its sources or adds a number to them.

    The composer only quotes, so a drop means a bug; it is logged (without the question).
    """
    texts_by_n = {c.n: [t for i in c.ids for t in sources.get(i, [])] for c in answer.citations}
    sections = []
    for section in answer.sections:
        kept = []
        for sentence in section.sentences:
            texts = [t for n in sentence.citations for t in texts_by_n.get(n, [])]
            problems = sentence_problems(sentence.text, texts) if texts else ["no source text"]
            if problems:
                log.warning("dropped an unfaithful sentence: %s", "; ".join(problems))
            else:
                kept.append(sentence)
        if kept:
            sections.append(Section(section.title, tuple(kept)))
    return replace(answer, sections=tuple(sections))
