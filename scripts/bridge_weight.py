"""Choose the weight of the cross-lingual bridge (retrieval/bridge_es.py) in the Spanish fusion
on queries made from the MedlinePlus en español pages themselves, never the dev set:

    names     "¿Qué es {also-called name}?" for each page's also-called names, analysed without
              the Spanish vocabulary (which would name the page outright): a name the page's
              text may not use, the case the bridge is for
    headings  each page's section headings ("¿Cuáles son los síntomas de la culebrilla?"),
              analysed with the vocabulary, as the engine does: the bridge must not hurt these

For each weight and lead (BRIDGE_WEIGHT, BRIDGE_LEAD in retrieval/search.py), the share of
queries whose own page is the first page of search_spanish.

    HEALTHQA_HOME=... python scripts/bridge_weight.py [--topic-only]
"""

from __future__ import annotations

import sys

from healthqa.analysis.spanish import analyze_spanish
from healthqa.answer.topic_es import choose_spanish_topic
from healthqa.config import Settings
from healthqa.engine import Engine, spanish_qtype
from healthqa.retrieval.search import search_spanish

WEIGHTS = (0.5, 1.0, 2.0)
LEADS = (0.0, 0.05, 0.1, 0.15)


def queries(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    names: dict[str, str] = {}
    headings: dict[str, str] = {}
    for passage in engine.index.passages:
        if passage.language != "es":
            continue
        for name in passage.synonyms:
            names.setdefault(f"¿Qué es {name}?", passage.page_key)
        if passage.section.startswith("¿"):
            headings.setdefault(passage.section, passage.page_key)
    return {
        "names": sorted(names.items()),
        "headings": sorted(headings.items()),
    }


def first_page(engine: Engine, text: str, with_vocabulary: bool, weight: float, lead: float) -> str:
    words = engine.index.spanish.words
    vocabulary = words.vocabulary if (words and with_vocabulary) else None
    question = analyze_spanish(text, vocabulary, qtype=spanish_qtype())
    found = search_spanish(engine.index, question, 5, bridge_weight=weight, bridge_lead=lead)
    return found[0].passage.page_key if found else ""


def topic_outcomes(engine: Engine, pairs: list[tuple[str, str]], bridge: bool) -> str:
    """The Spanish topic rule on the names queries (no vocabulary): right page, wrong page,
    no page, with or without the bridge as its last resort."""
    parts = engine.index.spanish
    asking = parts.words.asking if parts.words else frozenset()
    counts = {"right": 0, "wrong": 0, "none": 0}
    for text, page in pairs:
        question = analyze_spanish(text, None, qtype=spanish_qtype())
        found = search_spanish(engine.index, question, engine.settings.passages_per_question)
        topic = choose_spanish_topic(question, found, parts.lexical.idf, asking, bridge=bridge)
        pages = {c.passage.doc_id: c.passage.page_key for c in found}
        kind = "none" if topic is None else "right" if pages[topic.doc_id] == page else "wrong"
        counts[kind] += 1
    return ", ".join(f"{k} {n / len(pairs):.1%}" for k, n in counts.items())


def main() -> None:
    settings = [(0.0, 0.0)] + [(w, lead) for w in WEIGHTS for lead in LEADS]
    engine = Engine.open(Settings.resolve())
    made = queries(engine)
    for bridge in (False, True):
        outcomes = topic_outcomes(engine, made["names"], bridge)
        print(f"topic rule, names queries, bridge as last resort {bridge}: {outcomes}")
    if sys.argv[1:] == ["--topic-only"]:
        return
    for kind, pairs in made.items():
        right = dict.fromkeys(settings, 0)
        for text, page in pairs:
            for weight, lead in settings:  # the question's vector is cached across settings
                found = first_page(engine, text, kind == "headings", weight, lead)
                right[weight, lead] += found == page
        for (weight, lead), n in right.items():
            share = n / len(pairs)
            print(f"{kind} ({len(pairs)} queries) weight {weight:g} lead {lead:g}: {share:.1%}")


if __name__ == "__main__":
    main()
