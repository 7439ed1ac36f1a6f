"""Fits the learned English topic chooser (`answer/topic_model.py`, `Settings.topic="learned"`):
P(a candidate page is on what the question asks) over the candidates the chooser reads, and
the threshold below which it abstains. Training data only, never evaluation data:

- the LiveQA 2017 training questions with distant labels (`labels.py`, as
  `training/relevance.py` reads them): a page is on topic when a reference answer was copied
  from it, its focus is an annotated focus's concept, or one of its names is an annotated
  focus by the focus model's labelling rule (`training/focus.py` `same_name`, the rule
  `bench/topic_train.py` judges by);
- the lay questions of `lay_questions_en.jsonl` (beside this file, when present) with their
  gold MedQuAD pages: a page is on topic when it is a gold page or has a gold page's focus; a
  row without sources is a question no page answers (every candidate off topic).

    python -m healthqa.training.topic [--data DIR] [--out FILE] [--hold-out K:R]
        [--lay-hold-out K:R]

No class weights, so the output is a probability. C by 5-fold cross-validation grouped by
question (log loss). The threshold is chosen on the out-of-fold predictions at the level of
questions: the chooser answers from its best candidate when that reaches the threshold, and
the expected cost counts a wrong page as WRONG_ANSWER_COST abstentions and an abstention as
one when an on-topic page was among the candidates. The same out-of-fold choices are set
against the rules' (`answer/topic.py` `choose_topic`) on the same labels. How the default
"rules-learned" reads the model (session 23) is chosen with it by the same cost out of fold:
how many first candidates it reads (READ_DEPTHS, each depth with its own C), the margin by
which its page must beat the rules' one, and the P from which its page answers where the rules
abstain. `--hold-out K:R` leaves out the LiveQA questions at positions i % K == R (for
`bench/topic_train.py` on them), `--lay-hold-out K:R` the lay questions (for
`bench/lay_train.py --every K --offset R --topic-model FILE`).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.focus import FocusModel
from healthqa.analysis.focus import default_model as default_focus_model
from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer.topic import choose_topic
from healthqa.answer.topic_model import (
    CHOOSER_DEPTH,
    FEATURES,
    LEAD_FEATURES,
    NO_FALLBACK,
    PAGE_MARGIN,
    TopicModel,
    topic_features,
)
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.errors import HealthqaError
from healthqa.training.data import (
    LayQuestion,
    read_lay_questions,
    read_liveqa_train,
    read_medquad,
)
from healthqa.training.focus import same_name
from healthqa.training.labels import ShingleIndex, copied_answers
from healthqa.training.qtype import parse_hold_out

# the relevance model's grid, folds and cost: a wrong page costs two abstentions
from healthqa.training.relevance import (
    C_GRID,
    FOLDS,
    SEED,
    THRESHOLDS,
    WRONG_ANSWER_COST,
    calibration,
    page_of,
)

# other thresholds the card shows the chooser at (not chosen by)
CURVE = (0.2, 0.3, 0.4, 0.5)
# what "rules-learned" is chosen among, out of fold with the model: the first candidates read,
# the margin by which the learned page must beat the rules' one, and the P(on topic) from
# which the learned page answers when the rules abstain
READ_DEPTHS = (5, 10, 15, 30)
# Margins from session 20's 0.1 up: smaller ones (0.02 out of fold) took more right pages at the
# topic step (lay 237 against 225 at 0.1) but none end to end (bench/lay_train.py 236 -> 236 of
# 367), lost LiveQA training topics (bench/topic_train.py 269 -> 266 right, 68 -> 72 wrong) and
# replaced the cramps page of "why does spasm occur?" (tests/test_integration_answers.py) by
# hemifacial spasm (docs/benchmarks.md "Session 23")
MARGINS = (0.1, 0.15, 0.2)
FALLBACKS = (*THRESHOLDS, NO_FALLBACK)


@dataclass
class Asked:
    """One training question: its read candidates' features and labels, and the rules' pick."""

    source: str  # "liveqa" | "lay"
    group: str  # what cross-validation keeps together (the question; lay: its gold page)
    features: np.ndarray
    labels: np.ndarray
    rules: int  # the rules' page: 1 on topic, 0 off topic, -1 abstained
    answerable: bool  # an on-topic page is among the candidates read
    # the row of the rules' page (ABSTAINED: the rules abstained; NOT_READ: not a row)
    rules_row: int = -1
    ranks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


ABSTAINED, NOT_READ = -2, -1


def question_rows(
    engine: Engine, text: str, on_topic, source: str, group: str, focus_model
) -> Asked:
    """`on_topic(passage) -> bool` labels a candidate page."""
    analysed = engine.analyze(text)
    candidates = engine.retrieve(analysed)
    idf = engine.index.lexical.idf
    found = topic_features(analysed, candidates, idf, focus_model, read_depth=max(READ_DEPTHS))
    labels = np.array([int(on_topic(c.passage)) for c, _ in found], dtype=int)
    chosen = choose_topic(analysed, candidates, idf)
    rules_row = ABSTAINED
    if chosen is None:
        rules = -1
    else:
        picked = next((c.passage for c in candidates if c.passage.doc_id == chosen.doc_id), None)
        rules = int(picked is not None and on_topic(picked))
        rows = (i for i, (c, _) in enumerate(found) if c.passage.doc_id == chosen.doc_id)
        rules_row = next(rows, NOT_READ)
    rank_of = {id(c): rank for rank, c in enumerate(candidates)}
    features = np.array([[f[n] for n in FEATURES] for _, f in found], dtype=np.float64)
    return Asked(
        source,
        group,
        features.reshape(len(found), len(FEATURES)),
        labels,
        rules,
        bool(labels.any()),
        rules_row,
        np.array([rank_of[id(c)] for c, _ in found], dtype=int),
    )


def read_to(asked: list[Asked], depth: int) -> list[Asked]:
    """The questions as the chooser reads them at this read depth: the rows of the first
    `depth` candidates and of those a strong term names (`focus_named`)."""
    named = FEATURES.index("focus_named")
    found = []
    for a in asked:
        keep = np.flatnonzero((a.ranks < depth) | (a.features[:, named] > 0))
        row = a.rules_row
        if row >= 0:
            row = int(np.searchsorted(keep, row)) if row in keep else NOT_READ
        labels = a.labels[keep]
        found.append(
            replace(
                a,
                features=leads_among(a.features[keep]),
                labels=labels,
                answerable=bool(labels.any()),
                rules_row=row,
                ranks=a.ranks[keep],
            )
        )
    return found


def leads_among(x: np.ndarray) -> np.ndarray:
    """The "_lead" columns read again among these rows (`topic_model.with_leads`: the chooser
    compares the rows it reads, so a shallower read has other leads)."""
    x = x.copy()
    for name in LEAD_FEATURES:
        column = x[:, FEATURES.index(name)]
        best = np.nanmax(column) if len(column) and not np.isnan(column).all() else np.nan
        x[:, FEATURES.index(f"{name}_lead")] = column - best
    return x


def liveqa_questions(
    engine: Engine, data_dir: Path, hold_out: tuple[int, int] | None, focus_model
) -> list[Asked]:
    from healthqa.training.rerank import _focus_keys

    shingle_index = ShingleIndex(read_medquad(data_dir))
    asked = []
    for number, question in enumerate(read_liveqa_train(data_dir)):
        if hold_out and number % hold_out[0] == hold_out[1]:
            continue
        if not question.original.strip():
            continue
        copied = {page_of(d) for d in copied_answers(question, shingle_index)}
        keys = _focus_keys(engine, question)
        foci = [p.focus for p in question.parts if p.focus]

        def on_topic(passage, copied=copied, keys=keys, foci=foci) -> bool:
            names = (passage.focus, *passage.synonyms, passage.title)
            return (
                page_of(passage.doc_id) in copied
                or phrase_key(passage.focus) in keys
                or any(same_name(f, names) for f in foci)
            )

        asked.append(
            question_rows(
                engine, question.original, on_topic, "liveqa", f"liveqa-{number}", focus_model
            )
        )
    return asked


def lay_questions(engine: Engine, rows: list[LayQuestion], focus_model) -> list[Asked]:
    """The lay questions; questions that share a gold page are one cross-validation group (a
    must-abstain one is a group of its own)."""
    focus_of = {page_of(p.doc_id): p.focus for p in engine.index.passages}
    groups = page_groups([{page_of(s) for s in row.sources} for row in rows])
    asked = []
    for number, row in enumerate(rows):
        pages = {page_of(s) for s in row.sources}
        keys = {phrase_key(focus_of[p]) for p in pages if p in focus_of}

        def on_topic(passage, pages=pages, keys=keys) -> bool:
            return page_of(passage.doc_id) in pages or phrase_key(passage.focus) in keys

        group = f"lay-{groups[number]}"
        asked.append(question_rows(engine, row.question, on_topic, "lay", group, focus_model))
    return asked


def page_groups(pages: list[set[str]]) -> list[int]:
    """Each question's group: questions joined by a shared page (connected components)."""
    parent = list(range(len(pages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, found in enumerate(pages):
        for page in found:
            j = first.setdefault(page, i)
            parent[root(i)] = root(j)
    return [root(i) for i in range(len(pages))]


def stack(asked: list[Asked]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of every question: features, labels, and each row's question number."""
    x = np.vstack([a.features for a in asked])
    y = np.concatenate([a.labels for a in asked])
    owner = np.concatenate([np.full(len(a.labels), i) for i, a in enumerate(asked)])
    return x, y, owner


def fill_missing(x: np.ndarray) -> np.ndarray:
    """A missing signal (NaN: dense off) as its column mean, as the model reads it."""
    means = np.nanmean(x, axis=0)
    return np.where(np.isnan(x), np.nan_to_num(means), x)


def fit(asked: list[Asked], c: float) -> TopicModel:
    x, y, _ = stack(asked)
    return TopicModel.fit(fill_missing(x), y, FEATURES, C=c)


def folds(asked: list[Asked], count: int = FOLDS) -> list[np.ndarray]:
    """Question numbers of each fold, grouped by `Asked.group`."""
    groups = sorted({a.group for a in asked})
    order = np.random.default_rng(SEED).permutation(groups)
    fold_of = {g: i % count for i, g in enumerate(order)}
    return [
        np.array([i for i, a in enumerate(asked) if fold_of[a.group] == f]) for f in range(count)
    ]


def out_of_fold(asked: list[Asked], c: float, train_too: list[Asked] = ()) -> list[np.ndarray]:
    """Each question's candidate probabilities from a model fitted without its fold
    (`train_too`: questions always in the training folds)."""
    predicted: list[np.ndarray] = [np.zeros(0)] * len(asked)
    for held in folds(asked):
        held_set = set(held.tolist())
        train = [a for i, a in enumerate(asked) if i not in held_set] + list(train_too)
        model = fit(train, c)
        for i in held:
            predicted[i] = model.predict_matrix(fill_missing_like(asked[i].features, model))
    return predicted


def fill_missing_like(x: np.ndarray, model: TopicModel) -> np.ndarray:
    return np.where(np.isnan(x), model.mean, x)


def outcomes(asked: list[Asked], predicted: list[np.ndarray], threshold: float) -> dict:
    """Right / wrong / abstained (and abstained with an on-topic page read) of the chooser."""
    counts = {"right": 0, "wrong": 0, "abstained": 0, "abstained_answerable": 0}
    for a, p in zip(asked, predicted, strict=True):
        if len(p) == 0 or p.max() < threshold:
            counts["abstained"] += 1
            counts["abstained_answerable"] += int(a.answerable)
        elif a.labels[int(np.argmax(p))]:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return counts


def combined_outcomes(
    asked: list[Asked], predicted: list[np.ndarray], margin: float, fallback: float
) -> dict:
    """Right / wrong / abstained of "rules-learned" (`topic_model.prefer_learned`): the rules'
    page, the learned best when its P is more than `margin` above the rules' page's, and when
    the rules abstain, the learned best from `fallback` up."""
    counts = {"right": 0, "wrong": 0, "abstained": 0, "abstained_answerable": 0}
    for a, p in zip(asked, predicted, strict=True):
        if a.rules_row == ABSTAINED and (len(p) == 0 or p.max() < fallback):
            counts["abstained"] += 1
            counts["abstained_answerable"] += int(a.answerable)
            continue
        learned = a.rules_row == ABSTAINED or (
            a.rules_row >= 0 and p.max() - p[a.rules_row] > margin
        )
        right = a.labels[int(np.argmax(p))] if learned else a.rules == 1
        counts["right" if right else "wrong"] += 1
    return counts


def rules_outcomes(asked: list[Asked]) -> dict:
    counts = {"right": 0, "wrong": 0, "abstained": 0, "abstained_answerable": 0}
    for a in asked:
        if a.rules < 0:
            counts["abstained"] += 1
            counts["abstained_answerable"] += int(a.answerable)
        else:
            counts["right" if a.rules else "wrong"] += 1
    return counts


def cost(counts: dict, total: int) -> float:
    return (WRONG_ANSWER_COST * counts["wrong"] + counts["abstained_answerable"]) / max(total, 1)


def choose_threshold(asked: list[Asked], predicted: list[np.ndarray]) -> float:
    return min(THRESHOLDS, key=lambda t: (cost(outcomes(asked, predicted, t), len(asked)), t))


def write_card(model: TopicModel, path: Path) -> None:
    info = model.info or {}
    cv = info["cross_validation"]

    def row(name: str, counts: dict) -> str:
        return (
            f"| {name} | {counts['right']} | {counts['wrong']} | {counts['abstained']} "
            f"({counts['abstained_answerable']} with an on-topic page read) |"
        )

    lines = [
        "# Learned English topic chooser (`topic.json`)",
        "",
        "P(a candidate page is on what the question asks) over the candidates the chooser reads",
        f"(`answer/topic_model.py`: the first {model.read_depth}, and those to 30 a strong term"
        " names).",
        "As the default `rules-learned` reads it: the rules' page, replaced by the most probable",
        f"one when that is more than {model.margin} more probable; when the rules abstain, the",
        f"most probable one from P {model.fallback} up"
        + (" (never)" if model.fallback > 1 else "")
        + ". As `learned` alone: the most probable one",
        "when it reaches the threshold.",
        "",
        f"- Data: {info['trained_on']};",
        f"  {info['questions']} questions, {info['rows']} rows, {info['relevant_share']:.1%}"
        " on topic.",
        f"- Model: logistic regression on standardised features, no class weights, C = {info['C']}",
        f"  (chosen by {FOLDS}-fold cross-validation grouped by question, lay questions by gold",
        "  page, log loss).",
        f"- Threshold {model.threshold}: {info['threshold_rule']} (out-of-fold predictions).",
        f"- Read depth ({', '.join(map(str, READ_DEPTHS))}), margin and fallback of"
        " `rules-learned`: the same lowest expected cost on all training questions, out of fold",
        "  (each read depth with its own C):",
        "",
        "| read depth | expected cost | margin | fallback |",
        "|---:|---:|---:|---:|",
        *(
            f"| {d} | {r['cost']} | {r['margin']} | {r['fallback']} |"
            for d, r in info["policy_by_read_depth"].items()
        ),
        "",
        f"- Built by `{info['built_by']}` in {info['train_seconds']} s on 2 shared cores.",
        "",
        "| feature | coefficient (standardised) |",
        "|---|---:|",
        *(f"| {n} | {c:.3f} |" for n, c in zip(model.features, model.coef, strict=True)),
        "",
        f"Out-of-fold calibration (rows): Brier {cv['brier']}, log loss {cv['log_loss']},"
        f" expected calibration error {cv['ece']}.",
        "",
        "| predicted | rows | mean prediction | on-topic share |",
        "|---|---:|---:|---:|",
        *(
            f"| {r['bin']} | {r['rows']} | {r['mean_probability']} | {r['relevant_share']} |"
            for r in cv["reliability"]
        ),
        "",
        "Out-of-fold choices per question, the same distant or gold labels (topic step only):",
        "",
        "| questions, chooser | right page | wrong page | abstained |",
        "|---|---:|---:|---|",
    ]
    for source, figures in info["choices"].items():
        lines.append(row(f"{source} ({figures['questions']}), rules", figures["rules"]))
        for name in ("rules-learned as in session 22", "rules-learned"):
            lines.append(row(f"{source}, {name}", figures[name]))
        lines.append(row(f"{source} ({figures['questions']}), learned", figures["learned"]))
        for t, counts in figures["learned_at"].items():
            lines.append(row(f"{source}, learned at threshold {t}", counts))
    lines += [
        "",
        "LiveQA labels are distant (a copied answer or an annotated focus), so a page on the",
        "right subject under another name can count as wrong; lay questions are grouped by",
        "shared gold page, so a held-out question's page was never a positive in training.",
    ]
    path.write_text("\n".join(lines) + "\n")


def fit_at(asked: list[Asked]) -> tuple[float, dict, list[np.ndarray]]:
    """C of lowest out-of-fold log loss, the calibration figures by C, its predictions."""
    y = stack(asked)[1]
    by_c = {c: out_of_fold(asked, c) for c in C_GRID}
    figures = {str(c): calibration(np.concatenate(p), y) for c, p in by_c.items()}
    best = min(C_GRID, key=lambda c: figures[str(c)]["log_loss"])
    return best, figures, by_c[best]


def best_policy(asked: list[Asked], predicted: list[np.ndarray]) -> tuple[float, float, float]:
    """(expected cost, margin, fallback) of "rules-learned" at its lowest cost; ties go to the
    larger margin and higher fallback (the rules' page kept more often)."""
    found = [
        (cost(combined_outcomes(asked, predicted, m, f), len(asked)), m, f)
        for m in MARGINS
        for f in FALLBACKS
    ]
    return min(found, key=lambda r: (r[0], -r[1], -r[2]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=TopicModel.packaged_path())
    parser.add_argument("--hold-out", default="", help="K:R, leave out LiveQA questions i%%K==R")
    parser.add_argument("--lay", type=Path, default=None, help="lay questions (default: packaged)")
    parser.add_argument("--lay-hold-out", default="", help="K:R, leave out lay questions i%%K==R")
    parser.add_argument(
        "--focus-model", type=Path, default=None, help="the focus model (default: packaged)"
    )
    args = parser.parse_args(argv)
    hold_out = parse_hold_out(args.hold_out) if args.hold_out else None
    lay_hold_out = parse_hold_out(args.lay_hold_out) if args.lay_hold_out else None
    if (hold_out or lay_hold_out) and args.out == TopicModel.packaged_path():
        raise HealthqaError("--hold-out / --lay-hold-out write a check model: give --out FILE")
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data))
    focus_model = FocusModel.load(args.focus_model) if args.focus_model else default_focus_model()
    engine.analyzer.focus_model = focus_model
    asked = liveqa_questions(engine, engine.settings.data_dir, hold_out, focus_model)
    lay = read_lay_questions("en", path=args.lay)
    if lay_hold_out:
        lay = [q for i, q in enumerate(lay) if i % lay_hold_out[0] != lay_hold_out[1]]
    asked += lay_questions(engine, lay, focus_model)
    fitted = {depth: fit_at(read_to(asked, depth)) for depth in READ_DEPTHS}
    policies = {depth: best_policy(read_to(asked, depth), f[2]) for depth, f in fitted.items()}
    depth = min(READ_DEPTHS, key=lambda d: (policies[d][0], d))
    # session 22's reading (5 candidates, margin 0.1, no answer when the rules abstain)
    before = read_to(asked, CHOOSER_DEPTH), fitted[CHOOSER_DEPTH][2]
    asked = read_to(asked, depth)
    best, figures, predicted = fitted[depth]
    _, margin, fallback = policies[depth]
    y = stack(asked)[1]
    threshold = choose_threshold(asked, predicted)
    choices = {}
    for source in sorted({a.source for a in asked}):
        picked = [i for i, a in enumerate(asked) if a.source == source]
        part = [asked[i] for i in picked]
        part_predicted = [predicted[i] for i in picked]
        choices[source] = {
            "questions": len(part),
            "rules": rules_outcomes(part),
            "rules-learned": combined_outcomes(part, part_predicted, margin, fallback),
            "rules-learned as in session 22": combined_outcomes(
                [before[0][i] for i in picked],
                [before[1][i] for i in picked],
                PAGE_MARGIN,
                NO_FALLBACK,
            ),
            "learned": outcomes(part, part_predicted, threshold),
            "learned_at": {str(t): outcomes(part, part_predicted, t) for t in CURVE},
        }
    held = f", LiveQA questions i % {hold_out[0]} == {hold_out[1]} left out" if hold_out else ""
    if lay_hold_out:
        held += f", lay questions i % {lay_hold_out[0]} == {lay_hold_out[1]} left out"
    lay_count = sum(a.source == "lay" for a in asked)
    info = {
        "trained_on": "LiveQA 2017 training questions, distant labels (healthqa.training.labels)"
        + (f"; {lay_count} lay questions with gold MedQuAD pages" if lay_count else "")
        + held,
        "questions": len(asked),
        "rows": int(len(y)),
        "relevant_share": round(float(y.mean()), 4),
        "C": best,
        "cross_validation": figures[str(best)],
        "cross_validation_by_C": {
            c: {k: v for k, v in f.items() if k != "reliability"} for c, f in figures.items()
        },
        "policy_by_read_depth": {
            str(d): {"cost": round(c, 4), "margin": m, "fallback": f}
            for d, (c, m, f) in policies.items()
        },
        "threshold_rule": f"lowest expected cost per question, wrong page = {WRONG_ANSWER_COST}"
        " x abstention",
        "choices": choices,
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.topic"
        + (f" --hold-out {args.hold_out}" if hold_out else "")
        + (f" --lay-hold-out {args.lay_hold_out}" if lay_hold_out else ""),
    }
    model = replace(
        fit(asked, best),
        threshold=threshold,
        info=info,
        read_depth=depth,
        margin=margin,
        fallback=fallback,
    )
    model.save(args.out)
    if not (hold_out or lay_hold_out):
        write_card(model, args.out.with_name("topic.card.md"))
    print(json.dumps({k: v for k, v in info.items() if k != "cross_validation_by_C"}, indent=1))
    print(dict(zip(FEATURES, np.round(model.coef, 3).tolist(), strict=True)))
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
