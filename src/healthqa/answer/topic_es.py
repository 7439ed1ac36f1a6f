"""Which Spanish page a Spanish question is about, or None when the Spanish sources lack it.

The same rule as the English `answer.topic`, with Spanish words: the best-ranked page the
question names through the Spanish vocabulary (its title, also-called names, head word;
a definition word only when no name is found); when it names a topic that no good page is
about, the top page only if its text says that name (no drift); else one of the best pages
whose name the question uses and whose text holds most of the question's content words,
weighted by IDF (the English thresholds, not refitted); else the page that both the Spanish
BM25 and the multilingual vectors rank first (`agreed_page`). Content words are the question's
Spanish stems less the words of asking the pages' own headings use ("causa", "síntomas").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from healthqa.analysis.vocabulary_es import everyday_word, uses_word
from healthqa.answer.chooser_es import PageModel, chosen_page, page_rows
from healthqa.answer.topic import (
    DESCRIBED_DEPTH,
    MIN_CONTENT_COVERAGE,
    MIN_COVERED_WORDS,
    TOPIC_DEPTH,
    Topic,
)
from healthqa.records import Candidate, Passage, Question
from healthqa.retrieval.lexical import fold_accents, spanish_terms, spanish_word_stems
from healthqa.retrieval.symptoms_es import SymptomPages

_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")
# How deep in each signal's page ranking the two must agree (see `agreed_page`), chosen on the
# page-made lay descriptions (scripts/spanish_page_queries.py, training material): depth 3
# answers 2.8 % more of them rightly and 5.5 % more wrongly than depth 1 (session 17)
AGREE_DEPTH = 1
# The least cosine of the question with a page agreed below both first places (depth > 1 only):
# no off-topic question of the Spanish dev sets comes closer than 0.295 to any page
MIN_AGREE_COSINE = 0.3


def spanish_content_words(question: Question, asking: frozenset[str]) -> set[str]:
    """What a Spanish question is about: its stems less the words of asking."""
    return set(spanish_terms(question.summary or question.text)) - asking


def spanish_topic(passage: Passage) -> Topic:
    """The page as a topic, with the names a sentence of another page must use to be about it:
    its title, the title's parts around a parenthesis, its also-called names."""
    names = {passage.focus, *passage.synonyms, *_PARENTHESIS.findall(passage.focus)}
    names.add(_PARENTHESIS.sub(" ", passage.focus).strip())
    return Topic(passage.focus, passage.doc_id, frozenset(n.lower() for n in names if len(n) > 2))


def bridged_page(candidates: list[Candidate]) -> Passage | None:
    """The best-ranked page the cross-lingual bridge pointed at (its English names were
    clearly the closest to the question), among the top pages."""
    for candidate in candidates[:TOPIC_DEPTH]:
        if candidate.scores.get("bridge", 0.0) > 0:
            return candidate.passage
    return None


def choose_spanish_topic(
    question: Question,
    candidates: list[Candidate],
    idf: Callable[[set[str]], dict[str, float]],
    asking: frozenset[str] = frozenset(),
    *,
    bridge: bool = False,
    model: PageModel | None = None,
    names_first: bool = False,
    symptoms: SymptomPages | None = None,
) -> Topic | None:
    """`model`: the learned chooser (answer/chooser_es.py) in place of the whole cascade (the
    names are among its features) or, with `names_first`, where the names decide nothing (in
    place of the described page, the bridge and the agreed page). `bridge` (rules
    only): when no other rule finds a page and the question names no Spanish topic, the page
    the bridge pointed at (retrieval/bridge_es.py) rather than nothing. `symptoms`: the pages'
    symptom profile the model's symptom features read (retrieval/symptoms_es.py)."""
    if not candidates:
        return None
    rows = []
    if model is not None:
        rows = page_rows(question, candidates, idf, asking, symptoms=symptoms)
    if model is not None and not names_first:
        found = chosen_page(rows, model)[0]
        return spanish_topic(found) if found else None
    decided, found = named_page(question, candidates)
    if not decided and model is not None:
        found = chosen_page(rows, model)[0]
    elif not decided:
        described = _described_page(question, candidates, idf, asking)
        bridged = bridged_page(candidates) if bridge else None
        found = described or bridged or agreed_page(candidates)
    return spanish_topic(found) if found else None


def named_page(question: Question, candidates: list[Candidate]) -> tuple[bool, Passage | None]:
    """The names' decision, when they make one: (True, the best-ranked page the question names)
    or, when it names a topic none of the best pages is about, (True, the top page only if it
    speaks of it, as in English, else None rather than an answer about something else);
    (False, None) when the question names no Spanish topic."""
    for weak in (False, True):
        named = {t.concept for t in question.terms if t.weak == weak}
        for candidate in candidates[:TOPIC_DEPTH]:
            if candidate.passage.focus in named:
                return True, candidate.passage
    strong = [t for t in question.terms if not t.weak]
    if not strong:
        return False, None
    top = candidates[0].passage
    said = set(" ".join(t.text for t in strong).split())
    text = set(spanish_terms(f"{top.focus} {' '.join(top.synonyms)} {top.text}"))
    return True, (top if said & text else None)


def scored_pages(candidates: list[Candidate], signal: str) -> list[tuple[float, Passage]]:
    """The candidates' pages with one signal's score of their best passage, best first."""
    best: dict[str, tuple[float, Passage]] = {}
    for candidate in candidates:
        score = candidate.scores.get(signal)
        key = candidate.passage.page_key
        if score is not None and score > 0 and (key not in best or score > best[key][0]):
            best[key] = (score, candidate.passage)
    return sorted(best.values(), key=lambda s: -s[0])


def best_pages(candidates: list[Candidate], signal: str) -> list[Passage]:
    """The candidates' pages, best first by one signal's score of their best passage."""
    return [passage for _, passage in scored_pages(candidates, signal)]


def agreed_page(
    candidates: list[Candidate], floor: float = MIN_AGREE_COSINE, depth: int = AGREE_DEPTH
) -> Passage | None:
    """The page the Spanish BM25 and the multilingual vectors both rank among their first
    `depth` pages, the best sum of its two ranks first (ties: the BM25 order): two signals
    that fail in different ways (words the pages never use; meaning the vectors blur) seldom
    agree on a wrong page. The shipped depth is 1 (AGREE_DEPTH: deeper agreement answered more
    page-made descriptions wrongly than rightly). Below the first page of both, a page the
    vectors find no closer than `floor` (cosine) agrees with nothing: with few pages, or an
    off-topic question, any page is among the first few."""
    lexical = best_pages(candidates, "lexical")[:depth]
    dense = scored_pages(candidates, "dense")[:depth]
    ranks = {page.page_key: (rank, cosine) for rank, (cosine, page) in enumerate(dense)}
    both = []
    for rank, page in enumerate(lexical):
        dense_rank, cosine = ranks.get(page.page_key, (-1, 0.0))
        if dense_rank >= 0 and (rank + dense_rank == 0 or cosine >= floor):
            both.append((rank + dense_rank, rank, page))
    return min(both, key=lambda b: (b[0], b[1]))[2] if both else None


def _described_page(
    question: Question,
    candidates: list[Candidate],
    idf: Callable[[set[str]], dict[str, float]],
    asking: frozenset[str],
) -> Passage | None:
    """One of the best pages whose name the question uses and whose text holds most of the
    question's content words, by IDF."""
    words = spanish_content_words(question, asking)
    if not words:
        return None
    weights = idf(words)
    total = sum(weights.values())
    for candidate in candidates[:DESCRIBED_DEPTH]:
        passage = candidate.passage
        names = set(spanish_terms(" ".join([passage.focus, *passage.synonyms])))
        text = set(spanish_terms(f"{passage.focus} {passage.section} {passage.text}"))
        covered = words & (names | text)
        if (
            names_used(question, passage, names)
            and len(covered) >= min(MIN_COVERED_WORDS, len(words))
            and sum(weights[w] for w in covered) >= MIN_CONTENT_COVERAGE * total
        ):
            return passage
    return None


def names_used(question: Question, passage: Passage, names: set[str]) -> set[str]:
    """The stems of the page's names the question uses, an everyday word only when the passage
    uses that very word ("me duele" does not name "Duelo" by its stem; vocabulary_es). The
    passage's text, not its names alone, as on the page-made headings the names alone lost
    right pages (84.8 % against 86.3 %, scripts/spanish_page_queries.py)."""
    page = " ".join([passage.focus, *passage.synonyms, passage.text])
    said = frozenset(fold_accents(w) for w, _ in spanish_word_stems(page))
    return {
        stem
        for word, stem in spanish_word_stems(question.summary or question.text)
        if stem in names and (uses_word(said, word) or not everyday_word(word))
    }


def english_query(question: Question, asking: frozenset[str]) -> str:
    """The words of a Spanish question an English page could share (names such as "lupus",
    "Townes-Brocks"): its words without Spanish stop words or words of asking, accents
    folded. Nothing is translated."""
    words = re.findall(r"(?u)\b\w\w+\b", fold_accents(question.summary or question.text))
    return " ".join(
        w
        for w in words
        if (stems := spanish_terms(w)) and not set(stems) & asking and _shared_name(w)
    )


# A word far more frequent in Spanish than in English (wordfreq Zipf) is a Spanish word an
# English page happens to spell, not a name the languages share: on the Spanish lay training
# questions the English alternative came from "tarda" (porphyria cutanea tarda, gap 2.3) or
# "fumar" (fumarase deficiency, 3.1); "psoriasis" (-0.3), "alzheimer" (0.9) and "gastritis"
# (0.5) stay (session 25).
SPANISH_ONLY_ZIPF_GAP = 1.0


def _shared_name(word: str) -> bool:
    """A word both languages write (a name), not a number ("15": chromosome 15 syndrome) nor a
    Spanish word an English page happens to contain."""
    if word.isdigit():
        return False
    return zipf_frequency(word, "es") - zipf_frequency(word, "en") < SPANISH_ONLY_ZIPF_GAP
