"""Sourced training messages for the emergency classifier. Positives: the danger signs that
MedlinePlus (A.D.A.M.) lists under "Call 911 if:" in its "When to contact a medical
professional" answers, rewritten programmatically as first-person messages. Negatives: the
names of A.D.A.M.'s symptom articles told alone ("my son has knee pain").

MedQuAD ships those answers empty; `judged-answers.csv` (MedQuAD, training data) holds 1,214
of them. An answer such as ADAM_0001637_Sec5 reads "Call 911 if: - You feel short of breath.
- You have chest pain ...", and each item becomes "I feel short of breath", "my husband has
chest pain ...": the sign as someone living it would write it. Items with a negation word
("You aren't sure how serious it is") are left out, as the semantic check never reads a
window with one. No message is written by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from healthqa.corpus.medquad import JUDGED_FILE, read_judged_answers
from healthqa.datasets import training_file
from healthqa.xmlfiles import read_xml

# A list heading that sends the reader to emergency care: "Call 911 if:", "Go to the
# emergency room or call the local emergency number if you have:", "Get emergency medical
# help right away if you have:". "Call your provider if:" lists are not emergencies.
_HEADING = re.compile(
    r"(?:^|(?<=[.):!]\s)|(?<=\s\s))([A-Z][^.:]{3,160}?\bif\b[^.:]{0,80}):\s*(?=-)"
)
_EMERGENCY = re.compile(
    r"911|emergency (?:number|room|department|services)|emergency medical|"
    r"go to the (?:hospital|emergency)",
    re.IGNORECASE,
)
_ITEM_END = re.compile(r"\s{3,}")
_NEGATION = re.compile(r"\b(?:no|not|never|without|arent|isnt|dont|doesnt|cant|cannot)\b")
MIN_WORDS, MAX_WORDS = 3, 30
# Who the message is about, in turn; "child" in the heading makes it "my child".
SUBJECTS = ("I", "my husband", "my mother", "my son", "my daughter")
PER_ITEM = 3  # messages per item, each about another person of SUBJECTS
PER_ITEM_NEGATIVE = 2  # messages per symptom article
ADAM_FOLDER = "10_MPlus_ADAM_QA"
_NOT_ALONE = re.compile(r"poison|overdose|first aid|emergenc", re.IGNORECASE)
# Verbs an item may open with ("Has a stiff neck"), as the third person; the first person
# drops the "s" except for these.
_FIRST_PERSON = {"has": "have", "is": "am", "was": "was"}
_ITEM_VERBS = re.compile(
    r"(?:has|is|was|cannot|develops|becomes|shows|feels|seems|gets|vomits|breathes|stops|"
    r"loses|passes|will|refuses|faints|looks)\b"
)
_YOU = re.compile(r"\byou\b")
_THIRD_PERSON = {"have": "has", "are": "is", "feel": "feels", "think": "thinks", "hear": "hears"}


@dataclass(frozen=True)
class DangerSign:
    answer_id: str
    heading: str
    item: str


def danger_signs(answers: dict[str, str]) -> list[DangerSign]:
    """The items of every "Call 911 if:" list in `answers` (answer id -> text)."""
    signs = []
    for answer_id, text in answers.items():
        for heading in _HEADING.finditer(text):
            if not _EMERGENCY.search(heading.group(1)):
                continue
            for item in _list_items(text[heading.end() :]):
                if MIN_WORDS <= len(item.split()) <= MAX_WORDS:
                    signs.append(DangerSign(answer_id, heading.group(1), item))
    return signs


def _list_items(text: str) -> list[str]:
    """The "- item" lines that follow a heading, up to the first paragraph that is not one."""
    items = []
    for part in re.split(r"\s+-\s+", " " + text)[1:]:
        item, *rest = _ITEM_END.split(part.strip(), maxsplit=1)
        items.append(item.strip().rstrip(")").strip())
        if rest and not rest[0].startswith("-"):
            break
    return items


def first_person(sign: DangerSign, subject: str) -> str:
    """The sign as `subject` ("I", "my son") would tell it."""
    if "child" in sign.heading.lower():
        subject = "my child"
    text = " ".join(re.sub(r"\s*\([^)]*\)?", "", sign.item).split()).rstrip(".;,")
    own = "my" if subject == "I" else ("his" if subject in ("my husband", "my son") else "her")
    low = text[:1].lower() + text[1:]
    if not low.startswith(("you ", "your child")):
        low = re.sub(r"\byour\b", own, low)
    if low.startswith("your child"):
        return "my child" + low[len("your child") :]
    if low.startswith("the person "):
        return f"{subject} {low[len('the person ') :]}"
    if low.startswith("you "):
        words = low[4:].split()
        if subject != "I" and words:
            words[0] = _THIRD_PERSON.get(words[0], words[0])
        rest = " ".join(words).replace("your ", f"{own} ")
        rest = _YOU.sub("me" if subject == "I" else "them", rest)
        return f"{subject} {rest}"
    if _ITEM_VERBS.match(low):
        verb, _, rest = low.partition(" ")
        if subject == "I":
            verb = _FIRST_PERSON.get(verb, verb[:-1] if verb.endswith("s") else verb)
        return f"{subject} {verb} {rest}".strip()
    if re.match(r"(?:the|there|it|this|a|an)\b", low):
        return f"{subject}: {low}"
    return f"{subject} {'have' if subject == 'I' else 'has'} {low}"


def messages(signs: list[DangerSign], per_item: int = PER_ITEM) -> list[str]:
    """`per_item` first-person messages per sign, the persons taken in turn."""
    out = []
    for n, sign in enumerate(signs):
        if _NEGATION.search(sign.item.lower().replace("'", "")):
            continue
        for k in range(per_item):
            out.append(first_person(sign, SUBJECTS[(n + k) % len(SUBJECTS)]))
    return list(dict.fromkeys(out))


def sourced_positives(data_dir: Path) -> list[str]:
    """First-person messages of the signs in MedQuAD's judged A.D.A.M. "Call 911 if:" lists."""
    judged = read_judged_answers(training_file(data_dir, "medquad") / JUDGED_FILE)
    return messages(danger_signs({k: v.text for k, v in judged.items()}))


def symptom_pages(folder: Path) -> list[str]:
    """The names of MedQuAD's A.D.A.M. symptom articles (those with a "considerations" QA
    pair: "Abdominal pain", "Bleeding gums", "Eye burning - itching and discharge")."""
    names = []
    for path in sorted(folder.glob("*.xml")):
        root = read_xml(path, "MedQuAD A.D.A.M. page")
        kinds = {pair.get("qtype") for pair in root.iter("Question")}
        if "considerations" in kinds and (focus := root.findtext("Focus")):
            names.append(" ".join(focus.replace(" - ", " ").split()))
    return names


def symptoms_alone(data_dir: Path) -> list[str]:
    """Negatives: one symptom of an A.D.A.M. symptom article, told alone ("my son has knee
    pain"); a sign alone is no emergency (docs/safety.md, "Chest pain alone"). Left out:
    the articles on a poisoning, an overdose or first aid, and any message the sourced
    patterns flag ("I have vomiting blood")."""
    from healthqa.analysis.emergency import detect_emergency

    folder = training_file(data_dir, "medquad") / ADAM_FOLDER
    out = []
    for n, name in enumerate(symptom_pages(folder)):
        if _NOT_ALONE.search(name):
            continue
        for k in range(PER_ITEM_NEGATIVE):
            subject = SUBJECTS[(n + k) % len(SUBJECTS)]
            text = f"{subject} {'have' if subject == 'I' else 'has'} {name.lower()}"
            if not detect_emergency(text, by_meaning=False).emergency:
                out.append(text)
    return out
