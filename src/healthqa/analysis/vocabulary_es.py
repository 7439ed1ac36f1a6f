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

5. the names its own text gives it: "La tosferina, también conocida como pertusis o tos
   convulsiva, ..." -> "pertusis" (`text_aliases`: after "también llamado/conocido como/se
   llama" right behind one of the page's names), weak terms on the same conditions as
   definition words.

A name that is one topic's own (its title or a part of it) and another's also-called name
names the first only ("Gripe" is the flu page, not also the H1N1 page that lists it), as a
concept's own name wins in the English phrase table. A question's terms are its longest runs
of stems that name a topic.

Stems collide: "me duele" and "Duelo" (grief) share the stem "duel", "médicos" and "Medicaid"
the stem "medic". An everyday word of the question (Zipf >= STEM_ONLY_ZIPF in wordfreq's
Spanish: "duele" 4.5, "médicos" 4.9) names a topic through a shared stem only when it is a word
of the topic's names (its title, also-called names, text aliases, definition words; accents
folded): "riñón" reaches "Piedras en los riñones" only through a name that says "riñón", and
"duele" never reaches "Duelo". A rare word ("calambres" 2.9) needs no such check. The cut is
the English drug check's (`answer.subject.STEM_ONLY_ZIPF`); on the page-made descriptions of
scripts/spanish_page_queries.py it gave the fewest wrong pages (3.0: 51.9 %, 3.5: 52.6 %,
4.0: 55.0 % with the page's whole text as its words; 46.9 % with its names only, as kept).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from wordfreq import zipf_frequency

from healthqa.errors import HealthqaError
from healthqa.records import Term
from healthqa.retrieval.lexical import fold_accents, spanish_terms, spanish_word_stems

VOCABULARY_NAME = "medlineplus-es"
# A definition word as common as "cara" or "salen" (Zipf >= 3.5 in wordfreq's Spanish) is an
# everyday word, not a name: "espasmos" is 2.9, "contracciones" 3.1, "infección" 4.1.
MAX_DEFINITION_ZIPF = 3.5
MAX_NAME_STEMS = 6
# An everyday question word at least this frequent names a topic through a shared stem only when
# it is a word of the topic's names (see the module's note).
STEM_ONLY_ZIPF = 3.0
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")
# the forms of "doler" (to hurt) a question says a pain with: duele(n), dolía(n), dolió, doler
_PAIN_VERB = re.compile(r"(?i)\b(?:duelen?|dol[ií]an?|doli[óo]|doler|doliendo)\b")


_DEFINITION = re.compile(r"\b(?:es|son)\s+(?:una?s?\s+|el\s+|la\s+|los\s+|las\s+)?([^,.;:]+)")
_ALTERNATIVES = re.compile(r"\s+(?:o|u|y|e)\s+")


_ALIAS = re.compile(
    r"[,(]\s*también\s+(?:se\s+(?:le\s+|les\s+|la\s+|lo\s+)?)?"
    r"(?:llamad[oa]s?|conocid[oa]s?\s+como|llaman?|conocen?\s+como|denominan?)\s+(?:como\s+)?"
    r"(.+?)(?=\s*(?:[,.;:()]|\s(?:es|son|que|porque|esta|este|consiste)\b|$))",
    re.IGNORECASE,
)
_ALIAS_SPLIT = re.compile(r"\s*,\s*|\s+[ou]\s+")
_MARKUP = re.compile(r"\(https?:[^)]*\)|[\[\]*\"“”]")
# the page's own name must end at most this many stems before "también llamado"
ALIAS_NEAR = 3
MAX_ALIAS_WORDS = 5
# A weak name (definition word, text alias) of one stem needs this many letters
MIN_WEAK_STEM_CHARS = 4
# A head word or weak name in the text of at least this share of the pages is a word of the
# whole field ("afección" 234 of 1,021 pages, "bacteria" 82), not one topic's name
MAX_NAME_PAGE_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class SpanishTopic:
    title: str
    also_called: tuple[str, ...] = ()
    definition: str = ""  # the first sentence of the page
    text: str = ""  # the page's text: the words it uses, the names it gives itself


def text_aliases(topic: SpanishTopic) -> list[str]:
    """The names the page's text gives its topic right behind one of its names: "La tosferina,
    también conocida como pertusis o tos convulsiva" -> "pertusis", "tos convulsiva"."""
    names = set(_key(" ".join(topic_names(topic))))
    aliases = []
    for match in _ALIAS.finditer(topic.text):
        before = spanish_terms(topic.text[max(0, match.start() - 200) : match.start()])
        if not names & set(before[-ALIAS_NEAR:]):
            continue
        for part in _ALIAS_SPLIT.split(match.group(1)):
            alias = " ".join(_MARKUP.sub("", part).split())
            if alias and len(alias.split()) <= MAX_ALIAS_WORDS and not _everyday_name(alias):
                aliases.append(alias)
    return list(dict.fromkeys(aliases))


def _short_stem(key: tuple[str, ...]) -> bool:
    """One stem shorter than MIN_WEAK_STEM_CHARS ("san" of "sanear", "par" of "parado"):
    too many words share it for a weak name."""
    return len(key) == 1 and len(key[0]) < MIN_WEAK_STEM_CHARS


def _everyday_name(name: str) -> bool:
    """A one-word name as common as "súbito" or "mono" (Zipf >= 3.5) is the word, not a name."""
    words = name.split()
    return len(words) == 1 and zipf_frequency(words[0].lower(), "es") >= MAX_DEFINITION_ZIPF


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
    """`forms`: for each topic, the words (accents folded) that name it (`page_forms`); without
    them (an index built before they were kept) no stem link is checked."""

    def __init__(
        self,
        table: dict[tuple[str, ...], list[str]],
        weak: frozenset[tuple[str, ...]] = frozenset(),
        forms: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.table = table
        self.weak = weak
        self.forms = forms or {}
        self.longest = max((len(k) for k in table), default=0)
        # multi-word names by their stems in any order ("presión alta" says "Alta presión")
        self.unordered: dict[tuple[str, ...], list[str]] = {}
        for key, concepts in table.items():
            if len(key) > 1:
                self.unordered.setdefault(tuple(sorted(key)), []).extend(concepts)

    def __len__(self) -> int:
        return len(self.table)

    def find_terms(self, text: str) -> list[Term]:
        """The topics `text` names, longest stem runs first, left to right; a pain said with
        the verb ("me duele la garganta") also names a several-word name said with the noun
        ("Dolor de garganta"), never "Dolor" alone (`pain_names`)."""
        terms = self._find(text)
        found = {t.concept for t in terms}
        return terms + [t for t in self.pain_names(text) if t.concept not in found]

    def pain_names(self, text: str) -> list[Term]:
        """The several-word names with "dolor" that `text` says with a form of "doler": the
        pages name a pain by the noun, people by the verb."""
        said = _PAIN_VERB.sub("dolor", text)
        if said == text:
            return []
        return [t for t in self._find(said) if len(t.text.split()) > 1 and "dolor" in t.text]

    def _find(self, text: str) -> list[Term]:
        pairs = spanish_word_stems(text)
        stems = tuple(s for _, s in pairs)
        terms: list[Term] = []
        i = 0
        while i < len(stems):
            for n in range(min(self.longest, len(stems) - i), 0, -1):
                words = [w for w, _ in pairs[i : i + n]]
                concepts = [c for c in self._named(stems[i : i + n]) if self._uses(c, words)]
                if concepts:
                    words = " ".join(stems[i : i + n])
                    weak = self._weak(stems[i : i + n])
                    terms += [Term(words, c, VOCABULARY_NAME, weak=weak) for c in concepts]
                    i += n
                    break
            else:
                i += 1
        return terms

    def _named(self, key: tuple[str, ...]) -> list[str]:
        """The topics a run of stems names, in its order or, for several words, in any."""
        found = self.table.get(key)
        if found is None and len(key) > 1:
            found = self.unordered.get(tuple(sorted(key)))
        return list(dict.fromkeys(found or []))

    def _weak(self, key: tuple[str, ...]) -> bool:
        if key in self.table:
            return key in self.weak
        return any(tuple(sorted(k)) == tuple(sorted(key)) for k in self.weak if len(k) == len(key))

    def _uses(self, concept: str, words: list[str]) -> bool:
        """No stem collision: a one-word name is said as a word of the topic's names (an
        everyday word as that very word, a rarer one also as its singular or plural, so
        "tiroides" does not name "Tiroidismo" nor "úlcera" "ulcerativa"); in a run of several
        words, each everyday word is a word of the names or its singular or plural ("infección
        de oído" names "Infecciones de los oídos")."""
        forms = self.forms.get(concept)
        if forms is None:
            return True
        if len(words) == 1:
            word = words[0]
            return uses_word(forms, word) if everyday_word(word) else same_word(forms, word)
        return all(same_word(forms, w) or not everyday_word(w) for w in words)

    def save(self, path: Path) -> None:
        """The phrase table in `path`; each topic's naming words beside it (`forms_path`), so
        an older healthqa still reads the table."""
        rows = [[" ".join(k), v, k in self.weak] for k, v in sorted(self.table.items())]
        Path(path).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        forms = {c: sorted(f) for c, f in sorted(self.forms.items())}
        forms_path(path).write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SpanishVocabulary:
        try:
            rows = json.loads(Path(path).read_text(encoding="utf-8"))
            kept = forms_path(path)
            forms = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else {}
        except (OSError, ValueError) as exc:
            raise HealthqaError(f"cannot read the Spanish vocabulary {path}: {exc}") from exc
        weak = frozenset(tuple(row[0].split()) for row in rows if row[2])
        table = {tuple(k.split()): list(v) for k, v, _ in rows}
        return cls(table, weak, {c: frozenset(f) for c, f in forms.items()})


def forms_path(path: Path) -> Path:
    """Where the naming words of the phrase table at `path` are kept."""
    return Path(path).with_name(Path(path).stem + "_forms.json")


def uses_word(forms: frozenset[str], word: str) -> bool:
    """`forms` (words, accents folded) hold `word` itself. Singular and plural are not merged:
    on the page-made descriptions (scripts/spanish_page_queries.py) merging them gave more
    wrong pages (55.4 % against 49.8 %), and so did equal lemmas (simplemma, 54.5 %)."""
    return fold_accents(word.lower()) in forms


def same_word(forms: frozenset[str], word: str) -> bool:
    """`forms` hold `word`, or its plural or singular (-s, -es)."""
    folded = fold_accents(word.lower())
    variants = {folded, f"{folded}s", f"{folded}es", folded[:-1], folded[:-2]}
    return any(v in forms for v in variants if v)


@lru_cache(maxsize=20_000)
def everyday_word(word: str) -> bool:
    """A word as common as "duele" or "piernas" (Zipf >= STEM_ONLY_ZIPF in Spanish)."""
    return zipf_frequency(word.lower(), "es") >= STEM_ONLY_ZIPF


def page_forms(
    table: dict[tuple[str, ...], list[str]], topics: Iterable[SpanishTopic]
) -> dict[str, frozenset[str]]:
    """For each topic, the words (accents folded) of its names, text aliases and definition
    whose stems are in the names the table gives it: the words that name it."""
    stems: dict[str, set[str]] = {}
    for key, concepts in table.items():
        for concept in concepts:
            stems.setdefault(concept, set()).update(key)
    forms = {}
    for topic in topics:
        text = " ".join([*topic_names(topic), *text_aliases(topic), topic.definition])
        own = stems.get(topic.title, set())
        forms[topic.title] = frozenset(
            fold_accents(w) for w, s in spanish_word_stems(text) if s in own
        )
    return forms


def domain_words(topics: list[SpanishTopic]) -> frozenset[tuple[str, ...]]:
    """One-stem keys in the text of at least MAX_NAME_PAGE_SHARE of the pages ("afección",
    "bacteria", "empeorar"): words of the whole field, not the name of one topic."""
    texts = [t for t in topics if t.text]
    counts = Counter(s for t in texts for s in set(spanish_terms(t.text)))
    least = max(2, MAX_NAME_PAGE_SHARE * len(texts))
    return frozenset((s,) for s, n in counts.items() if n >= least)


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
    common = domain_words(topics)
    heads = Counter(_key(t.title)[:1] for t in topics)
    for topic in topics:
        head = _key(topic.title)[:1]
        if (
            head
            and heads[head] == 1
            and head not in table
            and not _everyday_head(topic.title)
            and head not in common
        ):
            table[head] = [topic.title]
    defined = {t.title: definition_words(t.definition) for t in topics}
    for topic in topics:
        aliases = [_key(a) for a in text_aliases(topic)]
        defined[topic.title] += [k for k in aliases if 0 < len(k) <= MAX_NAME_STEMS]
    uses = Counter(k for keys in defined.values() for k in set(keys))
    weak = set()
    for title, keys in defined.items():
        for key in keys:
            if uses[key] == 1 and key not in table and not (_short_stem(key) or key in common):
                table[key] = [title]
                weak.add(key)
    return SpanishVocabulary(table, frozenset(weak), page_forms(table, topics))


def topics_from_documents(documents: Iterable) -> list[SpanishTopic]:
    """The Spanish topics of loaded Documents (the `medlineplus-es` collection): title,
    also-called names, the first sentence of the page's first section and the page's text."""
    topics: dict[str, SpanishTopic] = {}
    for d in documents:
        if getattr(d, "language", "en") != "es" or not d.title:
            continue
        if d.title in topics:
            topic = topics[d.title]
            topics[d.title] = replace(topic, text=f"{topic.text} {d.text}")
            continue
        first = _FIRST_SENTENCE.split(d.text.strip(), maxsplit=1)[0]
        topics[d.title] = SpanishTopic(d.title, tuple(d.also_called), first, d.text)
    return sorted(topics.values(), key=lambda t: t.title)


_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")
