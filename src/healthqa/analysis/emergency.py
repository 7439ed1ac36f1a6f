"""Emergency cues in a question: signs that someone may be in danger now, and the one line
that must open the answer then.

The cues are data (`healthqa/data/emergency_cues.json`): groups of lay-word patterns, each
with the kind of help it needs and the sources that publish the sign. Detection is a cheap
cascade on every question:

1. normalise the text (lower case, no apostrophes, hyphens as spaces);
2. cut it into windows of two consecutive sentences, so that the signs a rule combines
   ("chest pain" + "sweating") belong to one story, not to two ends of a long message;
3. for each group, try its rules on each window: every `all` pattern and one `any`
   pattern must match outside a negation ("no chest pain"), and no `none` pattern may match;
4. a group whose signs all lie in clauses told in a clearly past frame ("had a stroke in
   2019", "lost her brother to suicide last year") and with nothing current beside them
   ("now", "again", "today") describes no danger now: an emergency group is left out, the
   crisis line is still shown as information (`past_frames` in the cue file);
5. report the groups that fired, their kinds and the words that matched;
6. by meaning (`emergency_meaning`): compare the windows that tell of a person with sourced
   lay descriptions of each group by sentence vectors, so that paraphrases the patterns do
   not spell out are caught too; a description met above the calibrated threshold fires its
   group.

Questions that ask for *information* about an emergency ("what are the signs of a
stroke?") name the condition but describe no event or symptom, so they get no notice; the
composer still shows the sources' own warning sentences first. Questions phrased as an
event ("what do I do if someone is having a stroke?") or that describe a danger sign do get
the notice, because the asker may be in that situation right now.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthqa.errors import HealthqaError

if TYPE_CHECKING:
    from healthqa.analysis.emergency_meaning import EitherCheck, MeaningCheck, MeaningMatch
    from healthqa.analysis.emergency_meaning_es import SpanishMeaningCheck

DEFAULT_EMERGENCY_NUMBER = "911"
DEFAULT_CRISIS_NUMBER = "988"
DEFAULT_POISON_NUMBER = "1-800-222-1222"
KINDS = ("emergency", "crisis", "poison")

# A negation word up to this many words before a cue cancels it ("no history of chest
# pain"); 4 covers "don't have any ..." and "no sign of ..." in the test lists without
# reaching across clauses, which end at punctuation or a contrast word anyway.
NEGATION_WINDOW = 4
# fmt: off
NEGATORS = frozenset({
    "no", "not", "never", "without", "denies", "denied", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "havent", "hasnt", "hadnt", "nor", "free",
})
# fmt: on
# Two sentences: "I have chest pain. I'm sweating." is one story; the signs of a long
# message's first and last sentences are not (MeQSum questions, see docs/safety.md).
WINDOW_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]|\b(?:but|however|although|though|except|yet)\b")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_HYPHENS = re.compile(r"[-\u2010-\u2015/]")


@dataclass(frozen=True, slots=True)
class Rule:
    all: tuple[re.Pattern[str], ...] = ()
    any: tuple[re.Pattern[str], ...] = ()
    none: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class CueGroup:
    id: str
    label: str
    kind: str
    rules: tuple[Rule, ...]
    negation: bool = True
    sources: tuple[dict[str, str], ...] = ()
    # Words that only ask about the group in general ("warning signs of suicide"): a question
    # whose every sign of the group lies inside them gets the notice but is no emergency.
    information: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class PastFrames:
    """Words that put a clause in a clearly past frame ("two years ago", "when I was a kid"),
    and words that bring it back to now ("now", "again", "today")."""

    past: re.Pattern[str]
    current: re.Pattern[str]


# A past clause this short ("when I was 12,", "two years ago,") is a time phrase put in front:
# the clause after its comma is in the same past frame unless it says otherwise.
FRONTED_WORDS = 6


@dataclass(frozen=True, slots=True)
class CueSet:
    groups: tuple[CueGroup, ...]
    notices: dict[str, str] = field(default_factory=dict)
    kind_order: tuple[str, ...] = KINDS
    # A language's own words (the Spanish file gives "no", "sin", "pero"...); English here.
    negators: frozenset[str] = NEGATORS
    clause_break: re.Pattern[str] = _CLAUSE_BREAK
    fold_accents: bool = False  # match "caída" as "caida" (the Spanish patterns have none)
    # Negations that are themselves a danger sign ("isnt breathing", "wont stop bleeding"): their
    # negation word cancels nothing and keeps no window from the check by meaning.
    danger_negations: re.Pattern[str] | None = None
    past_frames: PastFrames | None = None

    def kinds_of(self, group_ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """The kinds of help of these groups, in the notice's order, each once."""
        wanted = {g.kind for g in self.groups if g.id in group_ids}
        return tuple(k for k in self.kind_order if k in wanted)


@dataclass(frozen=True, slots=True)
class EmergencyFinding:
    emergency: bool
    kinds: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    similar_to: tuple[str, ...] = ()  # ids of the descriptions met by meaning
    # Groups named only to ask about them in general ("what are the warning signs of suicide in
    # teenagers"): not an emergency, but their notice is shown (`emergency_notice`).
    information: tuple[str, ...] = ()
    information_kinds: tuple[str, ...] = ()
    # Groups whose every sign lies in a past frame ("had a seizure when he was 2"): no emergency.
    past: tuple[str, ...] = ()

    @property
    def notice_kinds(self) -> tuple[str, ...]:
        """The kinds of help the notice names: the emergency's, then those of information."""
        return self.kinds + tuple(k for k in self.information_kinds if k not in self.kinds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "emergency": self.emergency,
            "kinds": list(self.kinds),
            "groups": list(self.groups),
            "cues": list(self.cues),
            "similar_to": list(self.similar_to),
            "information": list(self.information),
            "past": list(self.past),
        }


CUE_FILES = {"en": "data/emergency_cues.json", "es": "data/emergency_cues_es.json"}


def fold_accents(text: str) -> str:
    """ "caída" -> "caida", "niño" -> "nino": letters without their diacritics."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str, fold: bool = False) -> str:
    text = _APOSTROPHES.sub("", text.lower())
    if fold:
        text = fold_accents(text)
    return " ".join(_HYPHENS.sub(" ", text).split())


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")
    except re.error as exc:
        raise HealthqaError(f"bad cue pattern in {where}: {pattern!r} ({exc})") from exc


def _group(data: dict[str, Any]) -> CueGroup:
    kind = data["kind"]
    if kind not in KINDS:
        raise HealthqaError(f"cue group {data['id']!r} has kind {kind!r}; valid: {KINDS}")
    rules = tuple(
        Rule(
            **{
                part: tuple(_compile(p, data["id"]) for p in rule.get(part, ()))
                for part in ("all", "any", "none")
            }
        )
        for rule in data["rules"]
    )
    return CueGroup(
        id=data["id"],
        label=data["label"],
        kind=kind,
        rules=rules,
        negation=data.get("negation", True),
        sources=tuple(data.get("sources", ())),
        information=_information(data),
    )


def _information(data: dict[str, Any]) -> re.Pattern[str] | None:
    frames = data.get("information", {}).get("frames")
    if not frames:
        return None
    return _compile("|".join(f"(?:{p})" for p in frames), data["id"])


def _clause_break(words: list[str]) -> re.Pattern[str]:
    if not words:
        return _CLAUSE_BREAK
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"[.,;:!?()\n¿¡]|\b(?:{alternatives})\b")


def load_cues(path: str | Path | None = None, language: str = "en") -> CueSet:
    """The cue list shipped with healthqa for `language`, or one in the same format at `path`."""
    if path is None:
        if language not in CUE_FILES:
            raise HealthqaError(f"no emergency cues for {language!r}; valid: {sorted(CUE_FILES)}")
        raw = resources.files("healthqa").joinpath(CUE_FILES[language]).read_text()
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    return CueSet(
        groups=tuple(_group(g) for g in data["groups"]),
        notices=dict(data["notices"]),
        kind_order=tuple(data.get("kind_order", KINDS)),
        negators=frozenset(data["negators"]) if "negators" in data else NEGATORS,
        clause_break=_clause_break(data.get("clause_words", [])),
        fold_accents=bool(data.get("fold_accents", False)),
        danger_negations=_danger_negations(data.get("danger_negations")),
        past_frames=_past_frames(data.get("past_frames")),
    )


def _past_frames(data: dict[str, Any] | None) -> PastFrames | None:
    if not data:
        return None
    if not data.get("sources"):
        raise HealthqaError("past_frames must name the sources of its rule")
    return PastFrames(
        past=_compile("|".join(f"(?:{p})" for p in data["patterns"]), "past_frames"),
        current=_compile("|".join(f"(?:{p})" for p in data["current"]), "past_frames"),
    )


def past_clauses(text: str, cues: CueSet) -> list[tuple[int, int]]:
    """The (start, end) of each clause of `text` (normalised) told in a clearly past frame: it
    holds a past-time phrase and nothing that brings it back to now, or it follows a short
    fronted past phrase and its comma ("when i was a kid, i had seizures")."""
    frames = cues.past_frames
    if frames is None or not frames.past.search(text):
        return []
    found: list[tuple[int, int]] = []
    start, carry = 0, False
    for cut in [*cues.clause_break.finditer(text), None]:
        end = cut.start() if cut else len(text)
        clause = text[start:end]
        if clause.strip():
            current = frames.current.search(clause) is not None
            past = not current and frames.past.search(clause) is not None
            if past or (carry and not current):
                found.append((start, end))
            fronted = cut is not None and cut.group(0) == ","
            carry = past and fronted and len(clause.split()) <= FRONTED_WORDS
        start = cut.end() if cut else len(text)
    return found


def blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """`text` with these ranges turned to spaces (same length)."""
    chars = list(text)
    for start, end in ranges:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def without_past(text: str, cues: CueSet | None = None) -> str:
    """`text` less its clauses in a clearly past frame (normalised when it has some), for the
    check by meaning; the text as given when it has none."""
    cue_set = cues or default_cues()
    normal = normalize(text, cue_set.fold_accents)
    ranges = past_clauses(normal, cue_set)
    return " ".join(blank(normal, ranges).split()) if ranges else text


def _danger_negations(data: dict[str, Any] | None) -> re.Pattern[str] | None:
    if not data:
        return None
    if not data.get("sources"):
        raise HealthqaError("danger_negations must name the sources that publish its signs")
    return _compile("|".join(f"(?:{p})" for p in data["patterns"]), "danger_negations")


def mask_danger_negations(text: str, cues: CueSet) -> str:
    """`text` (normalised) with the negation words of its danger negations ("he isnt
    breathing", "bleeding wont stop") blanked out, so that they cancel nothing; same length."""
    if cues.danger_negations is None:
        return text

    def blank(match: re.Match[str]) -> str:
        words = match.group(0).split(" ")
        return " ".join("_" * len(w) if w in cues.negators else w for w in words)

    return cues.danger_negations.sub(blank, text)


@lru_cache(maxsize=len(CUE_FILES))
def default_cues(language: str = "en") -> CueSet:
    return load_cues(language=language)


def _negated(text: str, start: int, cues: CueSet) -> bool:
    clause = cues.clause_break.split(text[:start])[-1]
    return any(word in cues.negators for word in clause.split()[-NEGATION_WINDOW:])


@dataclass(frozen=True, slots=True)
class Span:
    """A window of the normalised question, and the same with its danger negations masked
    (`mask_danger_negations`), where negation is read."""

    text: str
    masked: str


def _first_match(pattern: re.Pattern[str], span: Span, negation: bool, cues: CueSet) -> str | None:
    for match in pattern.finditer(span.text):
        if not (negation and _negated(span.masked, match.start(), cues)):
            return match.group(0)
    return None


def _rule_cues(rule: Rule, span: Span, negation: bool, cues: CueSet) -> list[str] | None:
    """The matched words when `rule` fires on `span`, else None."""
    if any(p.search(span.text) for p in rule.none):
        return None
    found: list[str] = []
    for pattern in rule.all:
        match = _first_match(pattern, span, negation, cues)
        if match is None:
            return None
        found.append(match)
    if rule.any:
        hits = [m for p in rule.any if (m := _first_match(p, span, negation, cues)) is not None]
        if not hits:
            return None
        found.extend(hits)
    return found


def windows(text: str) -> list[str]:
    """Runs of WINDOW_SENTENCES consecutive sentences (the whole text if it is shorter)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    last_start = max(1, len(sentences) - WINDOW_SENTENCES + 1)
    return [" ".join(sentences[i : i + WINDOW_SENTENCES]) for i in range(last_start)]


def _group_cues(group: CueGroup, spans: list[Span], cue_set: CueSet) -> list[str]:
    for rule in group.rules:
        for span in spans:
            cues = _rule_cues(rule, span, group.negation, cue_set)
            if cues:
                return cues
    return []


def detect_emergency(
    text: str,
    cues: CueSet | None = None,
    *,
    by_meaning: bool = True,
    meaning: MeaningCheck | EitherCheck | SpanishMeaningCheck | None = None,
    language: str = "en",
) -> EmergencyFinding:
    """Which emergency signs `text` describes; `emergency` is False when there are none.

    Patterns first; then, with `by_meaning`, the semantic check (`meaning`, or the shipped
    one when the shipped cues are used). A group both layers find is reported once.
    `language` picks the shipped cue file ("en", "es") when `cues` is not given; a Spanish
    question has its past clauses blanked out and gets the Spanish check by meaning
    (`emergency_meaning_es`).
    """
    cue_set = cues or default_cues(language)
    texts = windows(normalize(text, cue_set.fold_accents))
    if language == "es":  # clauses that tell only of the past are blanked out
        from healthqa.analysis.emergency_meaning_es import without_past

        texts = [without_past(w, cue_set) for w in texts]
    spans = [Span(w, mask_danger_negations(w, cue_set)) for w in texts]
    groups: list[str] = []
    information: list[str] = []
    past: list[str] = []
    matched: list[str] = []
    for group in cue_set.groups:
        found = _group_cues(group, spans, cue_set)
        if not found:
            continue
        if _only_information(group, spans, cue_set):
            information.append(group.id)
        elif _only_past(group, spans, cue_set):
            # Talk of a suicide, even a past one, still gets the crisis line (Decisions).
            (information if group.kind == "crisis" else past).append(group.id)
        else:
            groups.append(group.id)
            matched.extend(found)
    similar: list[str] = []
    if by_meaning and language in ("en", "es"):
        for hit in _meaning_matches(text, cues, meaning, language):
            similar.append(hit.description.id)
            if hit.description.group not in groups:
                groups.append(hit.description.group)
    information = [g for g in information if g not in groups]
    return EmergencyFinding(
        emergency=bool(groups),
        kinds=cue_set.kinds_of(groups),
        groups=tuple(groups),
        cues=tuple(dict.fromkeys(matched)),
        similar_to=tuple(similar),
        information=tuple(information),
        information_kinds=cue_set.kinds_of(information),
        past=tuple(g for g in past if g not in groups),
    )


def _only_information(group: CueGroup, spans: list[Span], cue_set: CueSet) -> bool:
    """Whether `group` fires only on words that ask about it in general: with its information
    frames blanked out, no window fires it any more."""
    if group.information is None:
        return False
    info = group.information
    for span in spans:
        if _group_cues(group, [span], cue_set):
            blanked = info.sub(lambda m: " " * len(m.group(0)), span.text)
            if _group_cues(group, [Span(blanked, span.masked)], cue_set):
                return False
    return True


def _only_past(group: CueGroup, spans: list[Span], cue_set: CueSet) -> bool:
    """Whether `group` fires only on signs told in a clearly past frame: with those clauses
    blanked out, no window fires it any more."""
    if cue_set.past_frames is None:
        return False
    for span in spans:
        ranges = past_clauses(span.text, cue_set)
        present = Span(blank(span.text, ranges), blank(span.masked, ranges))
        if _group_cues(group, [present], cue_set):
            return False
    return True


def _meaning_matches(
    text: str,
    cues: CueSet | None,
    meaning: MeaningCheck | EitherCheck | SpanishMeaningCheck | None,
    language: str = "en",
) -> list[MeaningMatch]:
    if meaning is None and cues is None and language == "es":
        from healthqa.analysis.emergency_meaning_es import default_meaning_es

        meaning = default_meaning_es()
    elif meaning is None and cues is None:
        from healthqa.analysis.emergency_meaning import default_meaning

        meaning = default_meaning()
    return meaning.matches(text) if meaning is not None else []


def emergency_notice(
    finding: EmergencyFinding,
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
    crisis_number: str = DEFAULT_CRISIS_NUMBER,
    poison_number: str = DEFAULT_POISON_NUMBER,
    cues: CueSet | None = None,
    language: str = "en",
) -> str:
    """The one line that opens the answer: what to do now, for each kind found ("" if none),
    in `language` when `cues` is not given."""
    notices = (cues or default_cues(language)).notices
    numbers = {
        "emergency_number": emergency_number,
        "crisis_number": crisis_number,
        "poison_number": poison_number,
    }
    return " ".join(notices[kind].format(**numbers) for kind in finding.notice_kinds)
