import json

from loader_helpers import load, shared_path

# openFDA's drug-label JSON shape (fields are lists of strings), in our own words.
OPENFDA = {
    "meta": {"results": {"total": 2}},
    "results": [
        {
            "set_id": "aaaa1111-2222-3333-4444-555566667777",
            "effective_time": "20240105",
            "indications_and_usage": ["Uses temporarily relieves minor aches of leg knots"],
            "do_not_use": ["Do not use if you are allergic to moon root"],
            "ask_doctor": ["Ask a doctor before use if you have liver disease"],
            "warnings": ["Warnings For external use only"],
            "dosage_and_administration": ["Directions apply to the sore muscle 3 times a day"],
            "adverse_reactions": ["Skin redness may occur"],
            "storage_and_handling": ["Store at room temperature"],
            "inactive_ingredient": ["Inactive ingredients water, glycerin, menthol"],
            "package_label_principal_display_panel": ["PRINCIPAL DISPLAY PANEL 50 g tube"],
            "openfda": {"brand_name": ["Knot Relief"], "generic_name": ["MOON ROOT EXTRACT"]},
        },
        {"openfda": {"generic_name": ["SUN LEAF"]}, "warnings": ["Keep away from eyes"]},
    ],
}


def test_openfda_json_maps_fields_to_sections_and_names(tmp_path):
    (tmp_path / "drug-label-0001-of-0001.json").write_text(json.dumps(OPENFDA))
    documents, report = load(tmp_path, prefix="fda")
    assert report.formats == {"openfda-json": 1} and not report.skipped
    relief = [d for d in documents if d.title == "Knot Relief"]
    assert [d.section for d in relief] == [
        "Uses",
        "Do not use",
        "Ask a doctor before use",
        "Warnings",
        "Directions and dosage",
        "Side effects",
        "Storage",
        "Inactive ingredients",
    ]
    assert relief[0].also_called == ("MOON ROOT EXTRACT",)
    assert relief[0].date == "2024-01-05" and relief[0].credit == "FDA"
    assert relief[0].url.endswith("setid=aaaa1111-2222-3333-4444-555566667777")
    assert not any("PRINCIPAL DISPLAY PANEL" in d.text for d in documents)
    (sun,) = [d for d in documents if d.title == "SUN LEAF"]
    assert sun.section == "Warnings" and sun.text == "Keep away from eyes"


def test_the_otc_drug_facts_label():
    path = shared_path("formats/openfda-spl/cough.xml")
    documents, report = load(path, prefix="fda")
    assert report.formats == {"spl": 1}
    title = "TRIAMINIC Childrens Night Time Cold and Cough"
    assert {d.title for d in documents} == {title}
    assert documents[0].also_called == ("Diphenhydramine HCl, Phenylephrine HCl",)
    sections = {d.section: d for d in documents}
    for wanted in (
        "Uses",
        "Warnings",
        "Do not use",
        "Ask a doctor before use",
        "Directions and dosage",
        "Inactive ingredients",
    ):
        assert wanted in sections, wanted
    assert "maltitol solution" in sections["Inactive ingredients"].text
    assert "- in a child under 4 years of age" in sections["Do not use"].text
    # the dosing table keeps each row's age and dose together
    assert "- children 6 to under 12 years of age: 2 teaspoonfuls (10 mL)" in (
        sections["Directions and dosage"].text
    )
    assert not any("Package/Label" in d.section for d in documents)


def test_all_five_real_labels_load():
    folder = shared_path("formats/openfda-spl")
    documents, report = load(folder, prefix="fda")
    assert report.loaded == 5 and report.reasons() == {"licence file": 1}
    titles = {d.title for d in documents}
    assert titles == {
        "Humira",
        "Lipitor",
        "Haloperidol",
        "TRIAMINIC Childrens Night Time Cold and Cough",
    }
    humira = [d for d in documents if d.title == "Humira"]
    assert humira[0].also_called == ("Adalimumab",)
    side_effects = [d for d in humira if d.section == "Side effects"]
    assert side_effects and all(d.qtype == "side effects" for d in side_effects)
    # a numbered subsection takes its parent's section, its own title in the headings
    ra = next(d for d in humira if d.headings[-1:] == ("Rheumatoid Arthritis",))
    assert ra.section == "Uses"
