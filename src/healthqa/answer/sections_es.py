"""Which answer section a Spanish sentence belongs to when its page gives it no heading.

Many MedlinePlus en español pages are one untitled summary ("Estreñimiento significa ... Existen
muchas cosas que puede hacer para prevenir el estreñimiento ..."). The English composer sorts
such sentences by English cue words; for Spanish, the cues are learned from the pages
themselves: every sentence under a heading that names its section ("¿Cuál es la causa...?" ->
Causes, `sections.SPANISH_HEADING_CUES`) is a labelled example, and a multinomial naive Bayes
over its Spanish stems (the page's own title words left out, so no topic leaks into a section)
labels the untitled ones. A sentence whose best section is below MIN_POSTERIOR stays "More
information". Nothing here is fitted on evaluation questions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from healthqa.answer.sections import MORE, WHAT_IT_IS, section_of_heading
from healthqa.records import Passage
from healthqa.retrieval.lexical import spanish_terms

# Posterior a section needs before an untitled sentence takes it. On the 696 titled sentences
# of every 5th page, fitted on the others (`python -m healthqa.answer.sections_es INDEX`):
# 0.5 -> 75.2 % right of 90.5 % labelled, 0.6 -> 78.2 % of 83.6 %, 0.7 -> 81.2 % of 76.4 %,
# 0.8 -> 84.5 % of 68.5 %; a wrong section misleads more than "More information" does.
MIN_POSTERIOR = 0.7
SMOOTHING = 1.0
MIN_EXAMPLES = 20  # a section with fewer labelled sentences is not learned


@dataclass(frozen=True)
class SentenceSections:
    sections: tuple[str, ...]
    log_prior: np.ndarray  # (sections,)
    log_likelihood: dict[str, np.ndarray]  # stem -> (sections,)
    log_unseen: np.ndarray  # (sections,): a stem never seen with the section

    def posteriors(self, sentence: str, title: str = "") -> np.ndarray:
        drop = set(spanish_terms(title))
        scores = self.log_prior.copy()
        for stem in spanish_terms(sentence):
            if stem not in drop and stem in self.log_likelihood:
                scores += self.log_likelihood[stem]
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def __call__(self, sentence: str, title: str = "") -> str:
        posterior = self.posteriors(sentence, title)
        best = int(posterior.argmax())
        return self.sections[best] if posterior[best] >= MIN_POSTERIOR else MORE


def labelled_sentences(passages: list[Passage]) -> list[tuple[str, str, str]]:
    """(sentence, page title, section) of each Spanish sentence under a heading that names
    its section; the opening sentence of a "¿Qué es?" section only (what follows it there
    describes many things)."""
    examples = []
    for passage in passages:
        if passage.language != "es" or not passage.section:
            continue
        section = section_of_heading(passage.section, "es")
        if section is None:
            continue
        for position, sentence in enumerate(passage.sentences):
            if section == WHAT_IT_IS and (position > 0 or not passage.id.endswith("#0")):
                continue
            examples.append((sentence, passage.title, section))
    return examples


def fit_sentence_sections(examples: list[tuple[str, str, str]]) -> SentenceSections | None:
    counts = Counter(section for _, _, section in examples)
    sections = tuple(sorted(s for s, n in counts.items() if n >= MIN_EXAMPLES))
    if len(sections) < 2:
        return None
    position = {s: i for i, s in enumerate(sections)}
    stem_counts: dict[str, np.ndarray] = {}
    totals = np.zeros(len(sections))
    for sentence, title, section in examples:
        if section not in position:
            continue
        drop = set(spanish_terms(title))
        for stem in spanish_terms(sentence):
            if stem in drop:
                continue
            row = stem_counts.setdefault(stem, np.zeros(len(sections)))
            row[position[section]] += 1
            totals[position[section]] += 1
    denominator = np.log(totals + SMOOTHING * len(stem_counts))
    likelihood = {stem: np.log(row + SMOOTHING) - denominator for stem, row in stem_counts.items()}
    prior = np.array([counts[s] for s in sections], dtype=float)
    return SentenceSections(
        sections,
        np.log(prior / prior.sum()),
        likelihood,
        np.log(SMOOTHING) - denominator,
    )


def heldout_report(passages: list[Passage], every: int = 5) -> dict[str, float]:
    """Accuracy and coverage on the titled sentences of every `every`-th page, fitted on the
    others (how MIN_POSTERIOR was checked)."""
    pages = sorted({p.page_key for p in passages if p.language == "es"})
    held = set(pages[::every])
    train = labelled_sentences([p for p in passages if p.page_key not in held])
    test = labelled_sentences([p for p in passages if p.page_key in held])
    model = fit_sentence_sections(train)
    if model is None or not test:
        return {}
    labelled = [(model(s, t), gold) for s, t, gold in test]
    covered = [(got, gold) for got, gold in labelled if got != MORE]
    return {
        "sentences": len(test),
        "coverage": len(covered) / len(test),
        "accuracy_covered": sum(g == w for g, w in covered) / max(len(covered), 1),
    }


def main() -> None:
    import argparse
    import json
    from pathlib import Path

    from healthqa.retrieval.index import PASSAGES, read_passages

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path, help="an index folder (HOME/index/main)")
    args = parser.parse_args()
    print(json.dumps(heldout_report(read_passages(args.index / PASSAGES)), indent=2))


if __name__ == "__main__":
    main()
