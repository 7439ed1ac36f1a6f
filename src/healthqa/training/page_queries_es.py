"""Questions made from the MedlinePlus en español pages themselves (training material, never the
Spanish evaluation sets): what the Spanish page chooser is fitted on and the Spanish topic
changes are checked on (scripts/spanish_page_queries.py).

    headings      each page's question headings ("¿Cuáles son los síntomas de la culebrilla?"),
                  with the FACTS rarest stems of the sentences under it as key facts
    names         "¿Qué es {also-called name}?"
    descriptions  the page's first sentence with every name of the page taken out, asked as
                  "¿Qué es algo que {rest}?": a lay description of the page
    symptoms      up to SYMPTOM_QUERIES sentences of the page past its first that speak of
                  symptoms, signs or causes (or sit under a heading on symptoms), every name of
                  the page taken out, in one of the LAY_FRAMES: how a lay question describes
                  what it feels, often naming another page's symptom ("tos")
    lay           the page's title and first also-called name in one of the LAY_FRAMES ("¿cómo
                  se quita {name}?"): a lay question naming the page among words of its own
                  that the page never uses
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from healthqa.analysis.vocabulary_es import SpanishTopic, topic_names
from healthqa.records import Passage
from healthqa.retrieval.lexical import fold_accents, spanish_terms

FACTS = 3
KINDS = ("headings", "names", "descriptions", "symptoms", "lay")
# How lay questions wrap what they ask about (the words around it are the asker's, not the
# page's); each query takes one, by a hash of its text, so the choice is the same every run.
LAY_FRAMES = (
    "tengo {}, ¿qué puede ser?",
    "¿cómo se quita {}?",
    "mi hijo tiene {}, ¿es grave?",
    "¿por qué me da {}? me preocupa",
    "a mi mamá le dijeron que tiene {}, ¿qué hago?",
    "desde hace unos días {}, ¿debo ir al doctor?",
)
SYMPTOM_QUERIES = 2
# A page-made query keeps at least this many words once the page's names are out.
MIN_WORDS = 4
# Lay questions are short: longer sentences are left out, lists cut (`_lay`).
MAX_WORDS = 30
LIST_ITEMS = 3
ITEM_WORDS = 6
_SYMPTOM_CUE = re.compile(r"\b(?:sintomas?|signos?|causas?|causan?|provoca)\b")


@dataclass(frozen=True)
class PageQuery:
    kind: str
    text: str
    url: str
    facts: tuple[str, ...] = ()


def _names_stems(passage: Passage) -> set[str]:
    return set(spanish_terms(" ".join([passage.title, *passage.synonyms])))


def spanish_pages(passages: list[Passage]) -> dict[str, list[Passage]]:
    """page key -> its Spanish passages, in index order."""
    pages: dict[str, list[Passage]] = {}
    for passage in passages:
        if passage.language == "es":
            pages.setdefault(passage.page_key, []).append(passage)
    return pages


def make_queries(
    passages: list[Passage], idf, asking: frozenset[str] = frozenset()
) -> Iterator[PageQuery]:
    """Every kind of page-made query of the Spanish pages (`idf`: stems -> IDF weights)."""
    for pages in spanish_pages(passages).values():
        first = pages[0]
        names = _names_stems(first)
        by_heading: dict[str, list[str]] = {}
        for passage in pages:
            if passage.section.startswith("¿"):
                by_heading.setdefault(passage.section, []).extend(passage.sentences)
        for heading, sentences in by_heading.items():
            stems = set(spanish_terms(" ".join(sentences))) - names - asking
            weights = idf(stems)
            facts = sorted(stems, key=lambda s: (-weights.get(s, 0.0), s))[:FACTS]
            yield PageQuery("headings", heading, first.url, tuple(facts))
        for name in first.synonyms:
            yield PageQuery("names", f"¿Qué es {name}?", first.url)
        description = _description(first)
        if description:
            yield PageQuery("descriptions", f"¿Qué es algo que {description}?", first.url)
        for sentence in symptom_sentences(pages):
            yield PageQuery("symptoms", lay_question(sentence), first.url)
        for name in dict.fromkeys([first.title, *first.synonyms[:1]]):
            yield PageQuery("lay", lay_question(name.lower()), first.url)


def lay_question(words: str) -> str:
    """The words in one of the LAY_FRAMES, the same one for the same words."""
    return LAY_FRAMES[zlib.crc32(words.encode()) % len(LAY_FRAMES)].format(words)


def without_names(text: str, passage: Passage) -> str:
    """The text with every name of the passage's page taken out."""
    names = topic_names(SpanishTopic(passage.title, passage.synonyms))
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _description(passage: Passage) -> str:
    """The first sentence without the page's names: what follows its first "es"/"son"."""
    sentence = passage.sentences[0] if passage.sentences else ""
    match = re.search(r"\b(?:es|son)\s+(.+?)[.]?$", sentence)
    if not match:
        return ""
    rest = without_names(match.group(1), passage)
    return rest if len(rest.split()) >= MIN_WORDS else ""


def _lay(sentence: str) -> str:
    """A sentence as a lay question's words: a list ("incluyen: - Fiebre - Tos") becomes
    "tengo" and its first LIST_ITEMS items, each cut to ITEM_WORDS words; lower-case first
    letter, no final stop, no leading "si"."""
    head, *items = re.split(r"\s+-\s+", sentence)
    if items:
        said = [" ".join(i.split(":")[0].split()[:ITEM_WORDS]).lower() for i in items]
        sentence = "tengo " + ", ".join(said[:LIST_ITEMS])
    sentence = re.sub(r"(?i)^si\s+", "", sentence.strip().rstrip(".:;?"))
    return sentence[:1].lower() + sentence[1:]


def symptom_sentences(pages: list[Passage], most: int = SYMPTOM_QUERIES) -> list[str]:
    """Up to `most` sentences past the page's first on its symptoms, signs or causes, the page's
    names taken out, lower-cased first letter, no final stop."""
    found: list[str] = []
    first = pages[0]
    for passage in pages:
        on_symptoms = "sintoma" in fold_accents(passage.section.lower())
        for sentence in passage.sentences:
            if first.sentences and sentence == first.sentences[0]:
                continue
            if not (on_symptoms or _SYMPTOM_CUE.search(fold_accents(sentence.lower()))):
                continue
            rest = _lay(without_names(sentence, first))
            if MIN_WORDS < len(rest.split()) <= MAX_WORDS and rest not in found:
                found.append(rest)
            if len(found) >= most:
                return found
    return found
