"""Spanish answers on questions made from the MedlinePlus en español pages themselves, never the
dev set: the figures the Spanish vocabulary, topic and composer changes were checked on.

    headings      each page's question headings ("¿Cuáles son los síntomas de la culebrilla?"):
                  right page cited, and its key facts in the answer: the FACTS rarest stems
                  (by the Spanish BM25's IDF) of the sentences under that heading that are not
                  in the page's names nor words of asking; a fact is found when its stem is in
                  the answer's quoted sentences
    names         "¿Qué es {also-called name}?": right page cited
    descriptions  the page's first sentence with every name of the page taken out, asked as
                  "¿Qué es algo que {rest}?": a lay description of the page, the case where common
                  words may link to a wrong topic by a shared stem; right page, wrong page, none
    symptoms      sentences of the page on its symptoms, signs or causes, its names taken out,
                  as "¿Qué puede ser si {rest}?" (lay wording): right page, wrong page, none
    (made by healthqa.training.page_queries_es, which the learned page chooser is fitted on)

    HEALTHQA_HOME=... python scripts/spanish_page_queries.py [--every N] [--kinds headings,...]
        [--spanish-topic rules|model|names-model]
"""

from __future__ import annotations

import argparse
import time

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.records import Answer
from healthqa.retrieval.lexical import spanish_terms
from healthqa.training.page_queries_es import FACTS, KINDS, PageQuery, make_queries


def outcome(query: PageQuery, answer: Answer) -> tuple[str, int]:
    if answer.abstained or not answer.citations:
        return "none", 0
    right = any(c.url == query.url for c in answer.citations)
    body = set(spanish_terms(" ".join(s.text for sec in answer.sections for s in sec.sentences)))
    return ("right" if right else "wrong"), sum(f in body for f in query.facts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=1, help="ask every N-th query of a kind")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated")
    parser.add_argument("--spanish-topic", default="rules", help="rules, model or names-model")
    args = parser.parse_args()
    engine = Engine.open(Settings.resolve(spanish_topic=args.spanish_topic))
    spanish = engine.index.spanish
    asking = spanish.words.asking if spanish.words else frozenset()
    queries: dict[str, list[PageQuery]] = {}
    for query in make_queries(engine.index.passages, spanish.lexical.idf, asking):
        queries.setdefault(query.kind, []).append(query)
    start = time.perf_counter()
    for kind in args.kinds.split(","):
        items = queries[kind][:: args.every]
        counts = {"right": 0, "wrong": 0, "none": 0}
        facts = words = complete = 0
        for query in items:
            answer = engine.ask(query.text, lang="es")
            kind_of, found = outcome(query, answer)
            counts[kind_of] += 1
            facts += found
            complete += kind_of == "right" and found == len(query.facts)
            words += answer.words
        shares = ", ".join(f"{k} {n / len(items):.1%}" for k, n in counts.items())
        line = f"{kind} ({len(items)}): {shares}"
        if kind == "headings":
            line += f"; facts {facts / (FACTS * len(items)):.1%}"
            line += f"; right page with all {FACTS} facts {complete / len(items):.1%}"
        print(f"{line}; mean words {words / len(items):.0f}", flush=True)
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
