"""Sourced training messages for the emergency classifier. Positives: the danger signs that
MedQuAD's answers send to emergency care ("Call 911 if:", "Get medical help immediately if",
"If you have severe shortness of breath, call 911."), rewritten programmatically as
first-person messages, and the substances of A.D.A.M.'s poisoning and overdose articles told as
the event those articles describe ("my son swallowed drain cleaner"), less the substances
A.D.A.M. calls nonpoisonous. Negatives: the names of A.D.A.M.'s symptom articles told alone
("my son has knee pain"), the dose, missed-dose, storage and diet questions of MedQuAD's drug
pages, and A.D.A.M.'s harmless swallows told in the poisoning frames.

MedQuAD ships A.D.A.M. answers empty; `judged-answers.csv` (MedQuAD, training data) holds 1,214
of them, and folders 1-9 (NIH institutes, MedlinePlus health topics, NIHSeniorHealth) hold
the rest. An answer such as ADAM_0001637_Sec5 reads "Call 911 if: - You feel short of breath.
- You have chest pain ...", and each item becomes "I feel short of breath", "my husband has
chest pain ...": the sign as someone living it would write it. Items with a negation word
("You aren't sure how serious it is") are left out, as the semantic check never reads a
window with one. Drug pages are left out: their "get emergency treatment" lists are side
effects of one drug, which told alone ("I have hoarseness") are no emergency. No sign is
written by hand; only the few sentence frames below are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from healthqa.corpus.medquad import JUDGED_FILE, iter_medquad, read_judged_answers
from healthqa.datasets import training_file
from healthqa.xmlfiles import read_xml

# What sends the reader to emergency care: "call 911", "go to the emergency room", "get
# medical help immediately", "poison control". "Call your provider (right away)" does not.
_EMERGENCY = re.compile(
    r"call (?:9-?1-?1|your local emergency number)|\b911\b|emergency (?:number|room|department|"
    r"medical|care|treatment|services|help)|(?:get|seek) (?:immediate )?medical (?:help|care|"
    r"attention) (?:right away|immediately)|seek immediate medical|go to the hospital right away|"
    r"poison control",
    re.IGNORECASE,
)
# A list heading ("Call 911 if:", "Get medical help immediately if  - ..."): a sentence with
# "if" followed by "- item" lines; and an inline condition, before or after the call.
_HEADING = re.compile(
    r"(?:^|(?<=[.):!?]\s)|(?<=\s\s))([A-Z][^.!?:]{3,200}?\bif\b[^.!?:]{0,100}?):?\s*(?=-\s)"
)
_IF_THEN = re.compile(
    r"(?:^|(?<=[.!?]\s))If ([^,.;:]{8,160}), [^.;:]{0,60}?(?=" + _EMERGENCY.pattern + ")", re.I
)
_THEN_IF = re.compile("(?:" + _EMERGENCY.pattern + r")[^.;:]{0,30}? if (\w[^.;:]{7,160})\.", re.I)
# Conditions that only make sense in their page ("you have any of these signs", "you think
# you are having a stroke") are left out.
_VAGUE = re.compile(
    r"\b(?:these|this|those|any of|other symptoms|exposure|alone|think|suspect|sure|know|"
    r"available|reach|worried|someone you)\b|symptoms\W*$",
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
DRUG_PAGES = ("MPlusDrugs", "MPlusHerbs")
_POISONING = re.compile(r"(.+?)\s+(poisoning|overdose)", re.IGNORECASE)
# "Food poisoning", "Lead poisoning" and "Mercury poisoning" pages are about illness over
# days or years, not one swallow; "Bee poison" is a sting.
_NOT_A_SUBSTANCE = re.compile(r"^(?:food|lead|mercury|fish|shellfish|sun|blood)\b", re.I)
POISON_SUBJECTS = ("my 2 year old", "my son", "my daughter", "my toddler", "I", "my husband")
POISONING_FRAMES = (
    "{who} swallowed some {what}",
    "{who} got into the {what} and swallowed some",
    "{who} accidentally swallowed {what}",
)
OVERDOSE_FRAMES = (
    "{who} took more than the recommended amount of {what}",
    "{who} swallowed a lot of {what}",
    "{who} took too much {what}",
)
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
    """The items of every list that sends to emergency care in `answers` (answer id -> text),
    and the conditions of sentences that do ("If you have X, call 911.")."""
    signs = []
    for answer_id, text in answers.items():
        for heading in _HEADING.finditer(text):
            if not _EMERGENCY.search(heading.group(1)):
                continue
            for item in _list_items(text[heading.end() :]):
                if item[:1].isupper():  # not the tail of a cut item ("about the size of ...")
                    signs.append(DangerSign(answer_id, heading.group(1), item))
        for inline in (*_IF_THEN.finditer(text), *_THEN_IF.finditer(text)):
            signs.append(DangerSign(answer_id, "if", inline.group(1)))
    return [
        s
        for s in signs
        if MIN_WORDS <= len(s.item.split()) <= MAX_WORDS
        and " - " not in s.item
        and not _VAGUE.search(s.item)
    ]


def _list_items(text: str) -> list[str]:
    """The "- item" lines that follow a heading, up to the first paragraph that is not one."""
    items = []
    for part in re.split(r"\s+-\s+", " " + text)[1:]:
        item, *rest = _ITEM_END.split(part.strip(), maxsplit=1)
        items.append(item.strip().lstrip("- ").rstrip(")").strip())
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
    for person in ("the person ", "a person "):
        if low.startswith(person):
            return f"{subject} {low[len(person) :]}"
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


# A first-person sign told as a denial: the verb after the person, negated ("my son has no
# chest pain", "I am not vomiting blood", "I don't feel short of breath").
_DENIALS = (
    (re.compile(r"^(I|my \w+) (has|have) "), r"\1 \2 no "),
    (re.compile(r"^(I|my \w+) (is|am) "), r"\1 \2 not "),
    (re.compile(r"^(I) (feel|get|cannot) "), r"\1 don't \2 "),
    (re.compile(r"^(my \w+) (feel|get)s "), r"\1 doesn't \2 "),
)


def denials(data_dir: Path) -> list[str]:
    """Negatives for the negation model: MedQuAD's emergency signs told by the person as a
    denial ("my husband has no chest pain"), one per first-person message that fits a frame."""
    out = []
    for message in messages(danger_signs(medquad_texts(data_dir))):
        for pattern, replacement in _DENIALS:
            denied = pattern.sub(replacement, message, count=1)
            if denied != message:
                out.append(denied)
                break
    return list(dict.fromkeys(out))


def medquad_texts(data_dir: Path) -> dict[str, str]:
    """Every MedQuAD answer with text (answer id -> text): folders 1-9 and the judged A.D.A.M.
    answers; drug pages left out (see the module)."""
    folder = training_file(data_dir, "medquad")
    texts = {d.id: d.text for d in iter_medquad(folder) if d.text.strip()}
    for key, judged in read_judged_answers(folder / JUDGED_FILE).items():
        texts.setdefault(key, judged.text)
    return {k: v for k, v in texts.items() if not k.startswith(DRUG_PAGES)}


def poisonings(folder: Path) -> list[tuple[str, str]]:
    """(substance, "poisoning" or "overdose") of each A.D.A.M. article named "X poisoning" or
    "X overdose" ("Drain cleaner poisoning" -> ("drain cleaner", "poisoning"))."""
    out = []
    for path in sorted(folder.glob("*.xml")):
        focus = read_xml(path, "MedQuAD A.D.A.M. page").findtext("Focus") or ""
        if found := _POISONING.fullmatch(" ".join(focus.split())):
            substance = found.group(1).strip(" -,")
            if substance and not _NOT_A_SUBSTANCE.search(substance):
                out.append((substance.lower(), found.group(2).lower()))
    return list(dict.fromkeys(out))


def poisoning_messages(pages: list[tuple[str, str]]) -> list[str]:
    """Each substance told as the event its article describes: A.D.A.M. says a poisoning
    "occurs when someone swallows or breathes in this substance" and an overdose "when someone
    takes more than the normal or recommended amount of this medicine"."""
    out = []
    for n, (substance, kind) in enumerate(pages):
        frames = OVERDOSE_FRAMES if kind == "overdose" else POISONING_FRAMES
        for k in range(PER_ITEM):
            subject = POISON_SUBJECTS[(n + k) % len(POISON_SUBJECTS)]
            out.append(frames[(n + k) % len(frames)].format(who=subject, what=substance))
    return out


def sourced_positives(data_dir: Path) -> list[str]:
    """First-person messages of MedQuAD's emergency signs, and A.D.A.M.'s poisonings told as
    events, less the substances A.D.A.M. itself calls nonpoisonous (`harmless_substances`)."""
    signs = messages(danger_signs(medquad_texts(data_dir)))
    folder = training_file(data_dir, "medquad") / ADAM_FOLDER
    harmless = set(harmless_substances(data_dir))
    pages = [(what, kind) for what, kind in poisonings(folder) if what not in harmless]
    return list(dict.fromkeys([*signs, *poisoning_messages(pages)]))


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


# Negatives that tell of a medicine or a swallow and are no emergency (issue 9 item 4: a dose
# question for a child, a swallowed harmless thing). Drug pages: MedQuAD's MPlusDrugs pages ask
# the same questions of every drug ("How should Abacavir be used and what is the dosage ?",
# "What should I do if I forget a dose of Abacavir ?", "What should I know about storage and
# disposal of Abacavir ?"); each drug is asked one of them, as a consumer would, the persons
# and the question kinds taken in turn. The frames are written here; the drugs are the pages'.
DRUG_FOLDER = "11_MPlusDrugs_QA"
DRUG_QTYPES = ("usage", "forget a dose", "storage and disposal", "dietary")
DOSE_SUBJECTS = ("my 4 year old", "my son", "my daughter", "my baby", "my husband", "my mother")
DRUG_FRAMES = {
    "usage": (
        "what is the right dose of {what} for {who}",
        "how much {what} should {who} take and how often",
        "how should {who} take {what}",
    ),
    "forget a dose": (
        "{who} forgot a dose of {what}, what should we do",
        "{who} missed {what} this morning, should the next dose be doubled",
    ),
    "storage and disposal": (
        "how should i store {what} for {who}",
        "how do i get rid of the {what} {who} no longer takes",
    ),
    "dietary": ("can {who} eat normally while taking {what}",),
}
# Routes a consumer does not dose at home ("Abatacept Injection", "Diphenhydramine Topical").
_NOT_AT_HOME = re.compile(
    r"\b(?:injection|topical|ophthalmic|inhalation|vaginal|rectal|transdermal|nasal|otic|"
    r"implant|intravenous|intrathecal|irrigation)\b",
    re.IGNORECASE,
)
# A.D.A.M. names its articles on swallowing something harmless "X swallowing" or "Swallowing
# X" ("Pencil swallowing": "Pencil lead is not poisonous"), apart from its "X poisoning" ones;
# these name a problem of swallowing, not a thing swallowed.
_SWALLOWED = re.compile(r"^(?:swallowing (?P<a>.+)|(?P<b>.+?)\s*-?\s*swallowing)$", re.I)
_NOT_A_THING = re.compile(r"difficulty|problems|painful|foreign object", re.I)
# A.D.A.M.'s own words that the substance of a poisoning or overdose article is harmless.
# ("Baking powder is considered nontoxic when it is used in cooking" is not: it says so of a
# use, and its article is about swallowing a large amount.)
_HARMLESS = re.compile(r"\b(?:non-?poisonous|not (?:very )?poisonous)\b", re.IGNORECASE)
_ABOUT = re.compile(r"about (.+?) (?:poisoning|overdose)$", re.IGNORECASE)


def drug_questions(data_dir: Path) -> list[str]:
    """Negatives: one consumer question about taking, missing, storing or eating with each
    drug of MedQuAD's MPlusDrugs pages ("what is the right dose of acetaminophen for my son");
    the emergency-or-overdose question is left out."""
    folder = training_file(data_dir, "medquad") / DRUG_FOLDER
    out = []
    for n, path in enumerate(sorted(folder.glob("*.xml"))):
        root = read_xml(path, "MedQuAD drug page")
        name = " ".join(re.sub(r"\([^)]*\)", "", root.findtext("Focus") or "").split())
        kinds = [k for k in DRUG_QTYPES if k in {q.get("qtype") for q in root.iter("Question")}]
        if not name or not kinds or _NOT_AT_HOME.search(name):
            continue
        kind = kinds[n % len(kinds)]
        frames = DRUG_FRAMES[kind]
        who = DOSE_SUBJECTS[n % len(DOSE_SUBJECTS)]
        out.append(frames[(n // len(kinds)) % len(frames)].format(who=who, what=name.lower()))
    return list(dict.fromkeys(out))


def harmless_substances(data_dir: Path) -> list[str]:
    """What A.D.A.M. says is harmless to swallow: the things of its "X swallowing" articles,
    and the substances of poisoning or overdose articles whose judged answer calls them
    nonpoisonous ("Most bubble bath soaps are considered nonpoisonous")."""
    folder = training_file(data_dir, "medquad")
    out = []
    for path in sorted((folder / ADAM_FOLDER).glob("*.xml")):
        focus = " ".join((read_xml(path, "MedQuAD A.D.A.M. page").findtext("Focus") or "").split())
        if (found := _SWALLOWED.match(focus)) and not _NOT_A_THING.search(focus):
            out.append((found.group("a") or found.group("b")).strip(" -").lower())
    for judged in read_judged_answers(folder / JUDGED_FILE).values():
        if _HARMLESS.search(judged.text) and (found := _ABOUT.search(judged.question.strip())):
            out.append(found.group(1).strip().lower())
    return list(dict.fromkeys(out))


def harmless_swallows(substances: list[str]) -> list[str]:
    """Negatives: each harmless substance told in the very frames of the poisoning positives,
    by every person, so that what tells them apart is the substance."""
    return [
        frame.format(who=who, what=what)
        for what in substances
        for who in POISON_SUBJECTS
        for frame in POISONING_FRAMES[:2]
    ]
