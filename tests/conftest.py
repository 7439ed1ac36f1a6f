"""Shared fixtures: a tiny MedQuAD written here (our own words), an engine over it, and the
real ../shared/data when present (tests that need it skip cleanly otherwise)."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest

from healthqa.config import Settings, find_data_dir

ROOT = Path(__file__).resolve().parents[1]


def _medquad_xml(doc_id: str, source: str, url: str, focus: str, synonyms: list[str], pairs) -> str:
    syn = "".join(f"<Synonym>{s}</Synonym>" for s in synonyms)
    body = "".join(
        f'<QAPair pid="{pid}"><Question qid="{doc_id}-{pid}" qtype="{qtype}">{question}</Question>'
        f"<Answer>{answer}</Answer></QAPair>"
        for pid, qtype, question, answer in pairs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document id="{doc_id}" source="{source}" url="{url}">'
        f"<Focus>{focus}</Focus><FocusAnnotations><Category>Disease</Category>"
        f"<Synonyms>{syn}</Synonyms>"
        f"</FocusAnnotations><QAPairs>{body}</QAPairs></Document>"
    )


CRAMPS_INFO = (
    "Summary : Leg knots are sudden, tight squeezes of a muscle that you cannot control. "
    "They often come at night and last seconds to minutes.    Leg knots can be caused by tired "
    "nerves. Other causes are       - Working a muscle too hard    - Not drinking enough water    "
    "- Low salts in the blood       Gently stretching the muscle can ease the pain. "
    "Call your health care provider if the knots are severe or keep coming back.    "
    "NIH: National Institute of Imaginary Muscles"
)
FLU_INFO = (
    "Sniffle fever is an infection of the nose and throat by a virus. It spreads through "
    "coughs and sneezes. Most people get better in a week with rest and fluids."
)
FLU_TREAT = (
    "Rest, fluids and time are the main treatment for sniffle fever. Warm drinks can soothe a "
    "sore throat. See a doctor if you have trouble breathing or a fever for more than three days."
)


def write_medquad(root: Path) -> Path:
    """A MedQuAD-shaped tree: one health topic, one topic with two answers, an empty A.D.A.M.
    page filled from the judged file, an herb page with the abbreviated id prefix, and one
    malformed file."""
    files = {
        "4_MPlus_Health_Topics_QA/0000001.xml": _medquad_xml(
            "0000001",
            "MPlusHealthTopics",
            "https://example.org/legknots.html",
            "Leg Knots",
            ["Night knot"],
            [("1", "information", "What is (are) Leg Knots ?", CRAMPS_INFO)],
        ),
        "2_GARD_QA/0000002.xml": _medquad_xml(
            "0000002",
            "GARD",
            "https://example.org/sniffle",
            "Sniffle fever",
            [],
            [
                ("1", "information", "What is (are) Sniffle fever ?", FLU_INFO),
                ("2", "treatment", "What are the treatments for Sniffle fever ?", FLU_TREAT),
            ],
        ),
        "10_MPlus_ADAM_QA/0000003.xml": _medquad_xml(
            "0000003",
            "ADAM",
            "https://example.org/ency/3.htm",
            "Toe twitch",
            ["Twitchy toe"],
            [
                ("1", "information", "What is (are) Toe twitch ?", ""),
                ("2", "causes", "What causes Toe twitch ?", ""),
            ],
        ),
        "12_MPlusHerbsSupplements_QA/0000004.xml": _medquad_xml(
            "0000004",
            "MPlusHerbsSupplements",
            "https://example.org/herb.html",
            "Moon root",
            [],
            [("1", "information", "What is Moon root ?", "")],
        ),
        "2_GARD_QA/0000005.xml": "<Document id='5'><Focus>broken</Focus><QAPairs><QAPair>",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "judged-answers.csv").write_text(
        "AnswerID,Answer\n"
        'ADAM_0000003_Sec1.txt,"Question: What is (are) Toe twitch ? (Also called: Twitchy toe)\n'
        "URL: https://example.org/ency/3.htm\n"
        'Answer: A toe twitch is a small jump of a toe muscle.) \n"\n'
        'ADAM_0000003_Sec4.txt,"Question: What causes Toe twitch ?\n'
        "URL: https://example.org/ency/3.htm\n"
        'Answer: Toe twitches are caused by too much coffee or too little sleep.) \n"\n'
        'MPlusHerbsSuppls_0000004_Sec1.txt,"Question: What is Moon root ?\n'
        "URL: https://example.org/herb.html\n"
        "Answer: Moon root is a plant used in old remedies. "
        'There is not enough evidence that it works.) \n"\n',
        encoding="utf-8",
    )
    return root


RABEPRAZOLE_PAIRS = [
    (
        "1",
        "indication",
        "Why is Rabeprazole prescribed ?",
        "Rabeprazole is used to treat heartburn and sores in the stomach. It lowers the amount "
        "of acid the stomach makes.",
    ),
    (
        "2",
        "usage",
        "How should Rabeprazole be used ?",
        "Rabeprazole comes as a tablet to take by mouth once a day. Take rabeprazole at the "
        "same time every day, before a meal.",
    ),
    (
        "3",
        "side effects",
        "What are the side effects of Rabeprazole ?",
        "Rabeprazole may cause a headache or an upset stomach. Call your doctor if you get a "
        "rash or watery diarrhea that does not stop.",
    ),
]
TAKING_MEDICINES = (
    "Many people take medicines every day. Ask your pharmacist when to take each medicine, "
    "with food or before a meal. Take a medicine at the same time each day so that you do not "
    "forget a dose."
)
DRUG_REACTIONS = (
    "Side effects are unwanted effects of a medicine. Most side effects are mild and go away "
    "when you stop taking the medicine. Call your doctor if a side effect is severe."
)


def write_drug_medquad(root: Path) -> Path:
    """The tiny MedQuAD plus a drug page (Rabeprazole, brand Aciphex), and two general pages
    that a question on another drug could drift to: taking medicines, drug reactions."""
    write_medquad(root)
    files = {
        "11_MPlusDrugs_QA/0000010.xml": _medquad_xml(
            "0000010",
            "MPlusDrugs",
            "https://example.org/meds/rabeprazole.html",
            "Rabeprazole",
            [],
            RABEPRAZOLE_PAIRS,
        ),
        "4_MPlus_Health_Topics_QA/0000011.xml": _medquad_xml(
            "0000011",
            "MPlusHealthTopics",
            "https://example.org/takingmedicines.html",
            "Taking Medicines",
            ["Medicine safety"],
            [("1", "information", "What is (are) Taking Medicines ?", TAKING_MEDICINES)],
        ),
        "4_MPlus_Health_Topics_QA/0000012.xml": _medquad_xml(
            "0000012",
            "MPlusHealthTopics",
            "https://example.org/drugreactions.html",
            "Drug Reactions",
            ["Side effects"],
            [("1", "information", "What is (are) Drug Reactions ?", DRUG_REACTIONS)],
        ),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def drug_engine(tmp_path_factory):
    """An engine over the tiny MedQuAD with the drug pages."""
    from healthqa.engine import Engine, build

    root = write_drug_medquad(tmp_path_factory.mktemp("drugdata") / "medquad")
    settings = Settings(data_dir=root.parent, home=tmp_path_factory.mktemp("drughome"), dense=False)
    build(settings)
    return Engine.open(settings)


@pytest.fixture(scope="session")
def medquad_root(tmp_path_factory) -> Path:
    return write_medquad(tmp_path_factory.mktemp("data") / "medquad")


@pytest.fixture(scope="session")
def fixture_engine(medquad_root, tmp_path_factory):
    from healthqa.engine import Engine, build

    settings = Settings(
        data_dir=medquad_root.parent, home=tmp_path_factory.mktemp("home"), dense=False
    )
    build(settings)
    return Engine.open(settings)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    try:
        path = find_data_dir(os.environ.get("HEALTHQA_DATA"))
    except Exception:  # an unusable HEALTHQA_DATA means: no shared data here
        path = None
    if path is None or not (path / "liveqa-med-2017-dev").is_dir():
        pytest.skip("../shared/data is not present")
    return path


SEED_PAGE = "examples/web-answer-why-does-spasm-occur.txt"
# the seed page's debris lines (see ../shared/examples/README.md)
SEED_DEBRIS = (
    # navigation
    "On this page",
    "Basics Summary Start Here",
    "Learn More Related Issues",
    "See, Play and Learn",
    "Research Clinical Trials Journal Articles",
    "Find an Expert",
    # shop links
    "Shop for",
    # teasers cut off
    "Learn why you might",
    "can result in muscle",
    "…",
    # comment widget
    "コメント",
    "1000 / 1000",
)


def seed_page_as_html(text: str) -> str:
    """The seed page as a browser would get it: its paragraphs as <p>, its bullet as <li>."""
    title, _, body = text.partition("\n")
    parts = []
    for paragraph in body.split("\n\n"):
        paragraph = paragraph.strip()
        if paragraph.startswith("•"):
            parts.append(f"<ul><li>{html.escape(paragraph.lstrip('• '))}</li></ul>")
        elif paragraph:
            parts.append(f"<p>{html.escape(paragraph)}</p>")
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{''.join(parts)}</article></body></html>"
    )


@pytest.fixture(scope="session")
def seed_html() -> str:
    """../shared/examples' web answer to "Why does spasm occur?", wrapped as HTML."""
    try:
        data = find_data_dir(os.environ.get("HEALTHQA_DATA"))
    except Exception:  # an unusable HEALTHQA_DATA means: no shared data here
        data = None
    seed = data.parent / SEED_PAGE if data else None
    if seed is None or not seed.is_file():
        pytest.skip("../shared/examples is not present")
    return seed_page_as_html(seed.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_debris() -> tuple[str, ...]:
    return SEED_DEBRIS


@pytest.fixture(scope="session")
def medquad_engine(shared_data):
    """The real engine over MedQuAD (builds the index once under HEALTHQA_HOME)."""
    from healthqa.engine import Engine

    return Engine.open(Settings.resolve(shared_data))


@pytest.fixture(scope="session")
def spanish_medquad_engine(shared_data, medquad_engine, tmp_path_factory):
    """The real engine over MedQuAD and MedlinePlus en español: HEALTHQA_HOME's index when it
    has the collection, else a copy of that index with the collection added (only its Spanish
    parts are built: a few minutes on 2 cores), so that CI reads the real Spanish pages too."""
    import shutil

    from healthqa.corpus.collections import add_collection
    from healthqa.engine import Engine, update_collection

    if "medlineplus-es" in medquad_engine.index.rows_by_collection:
        return medquad_engine
    pages = shared_data / "medlineplus-es"
    if not (pages / "metadata.json").is_file():
        pytest.skip("../shared/data/medlineplus-es is not present")
    settings = Settings.resolve(shared_data)
    copy = settings.with_(home=tmp_path_factory.mktemp("home-es"))
    shutil.copytree(settings.index_dir, copy.index_dir)
    add_collection(copy, "medlineplus-es", [pages])
    update_collection(copy, "medlineplus-es")
    return Engine.open(copy)
