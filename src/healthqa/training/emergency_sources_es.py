"""Sourced Spanish training messages for the Spanish emergency classifier, from the pages of
MedlinePlus en español (`medlineplus-es`, training data: the Spanish collection).

Positives: the danger signs those pages send to emergency care ("Debe buscar atención de
emergencia si su hijo: * Tiene dificultad para respirar", "Si alguien está teniendo una
reacción alérgica grave, llame al 911"), written by code as messages of a person living them
("mi hijo tiene dificultad para respirar", "tengo dificultad para respirar"), as
`emergency_sources.py` does with MedQuAD's English "Call 911 if:" lists.
Negatives: the pages' own questions ("¿Cómo se trata el asma?") asked by someone who has the
condition ("mi mamá tiene asma, ¿cómo se trata el asma?"), for the pages that send no one to
emergency care. Measured, not fitted: the symptoms of those pages told alone ("mi hijo tiene
dolor de garganta"); fitted on, they taught the classifier that a Spanish "tiene X" is no
emergency (out of fold it then found 9 of 174 Spanish sourced signs, docs/safety.md).
No sign and no question is written by hand; only the sentence frames below are.
"""

from __future__ import annotations

import re
from pathlib import Path

from healthqa.datasets import training_file

# What sends the reader to emergency care; "llame a su proveedor" does not.
_EMERGENCY = re.compile(
    r"llam(?:e|ar) al 911|atenci[oó]n (?:m[eé]dica )?(?:de emergencia|de urgencia|urgente|"
    r"inmediata|de inmediato)|ayuda (?:m[eé]dica )?(?:de inmediato|inmediata|inmediatamente|"
    r"urgente)|sala de (?:emergencias|urgencias)|atenci[oó]n m[eé]dica (?:en seguida|enseguida)|"
    r"emergencia m[eé]dica",
    re.IGNORECASE,
)
# "Un embarazo ectópico puede ser una emergencia médica si se desgarra. Los avisos ... incluyen:"
# lists the signs of the condition, not of the emergency it may become.
_ONLY_IF = re.compile(r"emergencia m[eé]dica si\b", re.IGNORECASE)
_PROVIDER = re.compile(r"proveedor|profesional de la salud|m[eé]dico de", re.IGNORECASE)
# Inline conditions: "Si X, llame al 911" and "llame al 911 si X".
_IF_THEN = re.compile(
    r"(?:^|(?<=[.!?]\s))Si ([^,.;:]{8,160}), [^.;:]{0,60}?(?=" + _EMERGENCY.pattern + ")"
)
_THEN_IF = re.compile("(?:" + _EMERGENCY.pattern + r")[^.;:]{0,30}? si (\w[^.;:]{7,160})\.", re.I)
# Conditions that only make sense in their page or that are no sign ("si tiene esos síntomas",
# "si cree que", "si no está seguro").
_VAGUE = re.compile(
    r"\b(?:est[oa]s|es[oa]s|alguno|alguna|cualquier[a]?|s[ií]ntomas|signos|se[nñ]ales|cree|piensa|"
    r"seguro|sospecha|preocupad[oa]|disponible|emergencia|no)\b",
    re.IGNORECASE,
)
_LEADS = ("usted o alguien ", "alguien ", "usted ", "su hijo ", "la persona ", "una persona ")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MIN_WORDS, MAX_WORDS = 2, 25
# Who the message tells of, in turn; the first person changes the verb (`_FIRST_PERSON`).
SUBJECTS = ("yo", "mi esposo", "mi mamá", "mi hijo", "mi hija", "mi papá")
PER_ITEM = 3
PER_PAGE_NEGATIVE = 2
_FIRST_PERSON = {
    "tiene": "tengo",
    "está": "estoy",
    "esta": "estoy",
    "es": "soy",
    "siente": "siento",
    "comienza": "comienzo",
    "presenta": "presento",
    "vomita": "vomito",
    "puede": "puedo",
    "ha": "he",
    "muestra": "muestro",
    "babea": "babeo",
    "pierde": "pierdo",
    "sufre": "sufro",
    "consume": "consumo",
}
# An item or condition that opens with one of these is no sign told alone ("se desgarra",
# "hay un cambio de comportamiento", "sentirse cansado").
_NOT_A_SIGN = re.compile(
    r"^(?:se|hay|esto|eso|u|o|que|y|un quiste|su bebé|examen|mantenga|quédese|ayude|pregunte|"
    r"llame|busque|vaya|haga|[a-záéíóú]+(?:ar|er|ir)(?:se)?)\b"
)
_USTED = re.compile(r"\b(?:usted|su|sus)\b", re.IGNORECASE)
_SYMPTOMS = re.compile(r"s[ií]ntomas|signos|se[nñ]ales|avisos", re.IGNORECASE)
_HEADING_QUESTION = re.compile(r"^#{2,4}\s*(¿[^?]{8,120}\?)\s*$")


def _clean(text: str) -> str:
    text = _LINK.sub(r"\1", text).replace("**", "")
    text = re.sub(r"\s*\([^)]*\)", "", text)
    return " ".join(text.split()).strip(" .;:")


def page_signs(text: str) -> list[tuple[str, str]]:
    """(heading, item) of every "* item" list whose heading sends to emergency care, and
    ("si", condition) of every sentence that does ("Si X, llame al 911")."""
    lines = text.split("\n")
    signs = []
    for n, line in enumerate(lines):
        heading = line.strip()
        if not (heading.endswith(":") and _EMERGENCY.search(heading)) or _PROVIDER.search(heading):
            continue
        if _ONLY_IF.search(heading):  # the signs of a condition that can turn into one
            continue
        for item in lines[n + 1 :]:
            if item.startswith("* ") and not item.startswith("* **"):
                signs.append((heading, _clean(item[2:])))
            elif item.strip():
                break
    for paragraph in lines:
        for found in (*_IF_THEN.finditer(paragraph), *_THEN_IF.finditer(paragraph)):
            condition = _strip_lead(_clean(found.group(1)))
            if condition.split(" ", 1)[0] in _FIRST_PERSON:  # a sign of a person, not a case
                signs.append(("si", condition))
    return [
        (h, s)
        for h, s in signs
        if MIN_WORDS <= len(s.split()) <= MAX_WORDS
        and not _VAGUE.search(s)
        and not _NOT_A_SIGN.match(_strip_lead(s))
    ]


def symptom_lists(text: str) -> list[str]:
    """The items of every "* item" list under a heading that names symptoms or signs ("Los
    síntomas del accidente cerebrovascular ... incluyen:"); a bold item gives its label
    ("**Falta de aire:** Algunas veces..." -> "Falta de aire")."""
    lines = text.split("\n")
    items = []
    for n, line in enumerate(lines):
        if not (line.strip().endswith(":") and _SYMPTOMS.search(line)):
            continue
        for item in lines[n + 1 :]:
            if item.startswith("* **"):
                items.append(_clean(item[4:].split("**", 1)[0]))
            elif item.startswith("* "):
                items.append(_clean(item[2:]))
            elif item.strip():
                break
    return [
        i
        for i in items
        if MIN_WORDS <= len(i.split()) <= MAX_WORDS
        and not _VAGUE.search(i)
        and not _NOT_A_SIGN.match(_strip_lead(i))
    ]


def _strip_lead(sign: str) -> str:
    """The sign without its subject ("usted tiene X" -> "tiene X"), its first letter lower."""
    low = sign[:1].lower() + sign[1:]
    for lead in _LEADS:
        if low.startswith(lead):
            return low[len(lead) :]
    return low


def first_person(sign: str, subject: str) -> str:
    """The sign as `subject` ("yo", "mi hijo") would tell it: "Tiene dificultad para respirar"
    -> "mi hijo tiene dificultad para respirar", "tengo dificultad para respirar"; a sign
    that names no verb ("Dolor de cabeza fuerte") is something the person has."""
    low = _strip_lead(sign)
    verb, _, rest = low.partition(" ")
    if verb in _FIRST_PERSON and rest:
        text = f"{_FIRST_PERSON[verb]} {rest}" if subject == "yo" else f"{subject} {verb} {rest}"
    else:
        text = f"{'tengo' if subject == 'yo' else subject + ' tiene'} {low}"
    return _USTED.sub("mi" if subject == "yo" else "su", text).strip()


def _told(signs: list[str], per_item: int) -> list[str]:
    """Each sign told by `per_item` persons of SUBJECTS, taken in turn."""
    out = []
    for n, sign in enumerate(signs):
        for k in range(per_item):
            if message := first_person(sign, SUBJECTS[(n + k) % len(SUBJECTS)]):
                out.append(message)
    return list(dict.fromkeys(out))


def _pages(data_dir: Path) -> list[str]:
    folder = training_file(data_dir, "medlineplus-es") / "topics"
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))]


def sourced_positives_es(data_dir: Path) -> list[str]:
    """First-person messages of the signs MedlinePlus en español sends to emergency care: the
    items and conditions of its "busque atención de emergencia si" lists and sentences, and
    the symptom lists of the pages that say to call 911 for their condition ("Si piensa que
    usted o alguien está sufriendo un ataque cerebral, llame al 911")."""
    signs = []
    for text in _pages(data_dir):
        signs.extend(sign for _, sign in page_signs(text))
        if "911" in text:
            signs.extend(symptom_lists(text))
    return _told(list(dict.fromkeys(signs)), PER_ITEM)


def page_groups_es(data_dir: Path) -> list[str]:
    """Positives: the symptom-list items of the pages that say their condition is an emergency
    ("La sepsis es una emergencia médica") or send it to 911, two and three together
    (`emergency_pages.sign_groups`), as the English pages' groups: "mi hijo tiene fiebre,
    escalofríos y confusión". A group of one long sign is already told by
    `sourced_positives_es`."""
    from healthqa.training.emergency_pages import PER_GROUP, claims_emergency_es, sign_groups

    out = []
    n = 0
    for text in _pages(data_dir):
        title = text.split("\n", 1)[0]
        if not (claims_emergency_es(text, title) or "911" in text):
            continue
        for group in sign_groups(list(dict.fromkeys(symptom_lists(text)))):
            if len(group) > 1:
                for k in range(PER_GROUP):
                    out.append(together_es(group, SUBJECTS[(n + k) % len(SUBJECTS)]))
                n += 1
    return list(dict.fromkeys(out))


def together_es(signs: list[str], subject: str) -> str:
    """Signs of one person in one message: "mi hijo tiene fiebre, escalofríos y confusión"."""
    lead = "tengo " if subject == "yo" else f"{subject} tiene "
    clauses = [first_person(sign, subject) for sign in signs]
    nouns = [c[len(lead) :] for c in clauses if c.startswith(lead)]
    others = [c for c in clauses if not c.startswith(lead)]
    parts = []
    if nouns:
        parts.append(
            lead + (", ".join(nouns[:-1]) + " y " + nouns[-1] if len(nouns) > 1 else nouns[0])
        )
    parts.extend(others)
    return " y ".join(parts)


def symptoms_alone_es(data_dir: Path) -> list[str]:
    """Negatives: the symptom-list items of the pages that send no one to emergency care, each
    told alone by a person ("mi hijo tiene dolor de garganta"), as `symptoms_alone` in
    English."""
    signs = []
    for text in _pages(data_dir):
        if not (_EMERGENCY.search(text) or "911" in text):
            signs.extend(symptom_lists(text))
    return _told(list(dict.fromkeys(signs)), 1)


def page_questions_es(data_dir: Path) -> list[str]:
    """Negatives: each question heading of a page that sends no one to emergency care, asked
    by someone who has the page's condition ("mi mamá tiene asma, ¿cómo se trata el asma?")."""
    folder = training_file(data_dir, "medlineplus-es") / "topics"
    out = []
    for n, path in enumerate(sorted(folder.glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        if _EMERGENCY.search(text) or "911" in text:
            continue
        title = text.split("\n", 1)[0].strip()
        questions = [
            m.group(1) for line in text.split("\n") if (m := _HEADING_QUESTION.match(line))
        ]
        # A page that asks for its symptoms is about a condition someone can have.
        condition = any("síntomas" in q for q in questions)
        for k, question in enumerate(questions[:PER_PAGE_NEGATIVE]):
            subject = SUBJECTS[(n + k) % len(SUBJECTS)]
            asked = question[:1] + question[1:2].lower() + question[2:]
            if condition:
                who = "tengo" if subject == "yo" else f"{subject} tiene"
                out.append(f"{who} {title.lower()}, {asked}")
            else:
                who = "quiero" if subject == "yo" else f"{subject} quiere"
                out.append(f"{who} saber {asked}")
    return list(dict.fromkeys(out))
