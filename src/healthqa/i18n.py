"""The strings of an answer by language: English in the code, Spanish in
`healthqa/data/messages_es.json`. An answer speaks its question's language
(`Question.language`); English is the default and the fallback for a missing string."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from healthqa.errors import HealthqaError

LANGUAGES = ("en", "es")

ENGLISH: dict[str, str] = {
    "disclaimer": (
        "This is health information from the sources cited, not a diagnosis or medical advice; "
        "ask a health care provider about your own situation."
    ),
    "sources": "Sources",
    "emergency_title": "Emergency",
    "abstain": "I found no trustworthy answer to this question in my sources.",
    "uncovered": "Not covered by this answer: {names}, which your message also names.",
    "understood": "I understood a question of type '{qtype}'",
    "understood_focus": " about {focus}",
    "no_spanish_sources": "",
    "alternative_en": "",
    "spanish_index_stale": "",
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise HealthqaError(f"unknown language {language!r}; valid: {', '.join(LANGUAGES)}")
    return language


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, Any]:
    """{"messages", "sections", "qtypes"} of a language; English has no translations."""
    if check_language(language) == "en":
        return {"messages": ENGLISH, "sections": {}, "qtypes": {}}
    raw = resources.files("healthqa").joinpath(f"data/messages_{language}.json").read_text()
    data = json.loads(raw)
    return {key: dict(data.get(key, {})) for key in ("messages", "sections", "qtypes")}


def message(key: str, language: str = "en", **values: str) -> str:
    text = catalogue(language)["messages"].get(key) or ENGLISH[key]
    return text.format(**values) if values else text


def section_title(title: str, language: str = "en") -> str:
    """A section's title in `language` (the code names sections in English)."""
    return catalogue(language)["sections"].get(title, title)


def qtype_name(qtype: str, language: str = "en") -> str:
    return catalogue(language)["qtypes"].get(qtype, qtype)
