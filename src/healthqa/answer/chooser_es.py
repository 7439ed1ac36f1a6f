"""A learned Spanish page chooser: the calibrated probability that a candidate page is the
MedlinePlus en español page a Spanish question is about.

For the first `CHOSEN_DEPTH` pages of the fused Spanish ranking, the signals the rule cascade
(`answer/topic_es.py`) already reads become one row of features each: the page's rank and score
in the fused list, its BM25 rank and share of the best BM25 score, its USE cosine, rank and gap
to the best cosine, the cosine of the question with the page's English names (the bridge),
whether the question names the page (strong or weak term, its name stems), the IDF-weighted
share of the question's content words the page's passages hold, and whether BM25 and the vectors
agree on it; since session 21 also how much of the question the whole page and its names hold
(not only its retrieved passages) and how many of its passages were retrieved; since session 23
how far it leads the other weighed pages on seven of these signals. Since session 26 (model
kind "listwise") a conditional logit turns a question's rows into probabilities: a softmax over
its pages and a "none of them" alternative (`training/conditional_logit.py`), fitted on
page-made queries (`training/page_queries_es.py`, never a question of the Spanish evaluation
sets) and the lay training questions by `python -m healthqa.training.topic_es --listwise`; a
pointwise model (a logistic regression, `retrieval/linear.py`, each row alone) still loads. The
page of the highest probability is chosen when it reaches the model's threshold (chosen on the
same queries by grouped cross-validation, a wrong page costing twice an abstention), else
none."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from healthqa.answer.topic import TOPIC_DEPTH
from healthqa.records import Candidate, Passage, Question
from healthqa.retrieval.lexical import spanish_terms
from healthqa.retrieval.symptoms_es import SymptomPages
from healthqa.retrieval.trees import LOGISTIC, LinearOrTreesModel

# The pages of the fused ranking the chooser weighs (the right page of a page-made description
# is among the first 5 in most cases, scripts/spanish_page_queries.py)
CHOSEN_DEPTH = 5
# Besides them, the candidate pages that hold most of the question anywhere on the page (whole-page
# cover, IDF-weighted): a disease told by its symptoms, without its name, is often ranked below
# the first 5 by symptom pages the question names (session 24: on the 395 lay training questions
# the right page among the rows 319 -> 333 of 375 with 2 such pages).
COVER_DEPTH = 2
# A signal's rank when the page is not ranked by it at all.
UNRANKED = 20
# A page the question does not name is chosen only when its best USE cosine with the question
# reaches this: the features are shares of the best, so with few pages an off-topic question
# sharing one word with a page ("¿la mejor pizza?") looks like it is about that page. Up to 0.25
# no right page of the lay training questions or of the page-made queries is lost (session 19).
MIN_CHOSEN_COSINE = 0.2

FEATURES = (
    "log_rank",  # log(1 + the page's rank in the fused list)
    "fused_share",  # the page's fused score over the best
    "lexical_log_rank",  # log(1 + its rank by BM25 among the candidate pages)
    "lexical_share",  # its best BM25 score over the best BM25 score of the list
    "dense",  # its best USE cosine with the question
    "dense_log_rank",  # log(1 + its rank by USE cosine)
    "dense_gap",  # the best cosine of the list less its own
    "bridge",  # cosine of the question with the page's English names (0 when unmapped)
    "bridge_gap",  # the best bridge cosine of the list less its own
    "agree",  # BM25 and USE both rank it first (1/0)
    "named",  # a strong term of the question names the page (1/0)
    "named_weak",  # only a weak term names it (1/0)
    "named_other",  # the question names another page, not this one (1/0)
    "name_rarity",  # IDF of the rarest word the question named the page by (0: not named); a
    # rare name ("conjuntivitis") says what is asked, a common one ("tos") may be a symptom
    "name_stems",  # share of the page's name stems the question uses
    "coverage",  # IDF-weighted share of the question's content words in the page's passages
    "covered_words",  # how many of them (at most 5)
    # session 19: a lay question describes a disease by what it feels, naming symptom pages
    # (retrieval/symptoms_es.py)
    "symptom_cover",  # IDF-weighted share of the question's content words in its passages on
    # symptoms
    "symptom_words",  # how many of them (at most 5)
    "symptom_cosine",  # USE cosine of the question with its passages on symptoms (0: none)
    "symptom_cosine_gap",  # the best symptom cosine of the list less its own
    "said_as_symptom",  # log(1 + other pages that give one of its names as a symptom)
    "named_symptom",  # the question names it and it is said as a symptom (named x the above)
    "other_named_symptom",  # not named, while the question names a page said as a symptom:
    # the largest log(1 + said) of the pages it names
    # session 20: the adapted question vector (retrieval/adapter_es.py; 0 without an adapter)
    "adapted",  # its best cosine with the adapted question vector
    "adapted_log_rank",  # log(1 + its rank by that cosine)
    "adapted_gap",  # the best adapted cosine of the list less its own
    # session 21: the whole page, not only its retrieved passages (the pages' profile,
    # retrieval/symptoms_es.py; 0 without it)
    "page_hits",  # log(1 + how many of its passages are among the candidates)
    "page_hits_top",  # log(1 + how many among the first TOP_HITS candidates)
    "page_cover",  # IDF-weighted share of the question's content words anywhere on the page
    "page_words",  # how many of them (at most 5)
    "name_cover",  # IDF-weighted share of them in the page's names (title, also-called)
    "coverage_gap",  # the best coverage of the rows less its own
    "page_cover_gap",  # the best page cover of the rows less its own
    "name_cover_gap",  # the best name cover of the rows less its own
    # session 23: how far a page leads the other weighed pages (its own value less the best of
    # the others: positive only for the leader, so the model sees the margin to the second page)
    "fused_share_margin",
    "lexical_share_margin",
    "dense_margin",
    "coverage_margin",
    "page_cover_margin",
    "name_cover_margin",
    "symptom_cosine_margin",
    "rank_disagree",  # |lexical_log_rank - dense_log_rank|: BM25 and the vectors disagree on it
    "rows_weighed",  # log(how many pages are weighed): the margins mean more among more pages
    # session 24: the pages that hold most of the question are weighed too (COVER_DEPTH)
    "page_cover_log_rank",  # log(1 + its rank by whole-page cover among the candidate pages)
)
# Features whose gap to the best of the weighed pages is a feature too ("coverage" ->
# "coverage_gap"): the other gaps are to the best of the whole candidate list.
ROW_GAPS = ("coverage", "page_cover", "name_cover")
# Features whose margin over the best of the other weighed pages is a feature too
# ("dense" -> "dense_margin"; 0 when a single page is weighed).
ROW_MARGINS = (
    "fused_share",
    "lexical_share",
    "dense",
    "coverage",
    "page_cover",
    "name_cover",
    "symptom_cosine",
)
# The head of the candidate list whose passages `page_hits_top` counts.
TOP_HITS = 20


# The kind of a chooser fitted as a conditional logit (`training/conditional_logit.py`).
LISTWISE = "listwise"


@dataclass(frozen=True)
class PageModel(LinearOrTreesModel):
    """A logistic regression (or trees) scoring each row alone or, `listwise`, a conditional
    logit: the same linear score, turned into probabilities over the rows of one question and
    a "none of them" alternative of logit 0 (one row: the logistic function again)."""

    listwise: bool = False

    MODEL_FILE = "topic_es.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.topic_es"

    @property
    def kind(self) -> str:
        return LISTWISE if self.listwise else super().kind

    @classmethod
    def from_data(cls, data: dict, source: Path | str) -> PageModel:
        if data.get("kind") != LISTWISE:
            return super().from_data(data, source)
        return replace(super().from_data({**data, "kind": LOGISTIC}, source), listwise=True)

    def page_probabilities(
        self, features: np.ndarray, queries: np.ndarray | None = None
    ) -> np.ndarray:
        """P(each row is its question's page); `queries` numbers each row's question (None: all
        rows are one question's), read by a listwise model only."""
        if not self.listwise:
            return self.predict_matrix(features)
        return choice_probabilities(self.logits(features), queries)


def choice_probabilities(logits: np.ndarray, queries: np.ndarray | None = None) -> np.ndarray:
    """Softmax of each row's logit over the rows of its query and a "none" alternative of
    logit 0 (`queries` None: one query)."""
    if queries is None:
        queries = np.zeros(len(logits), dtype=np.int64)
    _, group = np.unique(queries, return_inverse=True)
    top = np.zeros(group.max(initial=-1) + 1)  # starts at 0: the "none" alternative's logit
    np.maximum.at(top, group, logits)
    exp = np.exp(logits - top[group])
    total = np.exp(-top) + np.bincount(group, exp, minlength=len(top))
    return exp / total[group]


# The chooser fitted on the ranking with the question adapter (session 20, Settings.spanish_adapter
# on): its rows hold the adapted cosines; the default model is session 19's, fitted without.
ADAPTED_MODEL_FILE = "topic_es_adapter.json"


@lru_cache(maxsize=2)
def default_page_model(adapted: bool = False) -> PageModel:
    """The packaged chooser for the ranking with the question adapter, or without it."""
    if adapted:
        return PageModel.load(PageModel.packaged_path().with_name(ADAPTED_MODEL_FILE))
    return PageModel.load()


@dataclass(frozen=True)
class PageRow:
    """One candidate page with its features."""

    passage: Passage  # its best-ranked passage
    features: dict[str, float]


def _log_rank(rank: int) -> float:
    return math.log1p(rank)


def _pages(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    """page key -> its candidates, pages in fused order (first seen)."""
    pages: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        pages.setdefault(candidate.passage.page_key, []).append(candidate)
    return pages


def _best(rows: list[Candidate], signal: str) -> float:
    return max((c.scores.get(signal, 0.0) for c in rows), default=0.0)


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """page -> rank by value, best first; pages with no positive value are unranked."""
    order = sorted((k for k, v in values.items() if v > 0), key=lambda k: -values[k])
    return {k: i for i, k in enumerate(order)}


def _name_rarity(
    question: Question, idf: Callable[[set[str]], dict[str, float]]
) -> dict[str, float]:
    """concept -> the highest IDF of a word of the terms naming it."""
    rarity: dict[str, float] = {}
    for term in question.terms:
        stems = set(spanish_terms(term.text))
        best = max(idf(stems).values(), default=0.0) if stems else 0.0
        rarity[term.concept] = max(rarity.get(term.concept, 0.0), best)
    return rarity


def _said(symptoms: SymptomPages | None, focuses: set[str]) -> dict[str, float]:
    """focus -> log(1 + the pages that give one of its names as a symptom)."""
    if symptoms is None:
        return {}
    return {f: math.log1p(symptoms.said.get(f, 0)) for f in focuses}


def page_rows(
    question: Question,
    candidates: list[Candidate],
    idf: Callable[[set[str]], dict[str, float]],
    asking: frozenset[str] = frozenset(),
    depth: int = CHOSEN_DEPTH,
    symptoms: SymptomPages | None = None,
    cover_depth: int = COVER_DEPTH,
) -> list[PageRow]:
    """The features of the first `depth` candidate pages (fused order), of any page the
    question names among the first TOPIC_DEPTH candidates (as the names rule reads them) and
    of the `cover_depth` other candidate pages that hold most of the question (whole-page
    cover); the symptom and cover features are 0 without `symptoms` (the pages' profile)."""
    pages = _pages(candidates)
    if not pages:
        return []
    keys = list(pages)
    lexical = {k: _best(rows, "lexical") for k, rows in pages.items()}
    dense = {k: _best(rows, "dense") for k, rows in pages.items()}
    bridge = {k: _best(rows, "bridge_cosine") for k, rows in pages.items()}
    symptom_cosine = {k: _best(rows, "symptom_cosine") for k, rows in pages.items()}
    adapted = {k: _best(rows, "adapted") for k, rows in pages.items()}
    fused = {k: max(c.score for c in rows) for k, rows in pages.items()}
    lexical_rank, dense_rank, adapted_rank = _ranks(lexical), _ranks(dense), _ranks(adapted)
    top_lexical = max(lexical.values()) or 1.0
    top_dense, top_bridge = max(dense.values()), max(bridge.values())
    top_fused = max(fused.values()) or 1.0
    top_symptom, top_adapted = max(symptom_cosine.values()), max(adapted.values())
    strong = {t.concept for t in question.terms if not t.weak}
    weak = {t.concept for t in question.terms if t.weak}
    said = _said(symptoms, {c.passage.focus for c in candidates} | strong | weak)
    rarity = _name_rarity(question, idf)
    words = set(spanish_terms(question.summary or question.text)) - asking
    weights = idf(words) if words else {}
    total = sum(weights.values()) or 1.0
    asked = set(spanish_terms(question.summary or question.text))
    named_keys = [
        c.passage.page_key for c in candidates[:TOPIC_DEPTH] if c.passage.focus in strong | weak
    ]
    chosen = list(dict.fromkeys([*keys[:depth], *named_keys]))
    page_cover = _page_cover(keys, words, weights, total, symptoms)
    cover_rank = _ranks(page_cover)  # ties in fused order (sorted is stable)
    extra = [k for k in sorted(cover_rank, key=cover_rank.__getitem__) if k not in chosen]
    chosen += extra[:cover_depth]
    top_hits = Counter(c.passage.page_key for c in candidates[:TOP_HITS])
    out = []
    for key in chosen:
        rank = keys.index(key)
        rows = pages[key]
        first = rows[0].passage
        names = set(spanish_terms(" ".join([first.focus, *first.synonyms])))
        text = set(spanish_terms(" ".join(f"{c.passage.section} {c.passage.text}" for c in rows)))
        covered = words & (names | text)
        named = first.focus in strong
        on_symptoms = words & (symptoms.stems.get(key, frozenset()) if symptoms else set())
        on_page = words & (symptoms.page_stems.get(key, frozenset()) if symptoms else set())
        in_names = words & (symptoms.name_stems.get(key, frozenset()) if symptoms else set())
        on_page |= in_names
        other_named = (strong | weak) - {first.focus}
        lr, dr = lexical_rank.get(key, UNRANKED), dense_rank.get(key, UNRANKED)
        features = {
            "log_rank": _log_rank(rank),
            "fused_share": fused[key] / top_fused,
            "lexical_log_rank": _log_rank(lr),
            "lexical_share": lexical[key] / top_lexical,
            "dense": dense[key],
            "dense_log_rank": _log_rank(dr),
            "dense_gap": top_dense - dense[key],
            "bridge": bridge[key],
            "bridge_gap": top_bridge - bridge[key],
            "agree": float(lr == 0 and dr == 0),
            "named": float(named),
            "named_weak": float(not named and first.focus in weak),
            "named_other": float(bool(strong) and not named),
            "name_rarity": rarity.get(first.focus, 0.0),
            "name_stems": len(names & asked) / len(names) if names else 0.0,
            "coverage": sum(weights.get(w, 0.0) for w in covered) / total,
            "covered_words": float(min(len(covered), 5)),
            "symptom_cover": sum(weights.get(w, 0.0) for w in on_symptoms) / total,
            "symptom_words": float(min(len(on_symptoms), 5)),
            "symptom_cosine": symptom_cosine[key],
            "symptom_cosine_gap": top_symptom - symptom_cosine[key],
            "said_as_symptom": said.get(first.focus, 0.0),
            "named_symptom": said.get(first.focus, 0.0) * float(first.focus in strong | weak),
            "other_named_symptom": 0.0
            if first.focus in strong | weak
            else max((said.get(c, 0.0) for c in other_named), default=0.0),
            "adapted": adapted[key],
            "adapted_log_rank": _log_rank(adapted_rank.get(key, UNRANKED)),
            "adapted_gap": top_adapted - adapted[key],
            "page_hits": math.log1p(len(rows)),
            "page_hits_top": math.log1p(top_hits.get(key, 0)),
            "page_cover": sum(weights.get(w, 0.0) for w in on_page) / total,
            "page_words": float(min(len(on_page), 5)),
            "name_cover": sum(weights.get(w, 0.0) for w in in_names) / total,
            "page_cover_log_rank": _log_rank(cover_rank.get(key, UNRANKED)),
        }
        out.append(PageRow(first, features))
    _row_relative(out)
    return out


def _page_cover(
    keys: list[str],
    words: set[str],
    weights: dict[str, float],
    total: float,
    symptoms: SymptomPages | None,
) -> dict[str, float]:
    """page -> IDF-weighted share of the question's content words on the page or in its names."""
    if symptoms is None:
        return {}
    cover = {}
    for key in keys:
        held = symptoms.page_stems.get(key, frozenset()) | symptoms.name_stems.get(key, frozenset())
        cover[key] = sum(weights.get(w, 0.0) for w in words & held) / total
    return cover


def _row_relative(rows: list[PageRow]) -> None:
    """The features that compare a row with the other weighed rows (ROW_GAPS, ROW_MARGINS)."""
    for name in ROW_GAPS:
        best = max(r.features[name] for r in rows)
        for row in rows:
            row.features[f"{name}_gap"] = best - row.features[name]
    for name in ROW_MARGINS:
        values = [r.features[name] for r in rows]
        for i, row in enumerate(rows):
            others = values[:i] + values[i + 1 :]
            row.features[f"{name}_margin"] = values[i] - max(others, default=values[i])
    for row in rows:
        f = row.features
        f["rank_disagree"] = abs(f["lexical_log_rank"] - f["dense_log_rank"])
        f["rows_weighed"] = math.log(len(rows))


def matrix(rows: list[PageRow], features: tuple[str, ...] = FEATURES) -> np.ndarray:
    return np.array([[r.features[f] for f in features] for r in rows], dtype=np.float64)


def chosen_page(rows: list[PageRow], model: PageModel) -> tuple[Passage | None, float]:
    """The most probable page and its probability; no page below the model's threshold, nor a
    page the question does not name below MIN_CHOSEN_COSINE or holding none of its words."""
    if not rows:
        return None, 0.0
    probability = model.page_probabilities(matrix(rows, model.features))
    best = int(np.argmax(probability))
    p = float(probability[best])
    features = rows[best].features
    named = features["named"] or features["named_weak"]
    # an unnamed page must hold one of the question's content words (retrieved passages or the
    # whole page): near in meaning alone ("¿qué es la sniffle fever y cómo se contagia?" and a
    # page on shingles) is not enough. Out of fold on the 563 lay training questions and the
    # page-made queries no page chosen at the threshold lacked them (session 24).
    held = features["coverage"] > 0 or features["page_cover"] > 0
    close = named or (features["dense"] >= MIN_CHOSEN_COSINE and held)
    return (rows[best].passage if p >= model.threshold and close else None), p
