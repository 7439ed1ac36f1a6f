"""The learned English topic chooser (`Settings.topic = "learned"`): among the first candidates,
the page with the highest calibrated P(on topic), or no topic below the model's threshold.

Each candidate page is described by the ranking signals the relevance model reads
(`topic.candidate_relevance`) and by how the question names it: the focus model's probability
(`analysis/focus.py`) for the question concept the page is on, and its margin to the
question's best concept (a side detail of a story scores low: "knee replacement" in an EKG
question), how much of a name the question's concepts share with the page ("nephrotic
syndrome": "Nephrotic Syndrome in Adults"), how many of the first candidates share the page's
focus, the best dense cosine and re-ranker logit among them, and whether the question's main
concept names a page at all and is among the candidates. Since session 24 also by its page
over all the candidates (PAGE_FEATURES: the page's best cosine to the summary and to the whole
message, its rank among the distinct pages, by dense and by BM25 too, whether a passage of the
asked section is among them, how much of its name the question uses), and by how far some
signals fall behind the best of the rows read (LEAD_FEATURES). A logistic regression
(`retrieval/linear.py`) fitted without class weights, so its output reads as a probability, on
training data only
(`python -m healthqa.training.topic`; `models/topic.json`, card `models/topic.card.md`); its
threshold is the one of lowest expected cost on the training questions, a wrong page costing
two abstentions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import numpy as np

from healthqa.analysis.focus import FocusContext, FocusModel, focus_features
from healthqa.analysis.qtype import related_qtypes
from healthqa.analysis.reduction import message_subject
from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer.relevance import FEATURES as RELEVANCE_FEATURES
from healthqa.answer.relevance import logit
from healthqa.answer.topic import (
    STOP_STEMS,
    TOPIC_DEPTH,
    CollectionIdf,
    Topic,
    candidate_relevance,
    content_words,
    make_topic,
    named_section,
    question_words,
)
from healthqa.records import Candidate, Question
from healthqa.retrieval.lexical import stem_words
from healthqa.retrieval.linear import LinearModel

# Of the page (all its passages among the candidates), session 24: what tells the page that
# answers this question from a broader or narrower one on the same words
PAGE_FEATURES = (
    "message_dense",  # cosine of the whole message (not its summary) to the answer's question
    "page_best_dense",  # best dense cosine among the page's candidate passages
    "page_best_message_dense",  # the same for the whole message
    "page_rank",  # log(1 + the page's rank among the candidates' distinct pages)
    "has_section",  # a candidate passage of the page is of the asked section's type (1/0)
    # IDF-weighted share of a page name's words the question uses, and their IDF sum (a
    # narrower page whose every name word the question uses: "Childhood Liver Cancer")
    "name_covered",
    "name_idf",
    "page_passages",  # log(1 + the page's passages among the candidates)
    "dense_page_rank",  # log(1 + its rank among the pages by best dense cosine)
    "lexical_page_rank",  # the same by best BM25 score
    "page_best_rerank",  # best re-ranker logit among the page's passages
)
# Read against the other pages read: each of these minus its largest among the read rows
# (a pointwise model cannot otherwise compare pages; "_lead" features, 0 for the best)
LEAD_FEATURES = (
    "name_idf",
    "name_covered",
    "page_best_message_dense",
    "page_best_dense",
    "rerank_logit",
    "coverage",
    "named_probability",
    "main_name_share",
    "page_best_rerank",
    "focus_probability",
)
# The features computed only when a model reads one of them (`TopicModel.reads_pages`).
PAGE_READ_FEATURES = frozenset(PAGE_FEATURES) | {f"{name}_lead" for name in LEAD_FEATURES}
FEATURES = (
    *RELEVANCE_FEATURES,
    "focus_probability",  # the focus model's P(focus) of the question concept the page is on
    "focus_margin",  # that minus the best concept's (0: the question's main concept)
    # the best, over the question's concepts, of P(focus) x how much of a name the concept and
    # the page share (stemmed words: "nephrotic syndrome" is most of "Nephrotic Syndrome in
    # Adults"), and that share for the main concept alone
    "named_probability",
    "main_name_share",
    "concepts",  # log(1 + distinct concepts of the question): a story names many
    "focus_share",  # share of the first candidates on the same focus
    "focus_best_dense",  # best dense cosine among the candidates on the same focus
    "focus_best_rerank",  # best re-ranker logit among them
    # of the question as a whole (they move the bar a page must pass): its main concept (the
    # focus model's best) names a page of the index, and a first candidate is on it
    "main_paged",
    "main_read",
    *PAGE_FEATURES,
    *(f"{name}_lead" for name in LEAD_FEATURES),
)
# The first candidates read; a candidate further down (to TOPIC_DEPTH) is read too when a
# strong term of the question names its focus (as the rules look that far).
CHOOSER_DEPTH = 5
# "rules-learned": how much more probable than the rules' page another page must be to replace
# it, in a model file without its own (session 20: out of fold on the training questions,
# LiveQA train and 167 English lay questions, 0.1 gave the most right pages: 389 against the
# rules' 383 of 613; docs/benchmarks.md); session 23 chooses it with the model
PAGE_MARGIN = 0.1


# "rules-learned" when the rules abstain: the learned page answers from this P(on topic) up
# (above 1: never, as before session 23)
NO_FALLBACK = 1.1


@dataclass(frozen=True)
class TopicModel(LinearModel):
    MODEL_FILE = "topic.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.topic"
    # how it is read, chosen with it out of fold (`training/topic.py`; a file without them
    # reads as session 22's chooser): the first candidates read, the margin of "rules-learned"
    # and the P(on topic) from which it answers when the rules abstain
    read_depth: int = CHOOSER_DEPTH
    margin: float = PAGE_MARGIN
    fallback: float = NO_FALLBACK

    def to_dict(self) -> dict:
        policy = {"read_depth": self.read_depth, "margin": self.margin, "fallback": self.fallback}
        return super().to_dict() | {"policy": policy}

    @classmethod
    def from_data(cls, data: dict, source) -> TopicModel:
        model = super().from_data(data, source)
        policy = data.get("policy", {})
        return replace(
            model,
            read_depth=int(policy.get("read_depth", CHOOSER_DEPTH)),
            margin=float(policy.get("margin", PAGE_MARGIN)),
            fallback=float(policy.get("fallback", NO_FALLBACK)),
        )

    @property
    def reads_pages(self) -> bool:
        """Whether the model reads a page feature or a lead (session 24 on)."""
        return not PAGE_READ_FEATURES.isdisjoint(self.features)

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        """P(on topic) per row; a missing signal (NaN: no dense index) counts as its training
        mean, so it moves the probability neither way."""
        if not rows:
            return np.zeros(0)
        matrix = self.feature_matrix(rows)
        matrix = np.where(np.isnan(matrix), self.mean, matrix)
        return self.predict_matrix(matrix)


@dataclass(frozen=True)
class Concepts:
    """The focus model's probability for each concept of the question (by phrase key), and
    whether the best one names a page of the index."""

    probability: dict[str, float]
    main: str = ""
    main_paged: bool = False
    # each concept's names as stemmed word sets (its own and the words the question used)
    names: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)


def concept_probabilities(question: Question, focus_model: FocusModel) -> Concepts:
    if not question.terms:
        return Concepts({})
    context = FocusContext(question.summary, message_subject(question.raw), question.text)
    found = focus_features(list(question.terms), context)
    scores = focus_model.scores([features for _, features in found])
    probabilities: dict[str, float] = {}
    for (concept, _), score in zip(found, scores, strict=True):
        key = phrase_key(concept)
        probabilities[key] = max(probabilities.get(key, 0.0), float(score))
    names: dict[str, set[frozenset[str]]] = {}
    for term in question.terms:
        key = phrase_key(term.concept)
        names.setdefault(key, set()).update({_stems(term.concept), _stems(term.text)})
    best = int(np.argmax(scores))
    main, features = found[best]
    return Concepts(
        probabilities,
        phrase_key(main),
        bool(features["names_page"]),
        {k: tuple(n for n in v if n) for k, v in names.items()},
    )


@lru_cache(maxsize=50_000)
def _stems(name: str) -> frozenset[str]:
    return frozenset(stem_words(re.findall(r"[a-z0-9]+", name.lower()))) - STOP_STEMS


def name_share(names: tuple[frozenset[str], ...], passage) -> float:
    """The largest share of words (Jaccard) one of these names has with one of the page's."""
    page = [_stems(n) for n in (passage.focus, *passage.synonyms) if n]
    return max((len(a & b) / len(a | b) for a in names for b in page if a | b), default=0.0)


def topic_features(
    question: Question,
    candidates: list[Candidate],
    idf: CollectionIdf,
    focus_model: FocusModel,
    depth: int = CHOOSER_DEPTH,
    read_depth: int | None = None,
    pages: bool = True,
) -> list[tuple[Candidate, dict[str, float]]]:
    """The candidates the chooser reads with their features: the first `read_depth` (default
    `depth`), then those to TOPIC_DEPTH whose focus a strong term of the question names;
    `focus_share` counts among the first `depth`. `pages`: with PAGE_FEATURES and their leads
    (a model file of before session 24 reads none of them: they are then not computed)."""
    read_depth = depth if read_depth is None else read_depth
    focus_keys = {phrase_key(t.concept) for t in question.terms if not t.weak}
    head = candidates[:TOPIC_DEPTH]
    read = [
        c
        for rank, c in enumerate(head)
        if rank < read_depth or phrase_key(c.passage.focus) in focus_keys
    ]
    signals = {id(c): s for c, s in candidate_relevance(question, head, idf, len(head))}
    concepts = concept_probabilities(question, focus_model)
    by_concept = concepts.probability
    best_concept = max(by_concept.values(), default=0.0)
    first = candidates[:depth]
    main_read = float(any(concepts.main in _keys(c) for c in head)) if concepts.main else 0.0
    found = []
    for candidate in read:
        keys = _keys(candidate)
        same = [c for c in head if _keys(c) & keys] or [candidate]  # a page with no focus
        probability = max((by_concept.get(k, 0.0) for k in keys), default=0.0)
        shares = {k: name_share(n, candidate.passage) for k, n in concepts.names.items()}
        features = {
            **signals[id(candidate)],
            "focus_probability": probability,
            "focus_margin": probability - best_concept,
            "named_probability": max(
                (by_concept.get(k, 0.0) * share for k, share in shares.items()), default=0.0
            ),
            "main_name_share": shares.get(concepts.main, 0.0),
            "concepts": math.log1p(len(by_concept)),
            "focus_share": sum(bool(_keys(c) & keys) for c in first) / max(len(first), 1),
            "focus_best_dense": max(c.scores.get("dense", math.nan) for c in same),
            "focus_best_rerank": max(logit(c.scores.get("rerank", c.score)) for c in same),
            "main_paged": float(concepts.main_paged),
            "main_read": main_read,
        }
        found.append((candidate, features))
    if not pages:
        return found
    by_page = page_features(question, candidates, [c for c, _ in found], idf)
    rows = [f | p for (_, f), p in zip(found, by_page, strict=True)]
    return [(c, f) for (c, _), f in zip(found, with_leads(rows), strict=True)]


def page_features(
    question: Question, candidates: list[Candidate], read: list[Candidate], idf: CollectionIdf
) -> list[dict[str, float]]:
    """PAGE_FEATURES of each read candidate, its page's passages read over all candidates."""
    pages: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        pages.setdefault(candidate.passage.page_key, []).append(candidate)
    best_dense = {p: _best(found, "dense") for p, found in pages.items()}
    best_lexical = {p: _best(found, "lexical") for p, found in pages.items()}
    dense_rank, lexical_rank = _rank_of(best_dense), _rank_of(best_lexical)
    page_rank = {p: rank for rank, p in enumerate(pages)}
    asked_types = set(related_qtypes(question.asked_type))
    words = question_words(question) | content_words(question)
    found = []
    for candidate in read:
        page = candidate.passage.page_key
        same = pages[page]
        covered, name_idf = _name_cover(candidate.passage, words, idf)
        message = _best(same, "message_dense")
        found.append(
            {
                "message_dense": _score(candidate, "message_dense"),
                "page_best_dense": best_dense[page],
                "page_best_message_dense": best_dense[page] if math.isnan(message) else message,
                "page_rank": math.log1p(page_rank[page]),
                "has_section": float(any(c.passage.qtype in asked_types for c in same)),
                "name_covered": covered,
                "name_idf": name_idf,
                "page_passages": math.log1p(len(same)),
                "dense_page_rank": math.log1p(dense_rank[page]),
                "lexical_page_rank": math.log1p(lexical_rank[page]),
                "page_best_rerank": max(logit(c.scores.get("rerank", c.score)) for c in same),
            }
        )
    return found


def _score(candidate: Candidate, signal: str) -> float:
    """A signal's score; the whole message's dense cosine is its summary's when they are one
    text (retrieval then scores it once)."""
    value = candidate.scores.get(signal, math.nan)
    if signal == "message_dense" and math.isnan(value):
        return candidate.scores.get("dense", math.nan)
    return value


def _best(candidates: list[Candidate], signal: str) -> float:
    return max((v for c in candidates if not math.isnan(v := _score(c, signal))), default=math.nan)


def _rank_of(best: dict[str, float]) -> dict[str, int]:
    """Each page's rank by its best score (a page without one last)."""
    order = sorted(best, key=lambda p: -best[p] if not math.isnan(best[p]) else math.inf)
    return {page: rank for rank, page in enumerate(order)}


def _name_cover(passage, words: set[str], idf: CollectionIdf) -> tuple[float, float]:
    """Over the page's names, the largest IDF-weighted share of a name's words the question
    uses, and the largest IDF sum of them."""
    covered, total = 0.0, 0.0
    for name in (passage.focus, *passage.synonyms):
        stems = _stems(name) if name else frozenset()
        if not stems:
            continue
        weights = idf(set(stems), passage.collection)
        used = sum(v for stem, v in weights.items() if stem in words)
        covered = max(covered, used / (sum(weights.values()) or 1.0))
        total = max(total, used)
    return covered, total


def with_leads(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    """Each row with LEAD_FEATURES minus their largest among the rows (NaN stays NaN)."""
    best = {
        n: max((r[n] for r in rows if not math.isnan(r[n])), default=math.nan)
        for n in LEAD_FEATURES
    }
    return [r | {f"{n}_lead": r[n] - best[n] for n in LEAD_FEATURES} for r in rows]


def _keys(candidate: Candidate) -> set[str]:
    passage = candidate.passage
    return {phrase_key(n) for n in (passage.focus, *passage.synonyms) if n}


def choose_learned(
    question: Question,
    candidates: list[Candidate],
    idf: CollectionIdf,
    model: TopicModel,
    focus_model: FocusModel,
    threshold: float | None = None,
) -> Topic | None:
    """A section the question names by its heading (as the rules do: a collection page's
    section, which the model's training questions never ask), else the candidate of highest
    P(on topic), when it reaches `threshold` (default: the model's)."""
    if not candidates:
        return None
    named = named_section(question, candidates)
    if named is not None:
        return named
    found = topic_features(
        question, candidates, idf, focus_model, read_depth=model.read_depth, pages=model.reads_pages
    )
    probabilities = model.probabilities([features for _, features in found])
    best = int(np.argmax(probabilities))
    if probabilities[best] < (model.threshold if threshold is None else threshold):
        return None
    return make_topic(question, found[best][0].passage, candidates)


def prefer_learned(
    question: Question,
    candidates: list[Candidate],
    chosen: Topic | None,
    idf: CollectionIdf,
    model: TopicModel,
    focus_model: FocusModel,
) -> Topic | None:
    """The rules' page (`topic.choose_topic`), or the candidate of highest P(on topic) when
    its P is more than the model's `margin` above the rules' page's: the rules take the first
    candidate a concept of the question names, often a side detail of a story or a broader
    page. When the rules abstain, that candidate when its P reaches the model's `fallback`. A
    section the question names by its heading stays chosen."""
    if chosen is None:
        return choose_learned(question, candidates, idf, model, focus_model, model.fallback)
    if named_section(question, candidates) is not None:
        return chosen
    found = topic_features(
        question, candidates, idf, focus_model, read_depth=model.read_depth, pages=model.reads_pages
    )
    rows = [i for i, (c, _) in enumerate(found) if c.passage.doc_id == chosen.doc_id]
    if not rows:
        return chosen
    probabilities = model.probabilities([features for _, features in found])
    best = int(np.argmax(probabilities))
    if probabilities[best] - probabilities[rows[0]] <= model.margin:
        return chosen
    return make_topic(question, found[best][0].passage, candidates)


@cache
def default_topic_model() -> TopicModel:
    return TopicModel.load()
