"""Sourced positives from the pages that say their condition IS an emergency: the symptoms
and warning signs those pages list, told as the first-person or caregiver messages of
`emergency_sources.py`, alone when a sign is specific and two or three signs of one page
together ("my husband has chest discomfort, sweating and discomfort in his upper body").

A page counts when one of its sentences says so of its own condition: a MedQuAD page (folders
1-9 and judged-answers.csv; drug and herb pages left out) with "Appendicitis is a medical
emergency", "A heart attack is an emergency", "call 9-1-1 if someone is having them" or "if you
think you are having a stroke, call 911"; or a MedQuAD MedlinePlus health topic whose page in
MedlinePlus en español (`medlineplus-es`, the same topic's address) says "La sepsis es una
emergencia médica". A sentence that names the emergency as a complication ("hives can cause a
dangerous swelling in your airways ... which is a medical emergency") names no condition of the
page and does not count. Signs are the items of a list whose heading names symptoms or signs
("Symptoms of stroke are - Sudden numbness ..."), and the parts of a sentence listing them
("Common symptoms of sepsis are fever, chills, rapid breathing and heart rate, rash, confusion,
and disorientation."). One mild sign told alone is no emergency (docs/safety.md, "Chest pain
alone"), so a sign is told alone only when it has MIN_ALONE_WORDS words or more ("sudden
trouble seeing in one or both eyes"); shorter ones only with others of the same page. No sign is
written by hand; only the frames of `emergency_sources.first_person` are.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from healthqa.corpus.medquad import JUDGED_FILE, iter_medquad, read_judged_answers
from healthqa.datasets import training_file
from healthqa.training.emergency_sources import (
    _NEGATION,
    _VAGUE,
    DRUG_PAGES,
    SUBJECTS,
    DangerSign,
    _list_items,
    first_person,
)

# A sentence that says a condition is an emergency or sends its signs to 911.
_CLAIM = re.compile(
    r"\b(?:is|are|can be|may be)\s+(?:a |an )?(?:true |serious |potentially |life-threatening |"
    r"possibly )*(?:medical )?emergenc(?:y|ies)\b|\bcall 9-?1-?1\b",
    re.IGNORECASE,
)
# ... of the page's condition: the sentence names it, or the signs just listed, or a person
# having it ("if you think you or someone else is having a heart attack").
_OWN = re.compile(
    r"\b(?:them|these (?:symptoms|signs)|the condition|this condition|someone (?:else )?is "
    r"having|you think you)\b",
    re.IGNORECASE,
)
# "Hives can cause a dangerous swelling ... which is a medical emergency": a complication.
_COMPLICATION = re.compile(r"\b(?:cause|causes|lead to|leads to|which is|can result)\b", re.I)
_CALL = re.compile(r"\bcall 9-?1-?1\b", re.IGNORECASE)
# Sentences, and the section headings MedQuAD runs into them ("Severe Hypotension Linked to
# Shock\n Shock is a life-threatening emergency.").
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n|\s{3,}")
# A list heading that names the signs: "Symptoms of stroke are - ...", "Those symptoms include
# - ...": the sentence before the first item; and a sentence that lists them ("Common symptoms
# of sepsis are fever, chills, ..."). Risk factors are no signs.
_SIGN_HEADING = re.compile(
    r"(?:^|[.!?:]\s+)([^.!?:]*?\b(?:symptoms?|signs?)\b[^.!?:-]{0,80}?"
    r"(?:include|includes|are|such as|symptoms|signs))\s*:?\s+(?=-\s)",
    re.IGNORECASE,
)
_SIGN_SENTENCE = re.compile(
    r"\b(?:symptoms?|signs?)(?: of [\w' -]{1,40}?)? (?:may |can |might |often )?"
    r"(?:include|includes|are)\s+([a-z][^.!?:]{4,300})[.!?]",
    re.IGNORECASE,
)
_RISK = re.compile(r"\brisk|\bcauses?\b|\bprevent", re.IGNORECASE)
SHORT_PART = 3  # an item splits at its commas only when every part is this short
# "A bluish color on your skin, lips, fingernails" is one sign: its commas list places.
_PLACE = re.compile(r"\b(?:of|on|in|to|with)\b", re.IGNORECASE)
# What a list or a sentence of signs holds that is no sign: a continuation ("and trouble
# seeing", "which are little cobwebs"), a question of the page ("Did you vomit ...?").
_NOT_A_SIGN = re.compile(r"^(?:and|or|but|which|also|called|especially|if|did|do|have you)\b|\?")
# The sections read: the summary of a health topic and the symptoms of a condition.
SIGN_QTYPES = ("information", "symptoms")
_SPLIT = re.compile(r",\s*(?:and |or )?|\s+and/or\s+|;\s*", re.IGNORECASE)
_BRACKETS = re.compile(r"\s*\([^)]*\)")
# Spanish: "La sepsis es una emergencia médica" (the page's own title in the subject).
# Not "Esto se llama crisis miasténica y es una emergencia" (a crisis of the condition).
_CLAIM_ES = r"\b{}\b(?:(?!puede)[^.!?]){{0,40}}\bes una emergencia\b"
_TITLE_WORD = re.compile(r"[a-záéíóúñ]{5,}", re.IGNORECASE)
ES_FOLDER = "medlineplus-es"
MPLUS_TOPICS = "MPlusHealthTopics"
MIN_ALONE_WORDS = 4
MAX_SIGN_WORDS = 18
MAX_SIGNS = 12  # per page, the first ones (pages list the main signs first)
# A sign that pages of conditions that are no emergency list too ("Fever", "Nausea") is
# common; a group of signs is told only if one of them is not (on at most COMMON_PAGES pages).
COMMON_PAGES = 1
PER_GROUP = 2  # messages per group of signs, each about another person of SUBJECTS


@dataclass(frozen=True)
class EmergencyPage:
    key: str  # MedQuAD document id ("MPlusHealthTopics_0000052")
    focus: str
    signs: tuple[str, ...]
    common: frozenset[str] = frozenset()  # its signs that other pages list too


def claims_emergency(text: str, focus: str) -> bool:
    """Whether one sentence of `text` says that the condition `focus` is an emergency."""
    head = _TITLE_WORD.findall(focus.lower())
    for sentence in _SENTENCE.split(text):
        if not _CLAIM.search(sentence) or _COMPLICATION.search(sentence):
            continue
        low = sentence.lower()
        if _OWN.search(sentence):
            return True
        # "Call 911 if the child ..." sends one sign, not the condition, to 911.
        if not _CALL.search(sentence) and any(word[:5] in low for word in head):
            return True
    return False


def claims_emergency_es(text: str, title: str) -> bool:
    """Whether a Spanish page says "<its title> es una emergencia (médica)"."""
    low = text.lower()
    return any(
        re.search(_CLAIM_ES.format(re.escape(word)), low)
        for word in _TITLE_WORD.findall(title.lower())
    )


def page_signs(text: str) -> list[str]:
    """The signs a page lists: items of a list headed by symptoms or signs, and the parts of a
    sentence that lists them; each short, affirmative and about a person."""
    found: list[str] = []
    for heading in _SIGN_HEADING.finditer(text):
        if not _RISK.search(heading.group(1)):
            found.extend(_headed(_list_items(text[heading.end() - 1 :])))
    for sentence in _SIGN_SENTENCE.finditer(text):
        found.extend(_split(sentence.group(1), always=True))
    signs = []
    for raw in found:
        sign = " ".join(_BRACKETS.sub("", raw).split()).strip(" .;,-")
        words = sign.split()
        if (
            words
            and len(words) <= MAX_SIGN_WORDS
            and not _NEGATION.search(sign.lower().replace("'", ""))
            and not _VAGUE.search(sign)
            and not _RISK.search(sign)
            and not _NOT_A_SIGN.search(sign.lower())
            and not _CALL.search(sign)
        ):
            signs.append(sign[:1].upper() + sign[1:])
    return list(dict.fromkeys(signs))[:MAX_SIGNS]


def _split(item: str, *, always: bool = False) -> list[str]:
    """An item's signs: "Nausea, vomiting, sweating" is three; "Sudden numbness or weakness of
    the face, arm or leg" one (a part is longer than SHORT_PART words)."""
    parts = [p for p in _SPLIT.split(item) if p.strip()]
    if _PLACE.search(item) and any(len(p.split()) == 1 for p in parts[1:]):
        return [item]
    if always or all(len(p.split()) <= SHORT_PART for p in parts):
        return parts
    return [item]


def _headed(items: list[str]) -> list[str]:
    """List items; an item in lower case continues the one before it: "Skin - itching, hives"
    is the signs itching and hives, "Chest discomfort - pressure, squeezing, or pain" one sign,
    "chest discomfort with pressure, squeezing, or pain"."""
    out: list[str] = []
    for n, item in enumerate(items):
        after = items[n + 1] if n + 1 < len(items) else ""
        if item[:1].islower():
            continue  # read with the item before it
        if after[:1].islower():
            if " " in item:
                out.append(f"{item} with {after}")
            else:  # an organ heading: its signs follow
                out.extend(_split(after, always=True))
        else:
            out.extend(_split(item))
    return out


def emergency_pages(data_dir: Path) -> list[EmergencyPage]:
    """The MedQuAD pages that say their condition is an emergency (in English, or on their
    MedlinePlus en español page), with the signs they list."""
    folder = training_file(data_dir, "medquad")
    judged = read_judged_answers(folder / JUDGED_FILE)
    texts: dict[str, list[str]] = defaultdict(list)
    all_texts: dict[str, list[str]] = defaultdict(list)
    focus: dict[str, str] = {}
    urls: dict[str, str] = {}
    for doc in iter_medquad(folder):
        if doc.id.startswith(DRUG_PAGES):
            continue
        text = doc.text if doc.text.strip() else getattr(judged.get(doc.id), "text", "")
        key = doc.id.rsplit("_Sec", 1)[0]
        all_texts[key].append(text)
        if doc.qtype in SIGN_QTYPES:
            texts[key].append(text)
        focus[key] = doc.focus
        urls.setdefault(key, doc.url)
    spanish = spanish_claims(data_dir)
    found, others = [], Counter[str]()
    for key, parts in texts.items():
        signs = page_signs(" ".join(parts))
        slug = urls[key].rsplit("/", 1)[-1]
        # the claim may stand in any section of the page
        if claims_emergency(" ".join(all_texts[key]), focus[key]) or (
            key.startswith(MPLUS_TOPICS) and slug in spanish
        ):
            found.append((key, signs))
        else:
            others.update({s.lower() for s in signs})
    return [
        EmergencyPage(key, focus[key], tuple(signs), common_signs(signs, others))
        for key, signs in found
        if signs
    ]


def common_signs(signs: list[str], others: Counter[str]) -> frozenset[str]:
    """The signs that more than COMMON_PAGES pages of conditions that are no emergency list."""
    return frozenset(s for s in signs if others[s.lower()] > COMMON_PAGES)


def spanish_claims(data_dir: Path) -> set[str]:
    """The English page names ("sepsis.html") of the MedlinePlus en español pages that say
    their condition is an emergency."""
    folder = training_file(data_dir, ES_FOLDER)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    out = set()
    for name, info in meta.items():
        path = folder / "topics" / f"{name}.md"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        title = text.split("\n", 1)[0]
        if claims_emergency_es(text, title):
            out.add(info["url"].rsplit("/", 1)[-1])
    return out


def page_messages(pages: list[EmergencyPage]) -> list[str]:
    """Each page's groups of signs (`sign_groups`) told by PER_GROUP persons of SUBJECTS taken
    in turn, less the groups of common signs only."""
    out = []
    n = 0
    for page in pages:
        for group in sign_groups(page.signs):
            if all(sign in page.common for sign in group):
                continue  # "nausea and vomiting" tells no emergency
            for k in range(PER_GROUP):
                out.append(together(group, SUBJECTS[(n + k) % len(SUBJECTS)]))
            n += 1
    return list(dict.fromkeys(out))


def sign_groups(signs: tuple[str, ...] | list[str]) -> list[list[str]]:
    """The long signs alone, and the signs two and three together: neighbours in the page's
    list, and every other one."""
    groups = [[s] for s in signs if len(s.split()) >= MIN_ALONE_WORDS]
    for i in range(len(signs)):
        for step, size in ((1, 2), (1, 3), (2, 3)):
            picked = [signs[(i + step * k) % len(signs)] for k in range(size)]
            if len(set(picked)) == size:
                groups.append(picked)
    return groups


def signs_alone(pages: list[EmergencyPage], danger: list[str]) -> list[str]:
    """Negatives: each common sign of those pages told alone ("my son has fever", "I have
    lightheadedness"): told alone it is no emergency, only with the others of its page. A
    sign that a "Call 911 if" message of `danger` names ("loss of consciousness") is left out."""
    told = " ".join(danger).lower()
    signs = dict.fromkeys(
        s for p in pages for s in p.signs if s in p.common and s.lower() not in told
    )
    return list(
        dict.fromkeys(
            together([sign], SUBJECTS[(n + k) % len(SUBJECTS)])
            for n, sign in enumerate(signs)
            for k in range(PER_GROUP)
        )
    )


def together(signs: list[str], subject: str) -> str:
    """Signs of one person in one message: "my son has fever, chills and confusion"."""
    lead = f"{subject} {'have' if subject == 'I' else 'has'} "
    feels = f"{subject} {'feel' if subject == 'I' else 'feels'} "
    clauses = []
    for sign in signs:
        clause = first_person(DangerSign("", "", sign), subject)
        # "Having nausea" is nausea; "Feeling dizzy or faint": she feels dizzy or faint.
        clause = clause.replace(f"{lead}having ", lead).replace(f"{lead}feeling ", feels)
        clauses.append(clause)
    named = f"{subject}: "  # "my son: a weak pulse"
    clauses = [lead + c[len(named) :] if c.startswith(named) else c for c in clauses]
    nouns = [c[len(lead) :] for c in clauses if c.startswith(lead)]
    others = [c for c in clauses if not c.startswith(lead)]
    parts = []
    if nouns:
        listed = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " and " + nouns[-1]
        parts.append(lead + listed)
    parts.extend(others)
    return " and ".join(parts)
