"""Cheap checks that an answer says only what its sources say, run on every answer.

An answer sentence must be a quotation of a passage it cites: the passage's words in the
passage's order, perhaps cut short at either end. A sentence that is not (a paraphrase, a
merge of two sentences) is reported, and so is any number in it that its passages do not
hold (a dose, an age, a duration, a percentage): an invented "200 mg" is the worst thing a
health answer can say.

`warning_sentence` recognises "when to see a doctor / call 911 / seek care / warning signs"
sentences, so the composer can keep them and show them first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from healthqa.records import Answer

# Characters that differ between a source and a quotation of it without changing its words.
_TRANSLATE = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_EDGE_PUNCTUATION = " .,;:!?-\"'()[]"
_QUOTE_PREVIEW_CHARS = 70

_UNITS = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "g": "g", "gram": "g", "grams": "g",
    "mcg": "mcg", "µg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "ml": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
    "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
    "iu": "iu", "unit": "iu", "units": "iu",
    "%": "%", "percent": "%", "per cent": "%",
    "mmhg": "mmhg", "mg/dl": "mg/dl", "mmol/l": "mmol/l",
    "f": "degree", "c": "degree", "°f": "degree", "°c": "degree",
    "degree": "degree", "degrees": "degree",
    "year": "year", "years": "year", "yr": "year", "yrs": "year",
    "month": "month", "months": "month", "mo": "month",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week",
    "day": "day", "days": "day",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "second": "second", "seconds": "second", "sec": "second",
    "time": "times", "times": "times",
    "tablet": "tablet", "tablets": "tablet", "pill": "tablet", "pills": "tablet",
    "capsule": "tablet", "capsules": "tablet",
    "teaspoon": "teaspoon", "teaspoons": "teaspoon", "tsp": "teaspoon",
    "tablespoon": "tablespoon", "tablespoons": "tablespoon", "tbsp": "tablespoon",
    "cup": "cup", "cups": "cup", "glass": "cup", "glasses": "cup", "drink": "drink",
    "drinks": "drink", "dose": "dose", "doses": "dose", "inch": "inch", "inches": "inch",
    "cm": "cm", "mm": "mm", "foot": "foot", "feet": "foot",
}  # fmt: skip
# fmt: off
_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
# fmt: on
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Words that are a number and a unit at once.
_COUNTED = {"once": (1.0, "times"), "twice": (2.0, "times"), "thrice": (3.0, "times")}
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "dozen": 12.0}
_RANGE_WORDS = frozenset({"to", "-", "or", "and", "through"})

_CLAUSE_END = re.compile(r"[;:!?()\[\]]|\.(?=\s|$)")
_TOKEN = re.compile(
    r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:/\d+)?|°[fc]\b|mg/dl|mmol/l|per cent|%|[a-zµ]+|-",
    re.IGNORECASE,
)

# MedQuAD glues some words ("providerright awayif"), hence the optional spaces.
_CARE_GIVER = (
    r"(a|an|your|the|your\ child's|your\ baby's|the\ person's|his\ or\ her)?\ ?"
    r"(doctor|health\ ?care\ (provider|professional)|provider|physician|pediatrician|dentist"
    r"|nurse|eye\ care\ professional)s?"
)
_WARNING = re.compile(
    rf"""\b(
      call\ (9-?1-?1|your\ local\ emergency|the\ local\ emergency|an\ ambulance|for\ help
            |poison\ control|the\ (national\ )?poison|your\ (local\ )?poison)
    | 9-?1-?1 | 1-800-222-1222 | (call|text)\ (or\ text\ )?988 | poison\ (control|help|center)
    | (suicide|crisis)\ (prevention\ )?(hot\ ?line|lifeline|line)
    | emergency\ (room|department|number|care|treatment|help|medical\ (care|help|services))
    | medical\ emergency | urgent\ care | go\ to\ the\ hospital | hospital\ right\ away
    | seek\ (immediate\ |emergency\ |urgent\ |prompt\ )?(medical\ )?(care|help|attention|treatment)
    | (get|call\ for)\ (immediate\ |emergency\ |urgent\ )?(medical\ )?
        (help|care|attention|treatment)\ ?(right\ ?away|immediately|at\ once|quickly|promptly)
    | call\ for\ an\ (urgent\ )?appointment
    | (call|see|contact|visit|check\ with|talk\ (to|with)|make\ an\ appointment\ with)
        \ ?{_CARE_GIVER} (\ or\ [a-z ]{{0,40}})?
        \ ?(right\ ?away|immediately|promptly|at\ once|as\ soon\ as|if\b|when\b|for\b|because
        |about\ any|[.:,;)]|$)
    | (warning|danger|emergency)\ signs?\b
    | when\ to\ contact\ a\ medical\ professional
    | (right\ away|immediately)\ if\ you\ have
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A quantity in a text: its value, its unit (canonical, or None) and its words."""

    value: float
    unit: str | None
    text: str


def normalize_text(text: str) -> str:
    """Lower case, one space between words, no list marks: a list quoted with " - " between
    its items quotes a source that wrote them one to a line (`compose._joined_lists`)."""
    return " ".join(w for w in text.translate(_TRANSLATE).casefold().split() if w != "-")


def is_quoted(sentence: str, passage_text: str) -> bool:
    """True when `sentence` is the passage's own words, whole or cut short at either end."""
    core = normalize_text(sentence).strip(_EDGE_PUNCTUATION)
    return bool(core) and core in normalize_text(passage_text)


def _parse_digits(token: str) -> float:
    if "/" in token:
        numerator, denominator = token.split("/")
        return float(numerator) / float(denominator) if float(denominator) else float(numerator)
    return float(token.replace(",", ""))


def _word_value(words: list[str]) -> float:
    """The value of a run of number words: 'two hundred fifty' -> 250."""
    total, current = 0, 0
    for word in words:
        if word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1_000:
                total, current = total + current, 0
        else:
            current += _NUMBER_WORDS[word]
    return float(total + current)


def _unit_after(tokens: list[str], start: int) -> str | None:
    """The unit of the number ending before `start`: the next token that is one, skipping
    over a range ("2 to 4 mg") but nothing else."""
    for token in tokens[start : start + 4]:
        if token in _UNITS:
            return _UNITS[token]
        if not (token in _RANGE_WORDS or token[0].isdigit() or token in _NUMBER_WORDS):
            return None
    return None


def numbers_in(text: str) -> list[NumberMention]:
    """Every quantity in `text`: digits, number words, fractions, 'twice', with their units."""
    # a run of number words ends at a clause ("... of the two). One study" is 2 and 1, not 3)
    clauses = _CLAUSE_END.split(text.translate(_TRANSLATE))
    return [mention for clause in clauses for mention in _numbers_in_clause(clause)]


def _numbers_in_clause(text: str) -> list[NumberMention]:
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    mentions: list[NumberMention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _COUNTED:
            value, unit = _COUNTED[token]
            mentions.append(NumberMention(value, unit, token))
            i += 1
            continue
        if token[0].isdigit() or token in _FRACTIONS:
            value = _parse_digits(token) if token[0].isdigit() else _FRACTIONS[token]
            end = i + 1
        elif token in _NUMBER_WORDS or token in _SCALES:
            end = i
            while end < len(tokens) and (tokens[end] in _NUMBER_WORDS or tokens[end] in _SCALES):
                end += 1
            value = _word_value(tokens[i:end])
        else:
            i += 1
            continue
        unit = _unit_after(tokens, end)
        next_is_unit = end < len(tokens) and tokens[end] in _UNITS
        words = " ".join(tokens[i : end + 1] if next_is_unit else tokens[i:end])
        mentions.append(NumberMention(value, unit, words))
        i = end
    return mentions


def _missing_numbers(sentence: str, passage_texts: Iterable[str]) -> list[NumberMention]:
    held = {(round(m.value, 4), m.unit) for text in passage_texts for m in numbers_in(text)}
    values = {value for value, _ in held}
    return [
        m
        for m in numbers_in(sentence)
        if (round(m.value, 4), m.unit) not in held
        and not (m.unit is None and round(m.value, 4) in values)
    ]


def _preview(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= _QUOTE_PREVIEW_CHARS else text[: _QUOTE_PREVIEW_CHARS - 1] + "…"


def sentence_problems(sentence: str, passage_texts: list[str]) -> list[str]:
    problems: list[str] = []
    if not any(is_quoted(sentence, text) for text in passage_texts):
        problems.append(f"not quoted from its source: {_preview(sentence)!r}")
    problems.extend(
        f"number {m.text!r} is not in its source: {_preview(sentence)!r}"
        for m in _missing_numbers(sentence, passage_texts)
    )
    return problems


def check_sentence(sentence: str, passage_text: str) -> list[str]:
    """Problems of one answer sentence against the passage it cites; [] when faithful."""
    return sentence_problems(sentence, [passage_text])


def check_answer(answer: Answer, passage_texts_by_citation: dict[int, list[str]]) -> list[str]:
    """Problems of every sentence of `answer`, each against the passages it cites.

    A sentence may quote any one of its passages; its numbers may come from any of them.
    """
    problems: list[str] = []
    for section in answer.sections:
        for sentence in section.sentences:
            if not sentence.citations:
                problems.append(f"no citation: {_preview(sentence.text)!r}")
                continue
            unknown = [n for n in sentence.citations if n not in passage_texts_by_citation]
            if unknown:
                problems.append(f"cites {unknown} with no passage: {_preview(sentence.text)!r}")
            texts = [t for n in sentence.citations for t in passage_texts_by_citation.get(n, [])]
            problems.extend(sentence_problems(sentence.text, texts))
    return problems


def warning_sentence(text: str) -> bool:
    """True for a sentence that says when to get care: call 911, see a doctor if, warning signs."""
    return _WARNING.search(text) is not None
