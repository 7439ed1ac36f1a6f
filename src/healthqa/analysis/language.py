"""The language of a question: English or Spanish, by lingua (offline n-gram models shipped
in its wheel), restricted to the two languages healthqa answers in.

Lingua is made for short text, which is what questions are ("calambres en las piernas",
"que causa la diabetes" without accents). Text with no letters, or that lingua cannot place,
is English: the default language of the engine.
"""

from __future__ import annotations

from functools import lru_cache

from healthqa.errors import HealthqaError
from healthqa.i18n import LANGUAGES

LANG_CHOICES = ("auto", *LANGUAGES)
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def detect_language(text: str) -> str:
    """ "en" or "es": the language `text` is written in (English when unknown)."""
    if not any(c.isalpha() for c in text):
        return DEFAULT_LANGUAGE
    found = _detector().detect_language_of(text)
    if found is None:
        return DEFAULT_LANGUAGE
    return "es" if found.iso_code_639_1.name == "ES" else "en"


def resolve_language(text: str, lang: str = "auto") -> str:
    """The language to answer in: `lang` when it names one, detected from `text` for "auto"."""
    if lang not in LANG_CHOICES:
        raise HealthqaError(f"unknown language {lang!r}; valid: {', '.join(LANG_CHOICES)}")
    return detect_language(text) if lang == "auto" else lang
