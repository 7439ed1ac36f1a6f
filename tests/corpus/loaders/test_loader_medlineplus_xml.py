import html
import io
import zipfile

import pytest
from loader_helpers import load, shared_path

from healthqa.cli import main
from healthqa.corpus.download import download_medlineplus, latest_medlineplus_url
from healthqa.errors import HealthqaError

# The current layout (summaries with <h3> headings), in our own words.
SUMMARY = (
    "<h3>What are leg knots?</h3><p>Leg knots are sudden, tight squeezes of a muscle.</p>"
    "<h3>What causes leg knots?</h3><p>Causes include:</p>"
    "<ul><li>Working a muscle too hard</li><li>Not drinking enough water</li></ul>"
    "<h3>When should I see a health care provider?</h3>"
    "<p>Call your provider if the knots are severe.</p>"
)
TOPICS = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE health-topics PUBLIC "-//NLM//DTD health-topics //EN"
    "https://medlineplus.gov/xml/mplus_topics.dtd">
<health-topics total="2" date-generated="11/24/2026 02:30:01">
  <health-topic meta-desc="Leg knots" title="Leg Knots" url="https://medlineplus.gov/legknots.html"
                id="9001" language="English" date-created="01/07/2003">
    <also-called>Night knot</also-called>
    <full-summary>{html.escape(SUMMARY)}</full-summary>
    <group url="https://medlineplus.gov/muscles.html" id="7">Bones, Joints and Muscles</group>
    <mesh-heading><descriptor id="D000001">Muscle Cramp</descriptor></mesh-heading>
    <related-topic url="https://medlineplus.gov/pain.html" id="351">Pain</related-topic>
    <see-reference>Knot, Leg</see-reference>
    <see-reference>Muscle knot</see-reference>
  </health-topic>
  <health-topic title="Nudos en las piernas" url="https://medlineplus.gov/spanish/legknots.html"
                id="9002" language="Spanish" date-created="02/07/2003">
    <full-summary>&lt;p&gt;Los nudos son contracciones de un músculo.&lt;/p&gt;</full-summary>
  </health-topic>
</health-topics>
"""


def test_current_layout_topics_become_sections(tmp_path):
    (tmp_path / "mplus_topics_2026-11-24.xml").write_text(TOPICS, encoding="utf-8")
    documents, report = load(tmp_path, prefix="mplus")
    assert not report.skipped and report.formats == {"medlineplus-xml": 1}
    english = [d for d in documents if d.language == "en"]
    assert [d.section for d in english] == [
        "What are leg knots?",
        "What causes leg knots?",
        "When should I see a health care provider?",
    ]
    causes = english[1]
    assert (
        causes.text == "Causes include:\n- Working a muscle too hard\n- Not drinking enough water"
    )
    assert causes.id == "mplus:en-9001#1" and causes.title == "Leg Knots"
    assert causes.also_called == ("Night knot", "Muscle knot")  # not the inverted "Knot, Leg"
    assert causes.mesh == ("Muscle Cramp",) and causes.groups == ("Bones, Joints and Muscles",)
    assert causes.related == ("Pain",) and causes.date == "2026-11-24"
    assert causes.url == "https://medlineplus.gov/legknots.html" and causes.credit == "MedlinePlus"
    (spanish,) = [d for d in documents if d.language == "es"]
    assert spanish.title == "Nudos en las piernas" and spanish.section == ""


def test_entities_are_refused(tmp_path):
    evil = TOPICS.replace(
        '"https://medlineplus.gov/xml/mplus_topics.dtd">',
        '"x" [<!ENTITY leak SYSTEM "file:///etc/passwd">]>',
    ).replace("Night knot", "&leak;")
    (tmp_path / "evil.xml").write_text(evil, encoding="utf-8")
    documents, report = load(tmp_path / "evil.xml", fmt="medlineplus-xml")
    assert documents == [] and report.reasons() == {"malformed": 1}


def test_the_genuine_2012_excerpt():
    path = shared_path("formats/mplus_topics_2012-07-21.xml")
    documents, report = load(path, prefix="mplus")
    assert report.formats == {"medlineplus-xml": 1}
    by_language = {d.language: d for d in documents}
    assert set(by_language) == {"en", "es"}
    english, spanish = by_language["en"], by_language["es"]
    assert english.title == "Abdominal Pain" and spanish.title == "Dolor abdominal"
    assert english.also_called == ("Bellyache", "Stomach Ache")
    assert spanish.also_called == ("Dolor de barriga", "Dolor de estómago", "Dolor de panza")
    assert english.mesh == ("Abdominal Pain",)
    assert english.groups == ("Digestive System", "Symptoms")
    assert english.related == ("Pain", "Pelvic Pain")
    assert english.url == "https://www.nlm.nih.gov/medlineplus/abdominalpain.html"
    assert english.date == "2012-07-21"
    assert "<p>" not in english.text and "- You have abdominal pain that is sudden" in english.text


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XML_PAGE = """<html><body>
<a href="https://medlineplus.gov/xml/mplus_topics_compressed_2026-11-21.zip">older</a>
<a href='xml/mplus_topics_compressed_2026-11-24.zip'>Health Topic XML, compressed</a>
<a href="xml/mplus_topics_2026-11-24.xml">uncompressed</a>
</body></html>"""


def test_download_picks_the_newest_file_the_page_lists(tmp_path):
    fetched = []
    files = {
        "https://medlineplus.gov/xml.html": XML_PAGE.encode(),
        "https://medlineplus.gov/xml/mplus_topics_compressed_2026-11-24.zip": _zip(
            {"mplus_topics_2026-11-24.xml": TOPICS.encode()}
        ),
    }

    def fake_fetch(url: str) -> bytes:
        fetched.append(url)
        return files[url]

    target = download_medlineplus(tmp_path, fetch=fake_fetch)
    assert target == tmp_path / "medlineplus" / "mplus_topics_2026-11-24.xml"
    assert fetched[-1].endswith("_2026-11-24.zip")
    documents, _ = load(target)
    assert {d.title for d in documents} == {"Leg Knots", "Nudos en las piernas"}


def test_download_refuses_a_bomb_and_a_stranger_and_changes_nothing(tmp_path):
    bomb = _zip({"mplus_topics_2026-11-24.xml": b"<health-topics>" + b" " * (8 * 2**20)})
    with pytest.raises(HealthqaError, match="unpack"):
        download_medlineplus(tmp_path, "https://x/a.zip", fetch=lambda url: bomb)
    other = _zip({"mplus_topics_2026-11-24.xml": b"<html>not topics</html>"})
    with pytest.raises(HealthqaError, match="not a MedlinePlus"):
        download_medlineplus(tmp_path, "https://x/b.zip", fetch=lambda url: other)
    assert not (tmp_path / "medlineplus").exists() or not any((tmp_path / "medlineplus").iterdir())
    with pytest.raises(HealthqaError, match="links to no"):
        latest_medlineplus_url("<html>nothing here</html>")


def test_data_download_medlineplus_command(tmp_path, capsys):
    archive = tmp_path / "mplus.zip"
    archive.write_bytes(_zip({"mplus_topics_2026-11-24.xml": TOPICS.encode()}))
    dest = tmp_path / "data"
    args = ["data", "download", "medlineplus", "--dest", str(dest), "--url", archive.as_uri()]
    assert main(args) == 0
    assert (dest / "medlineplus" / "mplus_topics_2026-11-24.xml").is_file()
    assert "MedlinePlus health topics are in" in capsys.readouterr().out
