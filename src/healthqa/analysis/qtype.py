"""Question type from the wording, in MedQuAD's own type names so that retrieval can match
a question to answers of the same type.

Cue patterns are checked in order; the first that matches wins. Order matters where cues
overlap: "side effects" before "effects", "when should I see a doctor" before "what helps".
"""

from __future__ import annotations

import re

INFORMATION = "information"

QTYPE_CUES: tuple[tuple[str, str], ...] = (
    (
        "when to contact a medical professional",
        r"\bwhen (should|do|to|must) (i|we|you)?\s*(see|call|go|visit|contact|seek)\b|"
        r"\b(see|call) (a|my|the|your) (doctor|gp|physician|provider)\b|\bemergency room\b|"
        r"\bshould i (be )?(worr|concern)|\bis (it|this) (serious|dangerous|an emergency)\b",
    ),
    ("side effects", r"\bside[- ]?effects?\b|\badverse (effect|reaction)s?\b"),
    (
        "interactions with medications",
        r"\binteract|\b(take|taking|mix|mixing|combine|combining)\b.*\b(with|and|together)\b.*"
        r"\b(drug|medicine|medication|pill|tablet|alcohol)s?\b",
    ),
    (
        "dose",
        r"\bdos(e|es|age|ing)\b|\bhow (much|many) (mg|milligrams?|pills?|tablets?)\b|"
        r"\bhow (much|many|often)\b.*\b(take|give)\b",
    ),
    (
        "inheritance",
        r"\binherit|\bhereditary\b|\brun(s)? in (the |my )?famil|\bpass(ed)? (it )?(on|down)\b",
    ),
    ("genetic changes", r"\bgene(s|tic)?\b|\bmutation"),
    (
        "prevention",
        r"\bprevent|\bavoid|\breduce (the |my )?risk\b|\bprotect (myself|yourself|against)\b|"
        r"\bstop (it )?from (happening|coming back)\b",
    ),
    (
        "causes",
        r"\bwhy\b|\bcaus|\breasons?\b|\bwhat makes\b|\btrigger|\bhow (do|does|did|can) .*"
        r"\b(get|got|catch|develop|happen|occur)\b(?! rid)|\bwhere does .* come from\b",
    ),
    ("symptoms", r"\bsymptom|\bsigns?\b|\bwhat does .* feel like\b|\bhow (do|would) i know if\b"),
    (
        "exams and tests",
        r"\bdiagnos|\btest(s|ed|ing)? (for|to)\b|\bdetect|\bscreen(ing)?\b|"
        r"\bhow (do|can) (i|you|doctors?) (know|tell|check|find out)\b",
    ),
    (
        "treatment",
        r"\btreat|\bcur(e|es|ed|ing)\b|\bremed|\bhelps?\b|\bget rid\b|\brelie(f|ve)\b|"
        r"\btherap|\bmanage|\bwhat (can|should) (i|we) do\b|\bmedic(ine|ation)s? for\b|"
        r"\bsurgery\b|\bheal\b|\bease\b",
    ),
    (
        "outlook",
        r"\bprognosis\b|\boutlook\b|\blife expectancy\b|\bsurviv|\bgo away\b|\bpermanent\b|"
        r"\bhow long (does|will|do)\b|\bfatal\b|\bdie\b|\brecover",
    ),
    (
        "susceptibility",
        r"\bwho (gets|is at risk|can get)\b|\brisk factors?\b|\bat risk\b|"
        r"\bmore likely\b|\bchances? of (getting|having)\b",
    ),
    ("complications", r"\bcomplications?\b|\blead to\b|\blong[- ]term effects?\b"),
    ("frequency", r"\bhow common\b|\bhow many people\b|\bprevalen|\bhow rare\b"),
    ("usage", r"\bused for\b|\bwhat is .* for\b|\bhow (do|should) i (use|take)\b"),
    ("contagious", r"\bcontagious\b|\binfectious\b|\bspread\b|\bcatch (it|from)\b"),
)

_COMPILED = tuple((qtype, re.compile(pattern, re.IGNORECASE)) for qtype, pattern in QTYPE_CUES)

# MedQuAD answer types that also answer a question of a given type.
RELATED_QTYPES: dict[str, tuple[str, ...]] = {
    "causes": ("causes", "genetic changes", "susceptibility"),
    "treatment": ("treatment", "considerations", "usage", "prevention"),
    "symptoms": ("symptoms", "when to contact a medical professional", "complications"),
    "when to contact a medical professional": (
        "when to contact a medical professional",
        "symptoms",
    ),
    "exams and tests": ("exams and tests", "diagnosis"),
    "inheritance": ("inheritance", "genetic changes"),
    "genetic changes": ("genetic changes", "inheritance", "causes"),
    "side effects": ("side effects", "severe reaction", "important warning"),
    "interactions with medications": (
        "interactions with medications",
        "interactions with herbs and supplements",
        "interactions with foods",
        "precautions",
    ),
    "dose": ("dose", "usage", "forget a dose"),
    "contagious": ("causes", "prevention", "information"),
}


def detect_qtype(text: str) -> str:
    for qtype, pattern in _COMPILED:
        if pattern.search(text):
            return qtype
    return INFORMATION


def related_qtypes(qtype: str) -> tuple[str, ...]:
    return RELATED_QTYPES.get(qtype, (qtype,))
