"""The language of a question: English or Spanish, by lingua (offline n-gram models shipped
in its wheel), restricted to the two languages healthqa answers in.

Lingua is made for short text, which is what questions are ("calambres en las piernas",
"que causa la diabetes" without accents). English is the engine's default, so a question is
Spanish only on good evidence: lingua's Spanish confidence of at least SPANISH_CONFIDENCE, or
more than even with a mark English does not use (¿ ¡ ñ or an accented vowel). A one-word
medical term ("insomnia", "lupus") is often both languages; `--lang es` settles it.

Calibrated on training and corpus text only: 1,783 English LiveQA-train messages and
subjects and MeQSum summaries, and the 2,642 question headings and titles of the MedlinePlus
en español pages. Plain argmax read 33 English texts as Spanish; this rule reads 12 (0.7 %),
and keeps 2,535 of the Spanish headings and titles as written (96 %) and 2,387 (90 %) with
their accents and question marks removed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthqa.errors import HealthqaError
from healthqa.i18n import LANGUAGES

LANG_CHOICES = ("auto", *LANGUAGES)
DEFAULT_LANGUAGE = "en"
# English texts read as Spanish / Spanish headings kept (accents removed) by threshold:
# 0.5 -> 33 / 2,555, 0.6 -> 20 / 2,485, 0.7 -> 12 / 2,387, 0.8 -> 5 / 2,218, 0.9 -> 0 / 1,913.
SPANISH_CONFIDENCE = 0.7
_SPANISH_MARK = re.compile(r"[¿¡ñáéíóúü]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def detect_language(text: str) -> str:
    """ "en" or "es": the language `text` is written in (English when unknown)."""
    if not any(c.isalpha() for c in text):
        return DEFAULT_LANGUAGE
    from lingua import Language

    confidence = _detector().compute_language_confidence(text, Language.SPANISH)
    if confidence >= SPANISH_CONFIDENCE or (confidence > 0.5 and _SPANISH_MARK.search(text)):
        return "es"
    return DEFAULT_LANGUAGE


def resolve_language(text: str, lang: str = "auto") -> str:
    """The language to answer in: `lang` when it names one, detected from `text` for "auto"."""
    if lang not in LANG_CHOICES:
        raise HealthqaError(f"unknown language {lang!r}; valid: {', '.join(LANG_CHOICES)}")
    return detect_language(text) if lang == "auto" else lang
