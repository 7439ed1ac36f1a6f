"""Drift on consumer drug questions: answers that never name the asked drug, and abstentions.

Training data only: LiveQA-Med 2017 train questions whose annotated focus is a drug or whose
type is a drug type, and MeQSum messages whose reference summary names a drug, not only in a
clause setting it aside ("treatments for leg cramps aside from potassium chloride" asks about
the cramps; `healthqa.training.drug_asked.asked_part`). The asked drug comes from those
annotations (focus, summary), found by `drug-named-entity-recognition`, with all its names and
brands; an answer "names" it when its sentences, its sources' titles or the other names of its
cited pages do (issue 9: "the cited page's topic, one of its names, or named in the quoted
sentences"), punctuation aside ("(MMR) vaccine"; a title by every word of a name of two or
more words: "Tetanus, Diphtheria, and Pertussis Vaccines" names the tetanus vaccine).
`--literal` reads as before session 17: every drug of the summary; sentences and titles only.

HEALTHQA_HOME=... python bench/drift.py [--data DIR] [--limit N] [--out drift.jsonl] [--all]
    [--literal]

`--all` also counts abstentions over every question of both sets (drug or not), to see what
the drift check costs elsewhere.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

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


def drug_names(text: str) -> list[str]:
    """Every name (canonical, synonyms, brands) of the drugs named in `text`."""
    from drug_named_entity_recognition import find_drugs

    names: set[str] = set()
    for data, _, _ in find_drugs(_TOKEN.findall(text)):
        names |= {n.lower() for n in (data.get("name", ""), *data.get("synonyms", [])) if n}
    return sorted(n for n in names if len(n) > 2)


def liveqa_train(folder: Path) -> list[DrugQuestion]:
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
                found = drug_names(focus)
                if found:
                    names |= set(found)
                elif qtype in DRUG_TYPES and focus:
                    names.add(focus.lower())
            if names and text:
                questions.append(DrugQuestion(f"{path.stem}:{qid}", text, sorted(names)))
    return questions


def meqsum(path: Path, literal: bool = False) -> list[DrugQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        names = drug_names(item["summary"] if literal else asked_part(item["summary"]))
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
        "--literal",
        action="store_true",
        help="every drug of the summary; sentences and titles only (the reading before)",
    )
    args = parser.parse_args()
    engine = Engine.open(Settings.resolve(args.data))
    names = {} if args.literal else page_names(engine)
    data = engine.settings.data_dir
    sets = {
        "LiveQA train": liveqa_train(data / "liveqa-med-2017-train"),
        "MeQSum": meqsum(data / "meqsum" / "meqsum.jsonl", literal=args.literal),
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
        _all_questions(engine, data, args.limit)


def _all_questions(engine: Engine, data: Path, limit: int) -> None:
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
    for name, texts in sets.items():
        texts = [t for t in texts if t.strip()][: limit or None]
        abstained = sum(engine.ask(t).abstained for t in texts)
        print(f"| {name} | {len(texts)} | {abstained} ({abstained / len(texts):.0%}) |")


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
