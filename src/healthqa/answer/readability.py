"""How hard an answer is to read, and the plainer of two ways to say one thing."""

from __future__ import annotations

import textstat


def readability(text: str) -> dict[str, float]:
    """Flesch-Kincaid grade (US school grade), Flesch reading ease (0-100, higher is easier)
    and the word count of `text`."""
    words = textstat.lexicon_count(text)
    if not words:
        return {"grade": 0.0, "reading_ease": 100.0, "words": 0}
    return {
        "grade": round(float(textstat.flesch_kincaid_grade(text)), 1),
        "reading_ease": round(float(textstat.flesch_reading_ease(text)), 1),
        "words": words,
    }


def _hardness(sentence: str) -> tuple[float, int, int]:
    # Grade first; on a tie the sentence with fewer hard (3+ syllable, unfamiliar) words,
    # then the shorter one.
    return (
        textstat.flesch_kincaid_grade(sentence),
        textstat.difficult_words(sentence),
        textstat.lexicon_count(sentence),
    )


def plainer(a: str, b: str) -> str:
    """The easier to read of two sentences that say the same thing (`a` on a full tie)."""
    return b if _hardness(b) < _hardness(a) else a
