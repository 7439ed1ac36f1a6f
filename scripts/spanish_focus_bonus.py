"""Check the Spanish fusion's focus bonus (SPANISH_FOCUS_BONUS in retrieval/search.py) on queries
made from the MedlinePlus en español pages themselves, never the dev set (as
scripts/bridge_weight.py): each page's section headings ("¿Cuáles son los síntomas de la
culebrilla?"), analysed with the Spanish vocabulary as the engine does. For each bonus, the
share of queries whose own page is the first page of search_spanish (bridge off, the default).
The also-called-name queries of bridge_weight.py are analysed without the vocabulary, so no page
is named and the bonus cannot act on them: they are left out.

    HEALTHQA_HOME=... python scripts/spanish_focus_bonus.py
"""

from __future__ import annotations

from healthqa.analysis.spanish import analyze_spanish
from healthqa.config import Settings
from healthqa.engine import Engine, spanish_qtype
from healthqa.retrieval import search

BONUSES = (0.0, 0.15, 0.35, 0.5)


def headings(engine: Engine) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for passage in engine.index.passages:
        if passage.language == "es" and passage.section.startswith("¿"):
            found.setdefault(passage.section, passage.page_key)
    return sorted(found.items())


def main() -> None:
    engine = Engine.open(Settings.resolve())
    if engine.index.spanish is None:
        raise SystemExit("this index holds no Spanish pages (build one with medlineplus-es)")
    words = engine.index.spanish.words
    vocabulary = words.vocabulary if words else None
    pairs = headings(engine)
    right = dict.fromkeys(BONUSES, 0)
    named = 0
    for text, page in pairs:
        question = analyze_spanish(text, vocabulary, qtype=spanish_qtype())
        named += bool(question.terms)
        for bonus in BONUSES:
            search.SPANISH_FOCUS_BONUS = bonus
            found = search.search_spanish(engine.index, question, 5, bridge_weight=0.0)
            right[bonus] += bool(found) and found[0].passage.page_key == page
    print(f"headings: {len(pairs)} queries, {named} naming a page by the vocabulary")
    for bonus, n in right.items():
        print(f"bonus {bonus:g}: own page first for {n / len(pairs):.1%}")


if __name__ == "__main__":
    main()
