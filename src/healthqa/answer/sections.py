"""Which section of an answer a source sentence belongs to.

A sentence takes the section of its cue words when it has them ("... can be caused by ..."
is a cause wherever it stands); otherwise the section of the MedQuAD answer it comes from,
or of the heading it stands under on a user's page ("When to see a doctor").
"""

from __future__ import annotations

import re
import unicodedata

WHAT_IT_IS = "What it is"
CAUSES = "Causes"
SYMPTOMS = "Symptoms"
AT_RISK = "Who is at risk"
DIAGNOSIS = "Diagnosis"
SEE_A_DOCTOR = "When to see a doctor"
WHAT_HELPS = "What helps"
PREVENTION = "Prevention"
OUTLOOK = "Outlook"
USES = "Uses"
SIDE_EFFECTS = "Side effects"
PRECAUTIONS = "Precautions"
INHERITANCE = "Inheritance"
MORE = "More information"

# Reading order; the section that answers the question moves up to follow "What it is".
ORDER = (
    WHAT_IT_IS,
    CAUSES,
    SYMPTOMS,
    AT_RISK,
    INHERITANCE,
    DIAGNOSIS,
    SEE_A_DOCTOR,
    WHAT_HELPS,
    USES,
    SIDE_EFFECTS,
    PRECAUTIONS,
    PREVENTION,
    OUTLOOK,
    MORE,
)

SECTION_OF_QTYPE = {
    "information": WHAT_IT_IS,
    "causes": CAUSES,
    "genetic changes": CAUSES,
    "contagious": CAUSES,
    "inheritance": INHERITANCE,
    "symptoms": SYMPTOMS,
    "susceptibility": AT_RISK,
    "frequency": AT_RISK,
    "exams and tests": DIAGNOSIS,
    "when to contact a medical professional": SEE_A_DOCTOR,
    "emergency or overdose": SEE_A_DOCTOR,
    "treatment": WHAT_HELPS,
    "considerations": WHAT_HELPS,
    "prevention": PREVENTION,
    "outlook": OUTLOOK,
    "complications": OUTLOOK,
    "stages": OUTLOOK,
    "usage": USES,
    "indication": USES,
    "how does it work": USES,
    "how effective is it": USES,
    "side effects": SIDE_EFFECTS,
    "severe reaction": SIDE_EFFECTS,
    "important warning": PRECAUTIONS,
    "precautions": PRECAUTIONS,
    "contraindication": PRECAUTIONS,
    "interactions with medications": PRECAUTIONS,
    "interactions with herbs and supplements": PRECAUTIONS,
    "interactions with foods": PRECAUTIONS,
    "dose": USES,
    "forget a dose": USES,
    "dietary": PRECAUTIONS,
}

# Statement cues, checked in this order (a "call your doctor if ..." sentence is a warning
# even when it also names a treatment).
SENTENCE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (
            SEE_A_DOCTOR,
            r"\b(call|contact|see|tell|talk to|visit) (your|a|the) (doctor|health ?care "
            r"provider|provider|pediatrician|physician)|\bcall 911\b|\bemergency "
            r"(room|number|care)\b|\bseek (medical|immediate|emergency)\b|"
            r"\bget medical help\b|\bwhen to (call|contact|see)\b",
        ),
        (
            CAUSES,
            r"\bcaused? by\b|\bcauses? (of|include|are)\b|\bother causes\b|\bdue to\b|"
            r"\bresults? (from|when)\b|\btriggered by\b|\bcommon cause\b|\bwhat causes\b|"
            r"\b(forms?|happens?|occurs?|develops?) when\b|\bplays? a role\b|\bmain causes\b|"
            r"\b(may|can|could) (also )?(lead to|cause) (it|them|this)\b|\byou can get (it|them)\b|"
            r"\bspreads? (through|by|from|quickly|easily)\b|\bpassed (on|from)\b",
        ),
        (
            AT_RISK,
            r"\b(at|higher|increased?) risk\b|\brisk factors?\b|\bmore (common|likely)\b|"
            r"\banyone can (get|have)\b",
        ),
        # "medicines may reduce the symptoms" is about treatment, not the symptoms
        (WHAT_HELPS, r"\b(reduce|ease|relieve|control|manage|improve)s? (the |your )?symptoms\b"),
        (
            SYMPTOMS,
            r"\bsymptoms? (of|include|are|is|may)\b|\bsigns? (of|and symptoms)\b|"
            r"\bthings to (look|watch) for\b",
        ),
        (DIAGNOSIS, r"\bdiagnos|\b(blood|lab|imaging) tests?\b"),
        (
            PREVENTION,
            r"\bprevent|\bavoid (getting|them|it)\b|\breduce (your|the) risk\b|"
            r"\bkeep from getting\b|\bvaccin",
        ),
        (
            WHAT_HELPS,
            r"\btreat|\breliev|\brelief\b|\bstretch|\bmassag|\bhelps? (to )?(ease|reduce|"
            r"relieve|control|manage)\b|\bmedicines? (to|that|can)\b|\btherapy\b|\bsurgery\b|"
            r"\bantibiotics?\b|\bantivirals?\b|\byou can try\b|\b(can|may) help\b",
        ),
    )
)


# A page's own heading -> answer section, checked in this order. The words are the section
# headings MedlinePlus uses on its health topic and encyclopedia pages ("Causes", "Symptoms",
# "Exams and Tests", "Treatment", "Outlook (Prognosis)", "Possible Complications", "When to
# Contact a Medical Professional", "Prevention", "Who is at risk?") and those of the NCI PDQ
# patient summaries ("Risk Factors", "Signs and Symptoms", "Diagnosis", "Stages", "Treatment
# Option Overview", "Prognosis", "Side Effects"), matched as words of the heading.
HEADING_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (
            SEE_A_DOCTOR,
            r"\bwhen to (see|call|contact|get)\b|\bemergency\b|\bseek (medical )?help\b",
        ),
        (SIDE_EFFECTS, r"\bside effects?\b|\badverse\b"),
        (AT_RISK, r"\brisk\b|\bwho (gets|is affected)\b|\bhow common\b"),
        (SYMPTOMS, r"\bsymptoms?\b|\bsigns?\b"),
        (CAUSES, r"\bcauses?\b|\bwhy\b"),
        (DIAGNOSIS, r"\bdiagnos|\bexams?\b|\btests?\b|\bscreening\b"),
        (PREVENTION, r"\bprevent"),
        (OUTLOOK, r"\boutlook\b|\bprognosis\b|\bcomplications?\b|\bstages?\b"),
        (WHAT_HELPS, r"\btreat|\btherap|\bself[- ]care\b|\bhome care\b|\bmanag"),
        (PRECAUTIONS, r"\bwarnings?\b|\bprecautions?\b|\bdo not use\b"),
        (USES, r"\buses?\b|\bindications?\b|\bdosage\b|\bdirections\b"),
        (INHERITANCE, r"\binherit|\bgenetic"),
        (WHAT_IT_IS, r"^(overview|summary|what is\b|what are\b)"),
    )
)


# The same for the question headings of MedlinePlus en español, matched on the heading with
# its accents folded: "¿Cuándo es necesario ver a un profesional de la salud...?", "¿Quién
# está en riesgo...?" / "¿Quién tiene más probabilidades...?", "¿Cuáles son los síntomas /
# las señales...?", "¿Cuál es la causa...?" / "¿Qué causa...?", "¿Cómo se diagnostica...?",
# "¿Se puede prevenir...?", "¿Qué otros problemas puede causar...?", "¿Cuáles son los
# tratamientos...?", "¿Qué es / Qué son...?" (the commonest forms of the 1,021 pages' headings).
# Spanish sentences take their heading's section: the sentence cues above are English.
SPANISH_HEADING_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (
            SEE_A_DOCTOR,
            r"\bcuando (es necesario |debo |debe |se debe )?(ver|llamar|consultar|buscar|acudir)"
            r"|\bemergencia\b",
        ),
        (SIDE_EFFECTS, r"\befectos secundarios\b"),
        (
            AT_RISK,
            r"\briesgos? de (tener|sufrir|padecer|contraer)|\bquien(es)? (esta|estan|"
            r"corre|corren|tiene|tienen|puede)\b|\bprobabilidad",
        ),
        (SYMPTOMS, r"\bsintomas?\b|\bsenales\b|\bsignos\b"),
        (CAUSES, r"\bcausa|\bpor que (ocurre|se produce|sucede)"),
        (DIAGNOSIS, r"\bdiagnostic|\bpruebas?\b|\bdeteccion\b|\bexamen"),
        (PREVENTION, r"\bpreveni|\bprevencion\b|\bevitar\b"),
        (OUTLOOK, r"\bpronostico\b|\bcomplicaciones\b|\botros problemas\b|\betapas\b"),
        (WHAT_HELPS, r"\btratamientos?\b|\bse tratan?\b|\bterapias?\b|\bcuidados?\b"),
        (WHAT_IT_IS, r"^\W*(que es|que son)\b"),
    )
)


def section_of_heading(heading: str, language: str = "en") -> str | None:
    """The answer section a page's own heading stands for, if any."""
    if language == "es":
        folded = _fold(heading)
        return next((s for s, pattern in SPANISH_HEADING_CUES if pattern.search(folded)), None)
    for section, pattern in HEADING_CUES:
        if pattern.search(heading):
            return section
    return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def section_for(sentence: str, source_qtype: str, heading: str = "", language: str = "en") -> str:
    if language != "en":
        return (heading and section_of_heading(heading, language)) or MORE
    for section, pattern in SENTENCE_CUES:
        if pattern.search(sentence):
            return section
    if source_qtype in SECTION_OF_QTYPE:
        return SECTION_OF_QTYPE[source_qtype]
    return (heading and section_of_heading(heading)) or MORE


def section_for_question(qtype: str) -> str:
    return SECTION_OF_QTYPE.get(qtype, WHAT_IT_IS)
