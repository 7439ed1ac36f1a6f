"""Graded relevance for the LiveQA training questions from agreement with their reference answers.

A candidate MedQuAD answer's agreement with a question is the share of a reference answer's
content bigrams it contains (ROUGE-2 recall, Porter-stemmed as rouge-score tokenizes, bigrams
of two stop words left out), each bigram weighted by its inverse document frequency over the
candidate answers, so that "autosomal recessive" or "colon cancer" count and "types of
treatment" hardly does; the best of the question's reference answers. Unlike the distant labels
(`labels.py`), no rule over the answer's focus and type enters, so the re-ranker's focus and
type features are not told the answer.

Grades (`grade`): 3 when a reference was copied from the answer (`labels.copied_answers`) or
the agreement is that of a near copy, 2 and 1 for less, 0 below. The cut-offs were set by
reading training questions' candidates at each level (docs/benchmarks.md): at 0.15-0.3 the
answer is mostly on a neighbouring topic or the right topic of another type, from 0.3 mostly the
right focus, from 0.5 mostly a copy of another page of the same text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache

# Agreement from which an answer is graded 3 (a near copy), 2 and 1.
NEAR_COPY = 0.5
GRADE_CUTS = (0.15, 0.3)

Bigrams = Counter[tuple[str, str]]


@cache
def _tools():
    from nltk.stem import porter
    from rouge_score.tokenizers import DefaultTokenizer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return DefaultTokenizer(use_stemmer=False), porter.PorterStemmer(), ENGLISH_STOP_WORDS


def content_bigrams(text: str) -> Bigrams:
    """Stemmed word bigrams (words of four letters or more stemmed, as rouge-score does), those
    of two stop words left out."""
    tokenizer, stemmer, stop = _tools()
    words = tokenizer.tokenize(text)
    stems = [stemmer.stem(w) if len(w) > 3 else w for w in words]
    return Counter(
        (stems[i], stems[i + 1])
        for i in range(len(words) - 1)
        if not (words[i] in stop and words[i + 1] in stop)
    )


class Agreement:
    """Candidate answers' bigrams and their inverse document frequencies."""

    def __init__(self, answers: Mapping[str, str]) -> None:
        self.bigrams = {doc_id: content_bigrams(text) for doc_id, text in answers.items()}
        self.frequency = Counter(g for grams in self.bigrams.values() for g in grams)
        self.total = len(self.bigrams)

    def idf(self, bigram: tuple[str, str]) -> float:
        return math.log((self.total + 1) / (self.frequency.get(bigram, 0) + 1))

    def recall(self, reference: Bigrams, doc_id: str) -> float:
        """Weighted share of the reference's bigrams the answer contains (counts clipped)."""
        answer = self.bigrams[doc_id]
        total = sum(self.idf(g) * n for g, n in reference.items())
        if total == 0:
            return 0.0
        found = sum(self.idf(g) * min(n, answer[g]) for g, n in reference.items())
        return found / total

    def best(self, references: Iterable[str], doc_ids: Iterable[str]) -> list[float]:
        """For each answer, its agreement with the closest reference answer."""
        grams = [content_bigrams(r) for r in references]
        return [max((self.recall(g, d) for g in grams), default=0.0) for d in doc_ids]


def grade(agreement: float, copied: bool) -> int:
    """0..3: 3 copied or a near copy, then by `GRADE_CUTS`."""
    if copied or agreement >= NEAR_COPY:
        return 3
    return sum(agreement >= cut for cut in GRADE_CUTS)
