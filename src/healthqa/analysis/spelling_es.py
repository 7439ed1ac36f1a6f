"""Spanish lay spelling, put right by sound: a word written as it sounds ("cabesa", "bomitar",
"nesesito") becomes the word the pages spell ("cabeza"), nothing else.

Spanish as written in the US (and across Latin America) misspells mostly by sound: s, z and c
before e/i sound alike (seseo), so do b and v, y and ll, and h is silent. A question word is
respelled only when all of these hold:

1. the pages never use it (no stem of it in the Spanish BM25 vocabulary);
2. it is rare in Spanish at large (Zipf < MAX_WORD_ZIPF in wordfreq's Spanish: "cabesa" 1.95,
   while real words the pages do not use, "estreñido" 2.06 or "convulsa" 2.48, are left alone
   because none of their sound-alike spellings is a word either; the threshold is the one the
   English everyday-word check uses for "rare", `vocabulary_es.STEM_ONLY_ZIPF`);
3. a spelling that sounds the same is a word the pages use and a common Spanish word, at least
   MIN_GAIN Zipf above the written one ("cabeza" 5.34 against 1.95).

Only sound-alike letters are changed, never letters added, dropped or swapped, so the
corrector tried in session 16 (edit distance against the pages' words, which "corrected"
"estreñido" and "convulsa" into other words) is not what this does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

from wordfreq import zipf_frequency

from healthqa.analysis.vocabulary_es import STEM_ONLY_ZIPF
from healthqa.retrieval.lexical import fold_accents

MAX_WORD_ZIPF = STEM_ONLY_ZIPF
# the sound-alike spelling must be this much more common than the written one (10 times)
MIN_GAIN = 1.0
MIN_LETTERS = 4
# at most this many sound-alike places changed in one word (2^4 spellings to look at)
MAX_PLACES = 4
_WORD = re.compile(r"(?u)\b[^\W\d_]+\b")
# letters (or pairs) that sound alike, by the letter that follows them where it matters
_SOUNDS = re.compile(r"ll|[sz](?=[aeiou]|$)|c(?=[ei])|[bv]|y(?=[aeiou])")
_ALIKE = {
    "s": ("s", "z", "c"),
    "z": ("z", "s", "c"),
    "c": ("c", "s", "z"),
    "b": ("b", "v"),
    "v": ("v", "b"),
    "y": ("y", "ll"),
    "ll": ("ll", "y"),
}


def sound_alike(word: str) -> list[str]:
    """The spellings of `word` (lower case, accents folded) that sound the same, `word`
    first: each sound-alike letter in turn (s/z/c before e or i, b/v, y/ll), and a silent h
    added at the start of a word that begins with a vowel."""
    places = list(_SOUNDS.finditer(word))[:MAX_PLACES]
    pieces: list[tuple[str, ...]] = []
    last = 0
    for place in places:
        pieces.append((word[last : place.start()],))
        options = _ALIKE[place.group()]
        # "z" and "c" spell the s sound only before e/i ("za" cannot be "ca")
        if place.group() in "sz" and word[place.end() : place.end() + 1] not in ("e", "i"):
            options = tuple(o for o in options if o != "c")
        pieces.append(options)
        last = place.end()
    pieces.append((word[last:],))
    spellings = ["".join(parts) for parts in product(*pieces)]
    if word[:1] in "aeiou":
        spellings += [f"h{s}" for s in spellings]
    return list(dict.fromkeys(spellings))


@lru_cache(maxsize=20_000)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "es")


def respell(word: str, known: Callable[[str], bool]) -> str:
    """The spelling of `word` the pages use, when `word` is a rare misspelling of it by sound
    (see the module's note); else `word`. `known(word)`: the pages use that word."""
    folded = fold_accents(word.lower())
    if len(folded) < MIN_LETTERS or known(folded) or _zipf(folded) >= MAX_WORD_ZIPF:
        return word
    best, best_zipf = word, _zipf(folded) + MIN_GAIN
    for spelling in sound_alike(folded)[1:]:
        zipf = _zipf(spelling)
        if zipf >= best_zipf and known(spelling):
            best, best_zipf = spelling, zipf
    return best


def respell_text(text: str, known: Callable[[str], bool]) -> str:
    """`text` with each misspelling by sound put right (`respell`)."""
    return _WORD.sub(lambda m: respell(m.group(), known), text)
