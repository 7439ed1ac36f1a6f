"""Drift on consumer drug questions: answers that never name the asked drug, and abstentions.

Training data only: LiveQA-Med 2017 train questions whose annotated focus is a drug (found by
name, or a one-word focus of a drug type misspelt by the annotator: "linisopril"), and MeQSum
messages whose reference summary names a drug, not only in a clause setting it aside
("treatments for leg cramps aside from potassium chloride" asks about the cramps;
`healthqa.training.drug_asked.asked_part`). A substance named as a measured value ("low HDL
cholesterol", "normal ranges for urea and uric acid") or a focus that is a test ("pap smear",
type "indication") is a question about a test, not a drug question (session 18). The asked
drug comes from those annotations (focus, summary), found by `drug-named-entity-recognition`,
with all its names and brands; an answer "names" it when its sentences, its sources' titles or
the other names of its cited pages do (issue 9: "the cited page's topic, one of its names, or
named in the quoted sentences"), punctuation aside ("(MMR) vaccine"; a title by every word of
a name of two or more words: "Tetanus, Diphtheria, and Pertussis Vaccines" names the tetanus
vaccine).
`--tests-as-drugs` reads as session 17 did (measured substances and a non-drug focus of a drug
type count); `--literal` as before session 17: every drug of the summary; sentences and titles
only.

HEALTHQA_HOME=... python bench/drift.py [--data DIR] [--limit N] [--out drift.jsonl] [--all]
    [--tests-as-drugs | --literal]

`--all` also counts abstentions over every question of both sets (drug or not), to see what
the drift check costs elsewhere (with `--out`, one line per question in `drift-all.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from healthqa.analysis.spelling import ENGLISH_ZIPF, MIN_WORD_CHARS, max_distance
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.training.drug_asked import asked_part
from healthqa.xmlfiles import read_xml

# LiveQA-train question types about a drug (the annotation guideline's drug types).
DRUG_TYPES = frozenset(
    {
        "usage",
        "indication",
        "contraindication",
        "side effects",
        "interaction",
        "dosage",
        "tapering",
        "storage and disposal",
        "ingredient",
        "action",
        "overdose",
        "drug",
        "comparison",
    }
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
# A substance named as a measured value: "low HDL cholesterol", "normal ranges for urea and
# uric acid", "high level of vitamin D", "potassium levels". The question is about the test
# result (a lab value), not about a drug taken: the annotation's drug types (usage, dosage,
# side effects, interaction, ...) do not apply to it.
_MEASURED_BEFORE = re.compile(
    r"(?:\b(?:high|low|normal|elevated|raised|abnormal)\s+(?:blood\s+)?"
    r"|\b(?:levels?|ranges?|values?|counts?|tests?)\s+(?:of|for)\s+(?:the\s+)?"
    r"(?:[a-z]+\s+){0,2}?(?:and\s+)?)$"
)
_MEASURED_AFTER = re.compile(r"^\s+(?:levels?|ranges?|values?|counts?|tests?|results?)\b")
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass
class DrugQuestion:
    id: str
    text: str
    drugs: list[str]  # every name of the asked drug(s), lower case


@dataclass
class Outcome:
    id: str
    drugs: list[str]
    abstained: bool
    named: bool
    flagged: bool  # not named, but the answer's "Not covered" line names it
    words: int
    titles: list[str]


def drug_names(text: str, tests_apart: bool = True) -> list[str]:
    """Every name (canonical, synonyms, brands) of the drugs named in `text`, less (with
    `tests_apart`) those it names as a measured value (`measured`: "low HDL cholesterol" asks
    about a test result)."""
    from drug_named_entity_recognition import find_drugs

    names: set[str] = set()
    for data, _, _ in find_drugs(_TOKEN.findall(text)):
        if tests_apart and measured(text, data.get("matching_string") or data.get("name", "")):
            continue
        names |= {n.lower() for n in (data.get("name", ""), *data.get("synonyms", [])) if n}
    return sorted(n for n in names if len(n) > 2)


def measured(text: str, name: str) -> bool:
    """`text` names `name` only as a measured value: "what are the treatments for low HDL
    cholesterol?", "normal ranges for urea and uric acid", "high level of Vitamin D"."""
    lower = " ".join(text.lower().split())
    places = [m.start() for m in re.finditer(rf"\b{re.escape(name.lower())}\b", lower)]
    return bool(places) and all(
        _MEASURED_BEFORE.search(lower[:i]) or _MEASURED_AFTER.match(lower[i + len(name) :])
        for i in places
    )


def focus_drug_names(focus: str, qtype: str) -> list[str]:
    """The names of the drug an annotated focus names: found by `drug_names`, or, for a focus
    of one word and a drug type that is no English word, as an annotator misspelt it
    ("linisopril", "melotonin"), the drug name nearest to it within the speller's edit
    distance. A focus that is no drug (a test: "pap smear/full hysterectomy") names none,
    whatever the question type: types such as "indication" are asked of tests too."""
    found = drug_names(focus)
    word = focus.strip().lower()
    if found or qtype not in DRUG_TYPES or not word.isalpha() or len(word) < MIN_WORD_CHARS:
        return found
    if zipf_frequency(word, "en") >= ENGLISH_ZIPF:
        return found
    from drug_named_entity_recognition import drugs_finder
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    variants = drugs_finder.d["drug_variant_to_canonical"]
    near = process.extractOne(
        word, variants.keys(), scorer=Levenshtein.distance, score_cutoff=max_distance(word)
    )
    return drug_names(near[0]) if near else []


def liveqa_train(folder: Path, tests_apart: bool = True) -> list[DrugQuestion]:
    """The questions with a sub-question whose annotated focus is a drug (`focus_drug_names`).
    Without `tests_apart`, the reading of session 17: a focus no drug name is found in counts
    as written when its type is a drug type (`DRUG_TYPES`), and measured substances count."""
    questions = []
    for path in sorted(folder.glob("*.xml")):
        for item in read_xml(path, "LiveQA train").iter("NLM-QUESTION"):
            qid = item.get("questionid") or item.get("qid") or ""
            text = "\n".join(
                " ".join((item.findtext(tag) or "").split()) for tag in ("SUBJECT", "MESSAGE")
            ).strip()
            names: set[str] = set()
            for note in item.iter("ANNOTATIONS"):
                focus = " ".join((note.findtext("FOCUS") or "").split())
                qtype = (note.findtext("TYPE") or "").strip().lower()
                if tests_apart:
                    names |= set(focus_drug_names(focus, qtype))
                elif drug_names(focus, tests_apart=False):
                    names |= set(drug_names(focus, tests_apart=False))
                elif qtype in DRUG_TYPES and focus:
                    names.add(focus.lower())
            if names and text:
                questions.append(DrugQuestion(f"{path.stem}:{qid}", text, sorted(names)))
    return questions


def meqsum(path: Path, literal: bool = False, tests_apart: bool = True) -> list[DrugQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        summary = item["summary"] if literal else asked_part(item["summary"])
        names = drug_names(summary, tests_apart=tests_apart and not literal)
        if names:
            questions.append(DrugQuestion(f"meqsum:{number}", item["question"], names))
    return questions


def _words(text: str) -> str:
    """Lower-case words, punctuation as spaces: "measles-mumps-rubella (MMR) vaccine"."""
    return " ".join(_WORDS.findall(text.lower()))


def names_drug(text: str, names: list[str]) -> bool:
    """`text` holds one of the names, punctuation aside ("(MMR) vaccine" names "MMR vaccine")."""
    padded = f" {_words(text)} "
    return any(f" {_words(n)} " in padded for n in names if _words(n))


def title_names_drug(title: str, names: list[str]) -> bool:
    """A title names the drug when it holds every word of one of its names of two or more
    words, plural aside: "Tetanus, Diphtheria, and Pertussis Vaccines" names "tetanus vaccine"."""
    words = {w.removesuffix("s") for w in _words(title).split()}
    return names_drug(title, names) or any(
        len(n.split()) >= 2 and {w.removesuffix("s") for w in _words(n).split()} <= words
        for n in names
    )


def page_names(engine: Engine) -> dict[str, tuple[str, ...]]:
    """Cited answer id ("ADAM_0002857_Sec1", a passage's id less its "#0" chunk) -> the names
    of its page (focus and synonyms: "Opiate and opioid withdrawal" is also "oxycodone -
    opiate withdrawal")."""
    return {p.id.split("#", 1)[0]: (p.focus, *p.synonyms) for p in engine.index.passages}


def run(engine: Engine, question: DrugQuestion, names: dict[str, tuple[str, ...]]) -> Outcome:
    answer = engine.ask(question.text)
    sentences = " ".join(s.text for sec in answer.sections for s in sec.sentences)
    titles = [c.title for c in answer.citations]
    pages = [n for c in answer.citations for i in c.ids for n in names.get(i, ())]
    named = (
        names_drug(sentences, question.drugs)
        or any(title_names_drug(t, question.drugs) for t in titles)
        or any(names_drug(n, question.drugs) for n in pages)
    )
    flagged = not named and names_drug(answer.uncovered_line, question.drugs)
    return Outcome(
        question.id, question.drugs, answer.abstained, named, flagged, answer.words, titles
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0, help="questions per set (0: all)")
    parser.add_argument("--out", type=Path, default=None, help="one JSON line per question")
    parser.add_argument("--all", action="store_true", help="abstentions on every question too")
    parser.add_argument(
        "--tests-as-drugs",
        action="store_true",
        help="the reading of session 17: measured substances and non-drug foci of a drug type",
    )
    parser.add_argument(
        "--literal",
        action="store_true",
        help="every drug of the summary; sentences and titles only (the reading before)",
    )
    args = parser.parse_args()
    engine = Engine.open(Settings.resolve(args.data))
    names = {} if args.literal else page_names(engine)
    apart = not (args.literal or args.tests_as_drugs)
    data = engine.settings.data_dir
    sets = {
        "LiveQA train": liveqa_train(data / "liveqa-med-2017-train", tests_apart=apart),
        "MeQSum": meqsum(data / "meqsum" / "meqsum.jsonl", args.literal, tests_apart=apart),
    }
    outcomes: list[Outcome] = []
    print(
        "| set | questions | abstained | answered | answers never naming the asked drug "
        "| of which silent (no 'Not covered' line for it) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    started = time.perf_counter()
    for name, questions in sets.items():
        results = [run(engine, q, names) for q in questions[: args.limit or None]]
        outcomes += results
        _row(name, results)
    _row("all", outcomes)
    print(f"\n{time.perf_counter() - started:.0f} s")
    if args.out:
        args.out.write_text("".join(json.dumps(asdict(o)) + "\n" for o in outcomes))
    if args.all:
        every = args.out.with_name(f"{args.out.stem}-all.jsonl") if args.out else None
        _all_questions(engine, data, args.limit, every)


def _all_questions(engine: Engine, data: Path, limit: int, out: Path | None = None) -> None:
    """Abstentions over every question of both sets; with `out`, one JSON line per question
    (set, number, abstained, the reason) to see which ones a change moved."""
    sets = {
        "LiveQA train": [
            "\n".join(" ".join((q.findtext(t) or "").split()) for t in ("SUBJECT", "MESSAGE"))
            for path in sorted((data / "liveqa-med-2017-train").glob("*.xml"))
            for q in read_xml(path, "LiveQA train").iter("NLM-QUESTION")
        ],
        "MeQSum": [
            json.loads(line)["question"]
            for line in (data / "meqsum" / "meqsum.jsonl").read_text().splitlines()
        ],
    }
    print("\n| every question | questions | abstained |\n|---|---:|---:|")
    rows = []
    for name, texts in sets.items():
        texts = [t for t in texts if t.strip()][: limit or None]
        answers = [engine.ask(t) for t in texts]
        rows += [
            {"set": name, "n": i, "abstained": a.abstained, "reason": a.reason}
            for i, a in enumerate(answers)
        ]
        abstained = sum(a.abstained for a in answers)
        print(f"| {name} | {len(texts)} | {abstained} ({abstained / len(texts):.0%}) |")
    if out:
        out.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _row(name: str, results: list[Outcome]) -> None:
    answered = [r for r in results if not r.abstained]
    drift = sum(not r.named for r in answered)
    silent = sum(not r.named and not r.flagged for r in answered)
    share = f"{drift / len(answered):.0%}" if answered else "-"
    silent_share = f"{silent / len(answered):.0%}" if answered else "-"
    print(
        f"| {name} | {len(results)} | {len(results) - len(answered)} | {len(answered)} | "
        f"{drift} ({share}) | {silent} ({silent_share}) |"
    )


if __name__ == "__main__":
    main()
