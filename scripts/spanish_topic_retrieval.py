"""How often Spanish BM25 (retrieval/lexical.py, Spanish analysis) over the MedlinePlus en
español passages ranks the gold topic of evalsets/answers-es-dev.jsonl first, or in the top 5
topics; with and without the Spanish vocabulary's concept names added to the query (what
`Question.search_text` does in English). A retrieval figure only: no answer is composed, and
nothing is tuned on it.

    python scripts/spanish_topic_retrieval.py /path/to/medlineplus-es
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from healthqa.analysis.vocabulary_es import build_spanish_vocabulary, topics_from_documents
from healthqa.corpus.loaders import load_paths
from healthqa.corpus.passages import split_passages
from healthqa.evaluation.answers import DEV_SETS, read_dev_set
from healthqa.retrieval.lexical import LexicalIndex


def topic_ranking(scores: np.ndarray, urls: list[str], k: int = 5) -> list[str]:
    ranked: list[str] = []
    for row in np.argsort(-scores):
        if urls[row] not in ranked:
            ranked.append(urls[row])
        if len(ranked) == k:
            break
    return ranked


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/medlineplus-es")
    docs = list(load_paths([folder], "markdown", prefix="medlineplus-es"))
    passages = [p for d in docs for p in split_passages(d)]
    urls = [p.url for p in passages]
    index = LexicalIndex.build(passages, language="es")
    vocabulary = build_spanish_vocabulary(topics_from_documents(docs))
    items = [i for i in read_dev_set(DEV_SETS["es"]) if not i.abstain]
    print(f"{len(docs)} documents, {len(passages)} passages, {len(items)} questions")
    for label, with_names in (("BM25", False), ("BM25 + vocabulary names", True)):
        top1 = top5 = 0
        for item in items:
            query = item.question
            if with_names:
                names = dict.fromkeys(t.concept for t in vocabulary.find_terms(query))
                query = " ".join([query, *names])
            ranked = topic_ranking(index.scores(query), urls)
            top1 += ranked[:1] == [item.sources[0]]
            top5 += item.sources[0] in ranked
        print(f"{label}: gold topic first {top1}/{len(items)}, in top 5 {top5}/{len(items)}")


if __name__ == "__main__":
    main()
