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

    HEALTHQA_HOME=... python scripts/spanish_page_queries.py [--every N] [--kinds headings,...]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from healthqa.analysis.vocabulary_es import SpanishTopic, topic_names
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.records import Answer, Passage
from healthqa.retrieval.lexical import spanish_terms

FACTS = 3


@dataclass(frozen=True)
class PageQuery:
    kind: str
    text: str
    url: str
    facts: tuple[str, ...] = ()


def _names_stems(passage: Passage) -> set[str]:
    return set(spanish_terms(" ".join([passage.title, *passage.synonyms])))


def make_queries(engine: Engine) -> Iterator[PageQuery]:
    parts = engine.index.spanish
    asking = parts.words.asking if parts.words else frozenset()
    idf = parts.lexical.idf
    pages: dict[str, list[Passage]] = {}
    for passage in engine.index.passages:
        if passage.language == "es":
            pages.setdefault(passage.page_key, []).append(passage)
    for passages in pages.values():
        first = passages[0]
        names = _names_stems(first)
        by_heading: dict[str, list[str]] = {}
        for passage in passages:
            if passage.section.startswith("¿"):
                by_heading.setdefault(passage.section, []).extend(passage.sentences)
        for heading, sentences in by_heading.items():
            stems = set(spanish_terms(" ".join(sentences))) - names - asking
            weights = idf(stems)
            facts = sorted(stems, key=lambda s: (-weights.get(s, 0.0), s))[:FACTS]
            yield PageQuery("headings", heading, first.url, tuple(facts))
        for name in first.synonyms:
            yield PageQuery("names", f"¿Qué es {name}?", first.url)
        description = _description(first)
        if description:
            yield PageQuery("descriptions", f"¿Qué es algo que {description}?", first.url)


def _description(passage: Passage) -> str:
    """The first sentence without the page's names: what follows its first "es"/"son"."""
    sentence = passage.sentences[0] if passage.sentences else ""
    match = re.search(r"\b(?:es|son)\s+(.+?)[.]?$", sentence)
    if not match:
        return ""
    rest = match.group(1)
    names = topic_names(SpanishTopic(passage.title, passage.synonyms))
    for name in sorted(names, key=len, reverse=True):
        rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
    rest = " ".join(rest.split())
    return rest if len(rest.split()) >= 4 else ""


def outcome(query: PageQuery, answer: Answer) -> tuple[str, int]:
    if answer.abstained or not answer.citations:
        return "none", 0
    right = any(c.url == query.url for c in answer.citations)
    body = set(spanish_terms(" ".join(s.text for sec in answer.sections for s in sec.sentences)))
    return ("right" if right else "wrong"), sum(f in body for f in query.facts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=1, help="ask every N-th query of a kind")
    parser.add_argument("--kinds", default="headings,names,descriptions", help="comma-separated")
    args = parser.parse_args()
    engine = Engine.open(Settings.resolve())
    queries: dict[str, list[PageQuery]] = {}
    for query in make_queries(engine):
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
