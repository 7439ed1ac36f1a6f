"""Topic and asked section on real consumer messages: the LiveQA-Med 2017 training questions.

Training data only (446 questions, `healthqa.training.data.read_liveqa_train`, which reads
through `datasets.training_file`). Each question is asked whole (subject line and message), and
its answer is classed:

- right topic: a cited page's focus, synonyms or title name an annotated focus (any
  sub-question's). Names are compared as sets of stemmed content words (lower case, Snowball
  stems, a few stop words out, punctuation aside; `training.focus.same_name`, the focus
  model's labelling rule): the words of one are all in the other and
  they differ by no more words than they share ("shingles vaccine" is "Shingles (Zoster)
  Vaccine", "cardiac amyloidosis" is "Amyloidosis"; "pyridoxine" is not "Pyridoxine-dependent
  epilepsy", nor "diabetes type 2 and hypoglycemia" "Diabetes"), or the focus and a name reach
  the same concept through the index's vocabulary (a brand and its generic, "stye" and "Sty");
- wrong topic: an answer whose cited pages name none of the annotated foci;
- abstained.

Section: the answer has the section an annotated type asks for (LiveQA type -> MedQuAD type,
as `training/data.py` maps it, -> answer section, `answer.sections.SECTION_OF_QTYPE`).

Each failure also gets a cause (`cause`): the page of the annotated focus is not in the index
("page missing"); the analysed focus names the annotated one or not ("focus found" /
"focus wrong"); the page ranked among the candidates or not; the type the analyser gave.

HEALTHQA_HOME=... python bench/topic_train.py [--data DIR] [--limit N] [--every K --offset R]
    [--out topic.jsonl] [--section-qtype cues|learned] [--qtype-model FILE]
    [--focus learned|rule] [--focus-model FILE] [--topic rules-learned|rules|learned]
    [--topic-model FILE]

`--every 2 --offset 0` reads the questions of even position (the half choices are made on),
`--offset 1` the odd ones (the held-out half). The packaged question type classifier read every
training message, and the focus model and the learned topic chooser every one: on the held-out
half give `--qtype-model` (the asked section's classifier), `--focus-model` and `--topic-model`
the ones fitted without them (`python -m healthqa.training.qtype --section --hold-out 2:1 --out
FILE`, `python -m healthqa.training.focus --hold-out 2:1 --out FILE`, `python -m
healthqa.training.topic --hold-out 2:1 --focus-model FILE --out FILE`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from healthqa.analysis import qtype
from healthqa.analysis.focus import FocusModel
from healthqa.analysis.qtype import QtypeModel
from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer.sections import section_for_question
from healthqa.answer.topic_model import TopicModel
from healthqa.config import ENGLISH_TOPIC_CHOOSERS, Settings
from healthqa.engine import Engine
from healthqa.records import Answer, Candidate
from healthqa.training.data import TrainQuestion, read_liveqa_train
from healthqa.training.focus import name_stems, same_name

# How far down the candidates the annotated page is looked for (the topic step's own depth).
CANDIDATE_DEPTH = 30
names_match = same_name  # the bench's matching rule is the focus model's labelling rule


@dataclass
class Outcome:
    id: str
    question: str
    foci: list[str]
    types: list[str]  # MedQuAD type names of the sub-questions
    asked_sections: list[str]
    outcome: str  # right | wrong | abstained
    section: bool  # the asked section is in the answer
    qtype: str  # the analyser's type
    focus: str  # the analyser's focus
    focus_found: bool  # the analyser's focus or a strong term names an annotated focus
    page_exists: bool  # a page of the index names an annotated focus
    page_rank: int  # rank of the first candidate on an annotated focus, -1 if none
    cause: str = ""
    titles: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    words: int = 0


class Pages:
    """Every page's names by answer id, and the concept keys the vocabulary gives a name."""

    def __init__(self, engine: Engine) -> None:
        self.names: dict[str, tuple[str, ...]] = {}
        for p in engine.index.passages:
            self.names.setdefault(p.doc_id, (p.focus, *p.synonyms, p.title))
        self.all_names = {n for names in self.names.values() for n in names if n}
        self.by_word: dict[str, set[str]] = {}
        for n in self.all_names:
            for s in name_stems(n):
                self.by_word.setdefault(s, set()).add(n)
        self._find = engine.analyzer.vocabulary.find_terms

    def concepts(self, text: str) -> set[str]:
        return {phrase_key(t.concept) for t in self._find(text) if not t.weak}

    def matches(self, focus: str, names: Iterable[str]) -> bool:
        names = [n for n in names if n]
        if names_match(focus, names):
            return True
        wanted = self.concepts(focus)
        return bool(wanted) and any(phrase_key(n) in wanted for n in names)

    def exists(self, focus: str) -> bool:
        stems = name_stems(focus)
        near = set().union(*(self.by_word.get(s, set()) for s in stems)) if stems else set()
        keys = self.concepts(focus)
        return names_match(focus, near) or any(phrase_key(n) in keys for n in self.all_names)


def classify(answer: Answer, foci: list[str], pages: Pages) -> str:
    if answer.abstained or not answer.sections:
        return "abstained"
    cited = [
        n for c in answer.citations for i in (c.ids or (c.id,)) for n in pages.names.get(i, ())
    ]
    cited += [c.title for c in answer.citations]
    return "right" if any(pages.matches(f, cited) for f in foci) else "wrong"


def cause(o: Outcome) -> str:
    """The likeliest reason a question failed, first match wins."""
    if o.outcome == "right":
        return "" if o.section else "asked section missing"
    if not o.page_exists:
        return "page missing from index"
    if o.outcome == "abstained":
        if o.page_rank < 0:
            return "abstained, page not in candidates"
        return "abstained, focus found" if o.focus_found else "abstained, focus not found"
    if o.page_rank < 0:
        return "wrong topic, page not in candidates"
    return "wrong topic, focus found" if o.focus_found else "wrong topic, focus from other words"


def run(engine: Engine, question: TrainQuestion, pages: Pages, last: list) -> Outcome:
    answer = engine.ask(question.original)
    candidates: list[Candidate] = last[0] if last else []
    foci = [p.focus for p in question.parts if p.focus]
    types = [p.qtype for p in question.parts]
    asked = sorted({section_for_question(t) for t in types})
    titles = [s.title for s in answer.sections]
    analysed = answer.question
    said = [analysed.focus, *(t.concept for t in analysed.terms if not t.weak)]
    rank = next(
        (
            r
            for r, c in enumerate(candidates[:CANDIDATE_DEPTH])
            if any(pages.matches(f, (c.passage.focus, *c.passage.synonyms)) for f in foci)
        ),
        -1,
    )
    outcome = Outcome(
        id=question.qid,
        question=question.original[:300],
        foci=foci,
        types=types,
        asked_sections=asked,
        outcome=classify(answer, foci, pages),
        section=bool(set(asked) & set(titles)),
        qtype=analysed.qtype,
        focus=analysed.focus,
        focus_found=any(pages.matches(f, [s]) for f in foci for s in said if s),
        page_exists=any(pages.exists(f) for f in foci),
        page_rank=rank,
        titles=[c.title for c in answer.citations],
        sections=titles,
        words=answer.words,
    )
    outcome.cause = cause(outcome)
    return outcome


def capture_candidates(engine: Engine) -> list:
    """Keep the candidates of the engine's last English retrieval (for the cause)."""
    last: list = []
    retrieve: Callable = engine.retrieve

    def retrieve_and_keep(*args, **kwargs):
        found = retrieve(*args, **kwargs)
        last[:] = [found]
        return found

    engine.retrieve = retrieve_and_keep  # type: ignore[method-assign]
    return last


def use_qtype_model(model: QtypeModel) -> None:
    """The asked section's classifier (`section_qtype="learned"`) is `model` instead of the
    packaged one; retrieval keeps the classifier its re-ranker was fitted with."""
    qtype.default_section_model = lambda: model


def select(questions: list[TrainQuestion], every: int, offset: int, limit: int) -> list:
    chosen = [q for i, q in enumerate(questions) if i % every == offset]
    return chosen[: limit or None]


def summary(outcomes: list[Outcome]) -> str:
    n = len(outcomes) or 1
    counts = Counter(o.outcome for o in outcomes)
    passed = sum(o.outcome == "right" and o.section for o in outcomes)
    lines = [
        "| questions | right topic | wrong topic | abstained | right topic and asked section |",
        "|---:|---:|---:|---:|---:|",
        f"| {len(outcomes)} | {counts['right']} ({counts['right'] / n:.0%}) | "
        f"{counts['wrong']} ({counts['wrong'] / n:.0%}) | "
        f"{counts['abstained']} ({counts['abstained'] / n:.0%}) | {passed} ({passed / n:.0%}) |",
        "",
        "| cause | questions |",
        "|---|---:|",
    ]
    causes = Counter(o.cause for o in outcomes if o.cause)
    lines += [f"| {c} | {k} |" for c, k in causes.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0, help="questions (0: all)")
    parser.add_argument("--every", type=int, default=1, help="every K-th question")
    parser.add_argument("--offset", type=int, default=0, help="... starting at this position")
    parser.add_argument("--out", type=Path, default=None, help="one JSON line per question")
    parser.add_argument(
        "--section-qtype", choices=("cues", "learned"), default=None, help="Settings.section_qtype"
    )
    parser.add_argument("--focus", choices=("learned", "rule"), default=None, help="Settings.focus")
    parser.add_argument(
        "--focus-model",
        type=Path,
        default=None,
        help="the focus model to use instead of the packaged one: one fitted without the "
        "questions read here (python -m healthqa.training.focus --hold-out 2:1 --out FILE)",
    )
    parser.add_argument(
        "--topic", choices=ENGLISH_TOPIC_CHOOSERS, default=None, help="Settings.topic"
    )
    parser.add_argument(
        "--topic-model",
        type=Path,
        default=None,
        help="the learned topic chooser to use instead of the packaged one: one fitted without "
        "the questions read here (python -m healthqa.training.topic --hold-out 2:1 --out FILE)",
    )
    parser.add_argument(
        "--qtype-model",
        type=Path,
        default=None,
        help="the question type classifier to use instead of the packaged one (which read every "
        "training message): one fitted without the questions read here "
        "(python -m healthqa.training.qtype --section --hold-out 2:1 --out FILE)",
    )
    args = parser.parse_args(argv)
    if args.qtype_model:
        use_qtype_model(QtypeModel.load(args.qtype_model))
    overrides = {"section_qtype": args.section_qtype, "focus": args.focus, "topic": args.topic}
    settings = Settings.resolve(args.data, **{k: v for k, v in overrides.items() if v})
    engine = Engine.open(settings)
    if args.focus_model and settings.focus == "learned":
        engine.analyzer.focus_model = FocusModel.load(args.focus_model)
    if args.topic_model and settings.topic != "rules":
        engine.topic_model = TopicModel.load(args.topic_model)
    pages = Pages(engine)
    last = capture_candidates(engine)
    questions = select(
        read_liveqa_train(engine.settings.data_dir), args.every, args.offset, args.limit
    )
    started = time.perf_counter()
    outcomes = []
    with args.out.open("w", encoding="utf-8") if args.out else open("/dev/null", "w") as out:
        for question in questions:
            if not question.original.strip():
                continue
            outcome = run(engine, question, pages, last)
            outcomes.append(outcome)
            out.write(json.dumps(asdict(outcome)) + "\n")
            out.flush()
    print(summary(outcomes))
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
