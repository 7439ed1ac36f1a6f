"""Facts in the answer, on training data: the composer's settings measured and fitted on the
446 LiveQA 2017 training questions, whose reference answers NLM staff wrote.

    python bench/compose_train.py [--limit N] [--every K] [--out FILE] [--cache FILE]
                                  [--set NAME=VALUE ...] [--fit]

1. Each question is asked as `Engine.ask` does (default settings, 300 words as read); what the
   composer was given (the question, the topic's candidates, the word budget, the topic's
   names) is cached as JSON (`--cache`), so that composing again under other settings costs
   no retrieval.
2. Each answer's quoted sentences are scored against the question's reference answers: the
   share of a reference's content-word stems the answer has (stop words left out, Porter
   stems as rouge-score makes them), and ROUGE-1/2 recall; the best reference counts. Only
   questions whose answer cites a page on an annotated focus are scored, so that the figure
   measures composition, not topic choice.
3. `short_unused`: answers of at most SHORT_WORDS words as read that leave quotable sentences
   of their cited pages out.

With `--fit`, the settings (`healthqa.config.ComposeSettings`) are fitted by coordinate ascent
over GRID on the even-numbered questions (in file order) and reported on the odd ones, the
held-out check. No evaluation data is read.

`--lay` (session 19) reads the lay training questions instead
(`src/healthqa/training/lay_questions_en.jsonl`, written from MedQuAD pages like the held-out
answer sets, training data): each answer that cites one of the question's gold pages is scored
by the share of its required facts found (`fact_share`, matched as `healthqa eval answers`
matches them) and whether all are (`all_facts`); `--fit` then fits `fact_share`.
`--lay --both` fits the mean of the two sets' objectives (each on its even half).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from pathlib import Path

import numpy as np
from rouge_score.rouge_scorer import RougeScorer

from healthqa import engine as engine_module
from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer import sections as S
from healthqa.answer.compose import (
    _assemble,
    _pool_sentences,
    _select,
    _unsure_second,
    compose,
    quotable,
    sentence_score,
)
from healthqa.answer.sections import section_for_question
from healthqa.config import ComposeSettings, Settings
from healthqa.engine import Engine
from healthqa.evaluation.answers import cites_source, contains_phrase, stem_sequence
from healthqa.records import Answer, Candidate, Passage, Question, Term
from healthqa.retrieval.linear import LinearModel
from healthqa.training.agreement import _tools
from healthqa.training.data import LayQuestion, TrainQuestion, read_lay_questions, read_liveqa_train
from healthqa.training.rerank import _focus_keys
from healthqa.training.salience import copied_share

SHORT_WORDS = 150
# The values coordinate ascent tries for each setting.
GRID: dict[str, tuple] = {
    "overlap_weight": (0.0, 0.5, 1.0, 2.0, 3.0, 5.0),
    "asked_section_bonus": (0.0, 0.5, 1.0, 1.5, 2.5, 4.0),
    "passage_rank_weight": (0.0, 0.5, 1.0, 2.0, 3.0, 5.0),
    "position_weight": (0.0, 0.4, 0.8, 1.6, 3.0),
    "asked_section_share": (0.3, 0.5, 0.7, 0.85, 1.0),
    "max_asked_sentences": (1, 2, 3, 4, 6, 10, 15),
    "sentences_per_other_section": (0, 1, 2, 3),
    "fill_rest": (False, True),
    "lent_penalty": (0.0, 0.5, 1.0, 2.0, 4.0),
}
ROUNDS = 3


@dataclass
class Case:
    """What the composer was given for one training question, and what scores its answer."""

    qid: str
    position: int  # in file order: even positions fit, odd ones check
    question: Question
    candidates: list[Candidate]
    max_words: int
    max_sources: int
    topic_names: frozenset[str]
    references: list[str]
    on_focus: bool  # the default answer cites a page on an annotated focus (lay: a gold page)
    facts: tuple[tuple[str, ...], ...] = ()  # lay questions: the facts a good answer has


# --- collecting ---------------------------------------------------------------------------


class _Recorder:
    """Wraps the engine's composer to keep the arguments of its last call."""

    def __init__(self) -> None:
        self.last: tuple | None = None
        self.original = engine_module.compose

    def __enter__(self) -> _Recorder:
        def recording(question, candidates, max_words, max_sources=4, topic_names=None, **kw):
            self.last = (question, candidates, max_words, max_sources, topic_names)
            return self.original(question, candidates, max_words, max_sources, topic_names, **kw)

        engine_module.compose = recording
        return self

    def __exit__(self, *exc) -> None:
        engine_module.compose = self.original


def cites_focus(engine: Engine, answer: Answer, keys: set[str]) -> bool:
    for citation in answer.citations:
        rows = engine.index.rows_by_doc.get(citation.id, [])
        if any(phrase_key(engine.index.passages[r].focus) in keys for r in rows):
            return True
    return False


def collect(engine: Engine, question: TrainQuestion | LayQuestion, position: int) -> Case | None:
    lay = isinstance(question, LayQuestion)
    references = [] if lay else [a for part in question.parts for a in part.answers]
    if not references and not lay:
        return None
    with _Recorder() as recorder:
        answer = engine.ask(question.question if lay else question.original)
    if recorder.last is None or answer.abstained or not answer.sections:
        return None
    analysed, candidates, max_words, max_sources, names = recorder.last
    if lay:
        on_focus = cites_source([i for c in answer.citations for i in c.ids], question.sources)
    else:
        on_focus = cites_focus(engine, answer, _focus_keys(engine, question))
    return Case(
        question.qid,
        position,
        analysed,
        list(candidates),
        max_words,
        max_sources,
        frozenset(names or ()),
        references,
        on_focus,
        question.facts if lay else (),
    )


def case_to_dict(case: Case) -> dict:
    q = case.question
    return {
        "qid": case.qid,
        "position": case.position,
        "question": {
            "raw": q.raw,
            "text": q.text,
            "qtype": q.qtype,
            "focus": q.focus,
            "terms": [t.to_dict() for t in q.terms],
            "summary": q.summary,
            "emergency_cues": list(q.emergency_cues),
            "language": q.language,
            "section_type": q.section_type,
            "section_second": q.section_second,
            "section_confidence": q.section_confidence,
        },
        "candidates": [[c.passage.id, c.score] for c in case.candidates],
        "max_words": case.max_words,
        "max_sources": case.max_sources,
        "topic_names": sorted(case.topic_names),
        "references": case.references,
        "on_focus": case.on_focus,
        "facts": [list(group) for group in case.facts],
    }


def case_from_dict(data: dict, passages: dict[str, Passage]) -> Case:
    q = data["question"]
    terms = tuple(Term.from_dict(t) for t in q["terms"])
    question = Question(**{**q, "terms": terms, "emergency_cues": tuple(q["emergency_cues"])})
    return Case(
        data["qid"],
        data["position"],
        question,
        [Candidate(passages[i], score=s) for i, s in data["candidates"]],
        data["max_words"],
        data["max_sources"],
        frozenset(data["topic_names"]),
        data["references"],
        data["on_focus"],
        tuple(map(tuple, data.get("facts", ()))),
    )


def load_cases(
    engine: Engine, questions: list[tuple[int, TrainQuestion | LayQuestion]], cache_path: Path
) -> list[Case]:
    """The questions' cases, from the cache when it has them (collected and added otherwise)."""
    cached: dict[str, dict] = {}
    if cache_path.is_file():
        for line in cache_path.read_text().splitlines():
            row = json.loads(line)
            cached[row["qid"]] = row
    passages = {p.id: p for p in engine.index.passages}
    cases = []
    with cache_path.open("a") as out:
        for position, question in questions:
            if question.qid in cached:
                row = cached[question.qid]
                if row.get("skipped"):
                    continue
                cases.append(case_from_dict(row, passages))
                continue
            case = collect(engine, question, position)
            row = case_to_dict(case) if case else {"qid": question.qid, "skipped": True}
            out.write(json.dumps(row) + "\n")
            out.flush()
            if case is not None:
                cases.append(case)
    return cases


# --- scoring ------------------------------------------------------------------------------


@cache
def content_stems(text: str) -> frozenset[str]:
    tokenizer, stemmer, stop = _tools()
    words = tokenizer.tokenize(text)
    return frozenset(stemmer.stem(w) if len(w) > 3 else w for w in words if w not in stop)


def answer_stems(answer: Answer) -> frozenset[str]:
    return frozenset().union(
        *(content_stems(s.text) for sec in answer.sections for s in sec.sentences)
    )


_ROUGE = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def quoted_text(answer: Answer) -> str:
    return " ".join(s.text for section in answer.sections for s in section.sentences)


def composed(case: Case, settings: ComposeSettings) -> Answer:
    """`compose` under `settings`, from the case's pooled sentences (pooled once: only their
    scores depend on the settings)."""
    asked, pool = _pool(case)
    for p in pool:
        p.score = sentence_score(p.features, settings)
    second = _unsure_second(case.question, asked, settings)
    chosen = _select(pool, asked, case.max_words, case.max_sources, "en", settings, second)
    return _assemble(case.question, chosen, asked)


def check_pooling(cases: list[Case], settings: ComposeSettings) -> None:
    """The cached pools give what `compose` gives."""
    for case in cases:
        direct = compose(
            case.question,
            case.candidates,
            case.max_words,
            case.max_sources,
            case.topic_names,
            settings=settings,
        )
        if direct.body != composed(case, settings).body:
            raise SystemExit(f"cached pooling differs from compose on {case.qid}")


def score_case(case: Case, settings: ComposeSettings, rouge: bool = False, model=None) -> dict:
    answer = composed(case, settings) if model is None else composed_learned(case, settings, model)
    text = quoted_text(answer)
    stems = answer_stems(answer)
    recall = max(
        (len(stems & r) / len(r) for ref in case.references if (r := content_stems(ref))),
        default=0.0,
    )
    row = {
        "qid": case.qid,
        "stem_recall": round(recall, 4),
        "words": answer.words,
        "sources": len(answer.citations),
        "unused": unused_sentences(case, answer),
    }
    if case.facts:
        body = stem_sequence(text)
        found = [any(contains_phrase(body, p) for p in group) for group in case.facts]
        row["fact_share"] = round(sum(found) / len(found), 4)
        row["all_facts"] = float(all(found))
    if rouge and case.references:
        scores = [_ROUGE.score(ref, text) for ref in case.references]
        row["rouge1_recall"] = round(max(s["rouge1"].recall for s in scores), 4)
        row["rouge2_recall"] = round(max(s["rouge2"].recall for s in scores), 4)
    return row


def unused_sentences(case: Case, answer: Answer) -> int:
    """Quotable sentences of the answer's cited pages that it leaves out."""
    cited = {c.id for c in answer.citations}
    pages = {c.passage.page_key for c in case.candidates if c.passage.doc_id in cited}
    for citation in answer.citations:
        pages |= {c.passage.page_key for c in case.candidates if c.passage.doc_id in citation.ids}
    quoted = {s.text for section in answer.sections for s in section.sentences}
    pool = {
        q
        for c in case.candidates
        if c.passage.page_key in pages
        for raw in c.passage.sentences
        if (q := quotable(raw)) is not None
    }
    return len(pool - quoted)


def summary(rows: list[dict]) -> dict:
    if not rows:
        return {"questions": 0}
    out = {
        "questions": len(rows),
        "stem_recall": round(statistics.fmean(r["stem_recall"] for r in rows), 4),
        "mean_words": round(statistics.fmean(r["words"] for r in rows), 1),
        "max_words": max(r["words"] for r in rows),
        "short_unused": sum(1 for r in rows if r["words"] <= SHORT_WORDS and r["unused"] > 0),
    }
    for key in ("rouge1_recall", "rouge2_recall", "fact_share", "all_facts"):
        if key in rows[0]:
            out[key] = round(statistics.fmean(r[key] for r in rows), 4)
    if "fact_share" in rows[0]:  # lay questions: no reference answer
        del out["stem_recall"]
    return out


def evaluate(
    cases: list[Case], settings: ComposeSettings, rouge: bool = False, model=None
) -> list[dict]:
    return [score_case(c, settings, rouge, model) for c in cases]


# --- a learned sentence scorer (experiment) -----------------------------------------------

LEARNED_FEATURES = (
    "overlap",
    "rank_prior",
    "asked",
    "lead",
    "log_words",
    "list_item",
    "see_a_doctor",
    "what_it_is",
    "on_topic",
)
# A sentence is labelled a fact of the reference when this share of its ROUGE-2 bigrams recur
# in the question's reference answers (as training/salience.py labels kept sentences).
COPIED_SHARE = 0.5


_POOLS: dict[str, tuple] = {}


def _pool(case: Case) -> tuple:
    """The asked section and the case's pooled sentences (their features do not depend on the
    settings)."""
    if case.qid not in _POOLS:
        asked = section_for_question(case.question.asked_type)  # as `compose` reads it
        _POOLS[case.qid] = (
            asked,
            _pool_sentences(case.question, case.candidates, asked, case.topic_names),
        )
    return _POOLS[case.qid]


def feature_rows(pool) -> np.ndarray:
    return np.array(
        [
            [
                p.features.overlap,
                p.features.rank_prior,
                p.features.asked,
                p.features.lead,
                np.log1p(len(p.text.split())),
                float(" - " in p.text),
                float(p.section == S.SEE_A_DOCTOR),
                float(p.section == S.WHAT_IT_IS),
                float(p.on_topic),
            ]
            for p in pool
        ]
    ).reshape(len(pool), len(LEARNED_FEATURES))


def fit_learned(cases: list[Case], c: float = 1.0) -> LinearModel:
    labelled = [_labelled(case) for case in cases if _pool(case)[1]]
    x = np.vstack([features for features, _ in labelled])
    y = np.concatenate([labels for _, labels in labelled]).astype(int)
    return LinearModel.fit(x, y, LEARNED_FEATURES, C=c)


_LABELLED: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _labelled(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """The case's pooled sentences' features, and which the reference answers quote."""
    if case.qid not in _LABELLED:
        _, pool = _pool(case)
        reference = "\n".join(case.references)
        kept = copied_share([p.text for p in pool], reference) >= COPIED_SHARE
        _LABELLED[case.qid] = feature_rows(pool), kept
    return _LABELLED[case.qid]


def composed_learned(case: Case, settings: ComposeSettings, model: LinearModel) -> Answer:
    asked, pool = _pool(case)
    if pool:
        for p, score in zip(pool, model.logits(feature_rows(pool)), strict=True):
            p.score = float(score)
    second = _unsure_second(case.question, asked, settings)
    chosen = _select(pool, asked, case.max_words, case.max_sources, "en", settings, second)
    return _assemble(case.question, chosen, asked)


def objective(cases: list[Case], settings: ComposeSettings) -> float:
    """Mean reference stems found (LiveQA) or facts found (lay); over both kinds, the mean of
    the two means."""
    rows = evaluate(cases, settings)
    lay = [r["fact_share"] for r in rows if "fact_share" in r]
    liveqa = [r["stem_recall"] for r in rows if "fact_share" not in r]
    return statistics.fmean(statistics.fmean(kind) for kind in (lay, liveqa) if kind)


def fit(cases: list[Case], start: ComposeSettings, log=print) -> ComposeSettings:
    """Coordinate ascent over GRID: each setting in turn takes its best value, ROUNDS times or
    until nothing changes; ties keep the current value."""
    best, best_score = start, objective(cases, start)
    log(f"start {best_score:.4f} {asdict(best)}")
    for round_ in range(ROUNDS):
        changed = False
        for name, values in GRID.items():
            for value in values:
                if value == getattr(best, name):
                    continue
                trial = replace(best, **{name: value})
                score = objective(cases, trial)
                if score > best_score + 1e-4:
                    best, best_score, changed = trial, score, True
            log(f"round {round_ + 1} {name}={getattr(best, name)}: {best_score:.4f}")
        if not changed:
            break
    return best


def parse_overrides(pairs: list[str]) -> ComposeSettings:
    kinds = {f.name: f.type for f in fields(ComposeSettings)}
    values: dict = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in kinds:
            raise SystemExit(f"unknown setting {name!r}; known: {', '.join(kinds)}")
        kind = kinds[name]
        if kind == "bool":
            values[name] = value.lower() in ("1", "true", "yes")
        else:
            values[name] = int(value) if kind == "int" else float(value)
    return ComposeSettings(**values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="the first N questions")
    parser.add_argument("--every", type=int, default=1, help="every K-th question")
    parser.add_argument("--out", type=Path, default=None, help="per-question JSON lines")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="what the composer was given, per question (default: $HEALTHQA_HOME/"
        "compose_train_cache.jsonl; delete it after changing anything before the composer)",
    )
    parser.add_argument("--set", nargs="*", default=[], help="settings, NAME=VALUE")
    parser.add_argument("--fit", action="store_true", help="fit on even, check on odd")
    parser.add_argument("--lay", action="store_true", help="the lay training questions")
    parser.add_argument("--both", action="store_true", help="with --lay: LiveQA-train too")
    parser.add_argument(
        "--learned",
        action="store_true",
        help="also a learned sentence scorer (fit on even) in place of the weights",
    )
    args = parser.parse_args(argv)
    engine = Engine.open(Settings.resolve())
    if engine.settings.data_dir is None:
        parser.error("no data folder found: set HEALTHQA_DATA")
    home = Path(engine.settings.home)
    cache_path = args.cache or home / "compose_train_cache.jsonl"
    cases = []
    if not args.lay or args.both:
        questions = list(enumerate(read_liveqa_train(engine.settings.data_dir)))
        questions = questions[: args.limit][:: args.every]
        cases += [c for c in load_cases(engine, questions, cache_path) if c.on_focus]
    if args.lay:
        lay = [q for q in read_lay_questions("en") if q.sources]
        lay = list(enumerate(lay))
        lay = lay[: args.limit][:: args.every]
        lay_cache = home / "compose_train_lay_cache.jsonl"
        cases += [c for c in load_cases(engine, lay, lay_cache) if c.on_focus]
    settings = parse_overrides(args.set)
    check_pooling(cases[:20], settings)
    kinds = (
        {"": cases}
        if not (args.lay and args.both)
        else {
            " lay": [c for c in cases if c.facts],
            " liveqa": [c for c in cases if not c.facts],
        }
    )
    halves = {
        f"{half}{kind}": [c for c in members if c.position % 2 == parity]
        for kind, members in kinds.items()
        for half, parity in (("fit (even)", 0), ("check (odd)", 1))
    }
    fit_cases = [c for c in cases if c.position % 2 == 0]
    chosen = {"given": settings}
    if args.fit:
        chosen["fitted"] = fit(fit_cases, settings, log=lambda m: print(m, file=sys.stderr))
    models = {label: None for label in chosen}
    if args.learned:
        for label in list(chosen)[-1:]:
            for c in (0.01, 1.0):
                model = fit_learned(fit_cases, c)
                chosen[f"{label} + learned C={c}"] = chosen[label]
                models[f"{label} + learned C={c}"] = model
                coefs = dict(zip(LEARNED_FEATURES, model.coef.round(3).tolist(), strict=True))
                print(f"learned C={c} on {label}: {coefs}")
    for label, s in chosen.items():
        print(f"{label}: {json.dumps(asdict(s))}")
        for half, members in halves.items():
            rows = evaluate(members, s, rouge=True, model=models[label])
            print(f"  {half}: {json.dumps(summary(rows))}")
            if args.out and label == list(chosen)[-1]:
                with args.out.open("a") as out:
                    for row in rows:
                        out.write(json.dumps({**row, "half": half, "settings": label}) + "\n")


if __name__ == "__main__":
    main()
