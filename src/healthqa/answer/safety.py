"""The safety pass every answer goes through, whatever built it: emergency notice first,
warning signs shown first, readability, and a faithfulness check of every sentence."""

from __future__ import annotations

import logging
from dataclasses import replace

from healthqa.analysis.emergency import detect_emergency, emergency_notice
from healthqa.answer import sections as S
from healthqa.answer.faithfulness import warning_sentence
from healthqa.answer.readability import readability
from healthqa.config import Settings
from healthqa.records import Answer

log = logging.getLogger(__name__)


def apply_safety(answer: Answer, settings: Settings) -> Answer:
    finding = detect_emergency(answer.question.raw)
    notice = ""
    if finding.emergency:
        notice = emergency_notice(
            finding,
            emergency_number=settings.emergency_number,
            crisis_number=settings.crisis_number,
            poison_number=settings.poison_number,
        )
    warnings = tuple(
        sentence.text
        for section in answer.sections
        for sentence in section.sentences
        if section.title == S.SEE_A_DOCTOR or warning_sentence(sentence.text)
    )
    body = " ".join(s.text for section in answer.sections for s in section.sentences)
    return replace(
        answer,
        emergency=finding.emergency,
        notice=notice,
        warnings=warnings,
        readability=readability(body) if body else {},
    )
