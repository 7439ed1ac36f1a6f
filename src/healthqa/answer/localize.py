"""An answer in its question's language: the composer names sections in English, and this
last step gives them their title in the answer's language (`healthqa.i18n`)."""

from __future__ import annotations

from dataclasses import replace

from healthqa.i18n import section_title
from healthqa.records import Answer, Section


def localize(answer: Answer) -> Answer:
    if answer.language == "en":
        return answer
    sections = tuple(
        Section(section_title(s.title, answer.language), s.sentences) for s in answer.sections
    )
    return replace(answer, sections=sections)
