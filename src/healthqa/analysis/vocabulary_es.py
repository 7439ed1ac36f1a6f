"""Spanish lay words -> MedlinePlus en español topics, from the topics' own names.

Every topic lends its names to a phrase table keyed by Spanish stems (accents folded, stop
words dropped, `retrieval.lexical.spanish_terms`), so word order, plural, article and accent
do not matter: "piedras en el riñón" and "calculos renales" both reach "Piedras en los
riñones" (also called "Cálculos renales"). The names of a topic are:

1. its title, and each part of a title with a parenthesis ("Culebrilla (herpes zóster)" ->
   "Culebrilla", "herpes zóster");
2. its also-called names (metadata.json of the MedlinePlus en español folder: "Almorranas");
3. the head word of its title ("calambre" of "Calambre muscular") when that word heads no
   other topic's title, so a head shared by many topics ("cáncer", "enfermedades") names none,
   and is not an everyday word ("mejor" of "Cómo mejorar la salud mental");
4. the words its own definition gives it: the first word of each alternative after "es"/"son"
   in the page's first sentence ("Los calambres musculares son contracciones o espasmos
   súbitos" -> "contracciones", "espasmos"), when no other topic's definition uses that word,
   it names no topic already and it is not an everyday word. These are weak terms (a hint,
   not a name).

A name that is one topic's own (its title or a part of it) and another's also-called name
names the first only ("Gripe" is the flu page, not also the H1N1 page that lists it), as a
concept's own name wins in the English phrase table. A question's terms are its longest runs
of stems that name a topic.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from healthqa.errors import HealthqaError
from healthqa.records import Term
from healthqa.retrieval.lexical import spanish_terms

VOCABULARY_NAME = "medlineplus-es"
# A definition word as common as "cara" or "salen" (Zipf >= 3.5 in wordfreq's Spanish) is an
# everyday word, not a name: "espasmos" is 2.9, "contracciones" 3.1, "infección" 4.1.
MAX_DEFINITION_ZIPF = 3.5
MAX_NAME_STEMS = 6
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")


_DEFINITION = re.compile(r"\b(?:es|son)\s+(?:una?s?\s+|el\s+|la\s+|los\s+|las\s+)?([^,.;:]+)")
_ALTERNATIVES = re.compile(r"\s+(?:o|u|y|e)\s+")


@dataclass(frozen=True, slots=True)
class SpanishTopic:
    title: str
    also_called: tuple[str, ...] = ()
    definition: str = ""  # the first sentence of the page


def definition_words(sentence: str) -> list[tuple[str, ...]]:
    """The first stem of each alternative the definition gives ("son contracciones o
    espasmos súbitos" -> ("contraccion",), ("espasm",))."""
    match = _DEFINITION.search(sentence)
    if not match:
        return []
    keys = []
    for part in _ALTERNATIVES.split(match.group(1)):
        words = [w for w in part.split() if _key(w)]
        if words and zipf_frequency(words[0].lower(), "es") < MAX_DEFINITION_ZIPF:
            keys.append(_key(words[0]))
    return keys


def _everyday_head(title: str) -> bool:
    """The title's first content word is an everyday word ("mejor" of "Cómo mejorar la salud
    mental", Zipf 5.9): alone, it names nothing."""
    words = [w for w in re.findall(r"(?u)\w+", title) if _key(w)]
    return bool(words) and zipf_frequency(words[0].lower(), "es") >= MAX_DEFINITION_ZIPF


def own_names(topic: SpanishTopic) -> list[str]:
    """The title, and its parts around a parenthesis."""
    names = [topic.title]
    inner = _PARENTHESIS.findall(topic.title)
    if inner:
        names += [_PARENTHESIS.sub(" ", topic.title).strip(), *inner]
    return names


def topic_names(topic: SpanishTopic) -> list[str]:
    names = [*own_names(topic), *topic.also_called]
    return [n for n in dict.fromkeys(names) if n.strip()]


def _key(text: str) -> tuple[str, ...]:
    return tuple(spanish_terms(text))


class SpanishVocabulary:
    def __init__(
        self,
        table: dict[tuple[str, ...], list[str]],
        weak: frozenset[tuple[str, ...]] = frozenset(),
    ) -> None:
        self.table = table
        self.weak = weak
        self.longest = max((len(k) for k in table), default=0)

    def __len__(self) -> int:
        return len(self.table)

    def find_terms(self, text: str) -> list[Term]:
        """The topics `text` names, longest stem runs first, left to right."""
        stems = _key(text)
        terms: list[Term] = []
        i = 0
        while i < len(stems):
            for n in range(min(self.longest, len(stems) - i), 0, -1):
                concepts = self.table.get(stems[i : i + n])
                if concepts:
                    words = " ".join(stems[i : i + n])
                    weak = stems[i : i + n] in self.weak
                    terms += [Term(words, c, VOCABULARY_NAME, weak=weak) for c in concepts]
                    i += n
                    break
            else:
                i += 1
        return terms

    def save(self, path: Path) -> None:
        rows = [[" ".join(k), v, k in self.weak] for k, v in sorted(self.table.items())]
        Path(path).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SpanishVocabulary:
        try:
            rows = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HealthqaError(f"cannot read the Spanish vocabulary {path}: {exc}") from exc
        weak = frozenset(tuple(row[0].split()) for row in rows if row[2])
        return cls({tuple(k.split()): list(v) for k, v, _ in rows}, weak)


def build_spanish_vocabulary(topics: Iterable[SpanishTopic]) -> SpanishVocabulary:
    topics = sorted(set(topics), key=lambda t: t.title)
    table: dict[tuple[str, ...], list[str]] = {}
    for topic in topics:
        for name in topic_names(topic):
            key = _key(name)
            if 0 < len(key) <= MAX_NAME_STEMS and topic.title not in table.get(key, []):
                table.setdefault(key, []).append(topic.title)
    own = {}  # a topic's own name wins over another topic's also-called name
    for topic in topics:
        for name in own_names(topic):
            own.setdefault(_key(name), set()).add(topic.title)
    for key, titles in table.items():
        if len(titles) > 1 and own.get(key, set()) & set(titles):
            table[key] = [t for t in titles if t in own[key]]
    heads = Counter(_key(t.title)[:1] for t in topics)
    for topic in topics:
        head = _key(topic.title)[:1]
        if head and heads[head] == 1 and head not in table and not _everyday_head(topic.title):
            table[head] = [topic.title]
    defined = {t.title: definition_words(t.definition) for t in topics}
    uses = Counter(k for keys in defined.values() for k in set(keys))
    weak = set()
    for title, keys in defined.items():
        for key in keys:
            if uses[key] == 1 and key not in table:
                table[key] = [title]
                weak.add(key)
    return SpanishVocabulary(table, frozenset(weak))


def topics_from_documents(documents: Iterable) -> list[SpanishTopic]:
    """The Spanish topics of loaded Documents (the `medlineplus-es` collection): title,
    also-called names and the first sentence of the page's first section."""
    topics: dict[str, SpanishTopic] = {}
    for d in documents:
        if getattr(d, "language", "en") != "es" or not d.title or d.title in topics:
            continue
        first = _FIRST_SENTENCE.split(d.text.strip(), maxsplit=1)[0]
        topics[d.title] = SpanishTopic(d.title, tuple(d.also_called), first)
    return sorted(topics.values(), key=lambda t: t.title)


_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")
