"""FDA drug labels: Structured Product Labeling XML (DailyMed, openFDA's source) and the
openFDA drug-label JSON that users download in bulk.

Label sections are told apart by their LOINC code (SPL) or field name (openFDA), and map
to the sections people ask about: Uses, Warnings, Do not use, Ask a doctor before use,
Directions and dosage, Side effects, Storage, Inactive ingredients (and a few more). A
subsection ("1.1 Rheumatoid Arthritis") takes its parent's section. Brand and generic
names become also-called names; the brand name is the title.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from xml.etree.ElementTree import Element

from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import (
    BadFile,
    SourceFile,
    clean_text,
    join_body,
    slugify,
    xml_root,
)
from healthqa.records import Document

NS = "{urn:hl7-org:v3}"
CREDIT = "FDA"
DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={}"

USES = "Uses"
WARNINGS = "Warnings"
DO_NOT_USE = "Do not use"
ASK_A_DOCTOR = "Ask a doctor before use"
DIRECTIONS = "Directions and dosage"
SIDE_EFFECTS = "Side effects"
STORAGE = "Storage"
INACTIVE = "Inactive ingredients"

# (LOINC section code, openFDA field, section, MedQuAD question type)
SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("34067-9", "indications_and_usage", USES, "indication"),
    ("55105-1", "purpose", USES, "indication"),
    ("55106-9", "active_ingredient", "Active ingredients", "information"),
    ("34066-1", "boxed_warning", WARNINGS, "important warning"),
    ("34071-1", "warnings", WARNINGS, "important warning"),
    ("43685-7", "warnings_and_cautions", WARNINGS, "important warning"),
    ("42232-9", "precautions", WARNINGS, "precautions"),
    ("50567-7", "when_using", WARNINGS, "precautions"),
    ("50566-9", "stop_use", WARNINGS, "precautions"),
    ("50565-1", "keep_out_of_reach_of_children", WARNINGS, "precautions"),
    ("53414-9", "pregnancy_or_breast_feeding", WARNINGS, "precautions"),
    ("50570-1", "do_not_use", DO_NOT_USE, "contraindication"),
    ("34070-3", "contraindications", DO_NOT_USE, "contraindication"),
    ("50569-3", "ask_doctor", ASK_A_DOCTOR, "precautions"),
    ("50568-5", "ask_doctor_or_pharmacist", ASK_A_DOCTOR, "precautions"),
    ("34068-7", "dosage_and_administration", DIRECTIONS, "dose"),
    ("34084-4", "adverse_reactions", SIDE_EFFECTS, "side effects"),
    ("44425-7", "storage_and_handling", STORAGE, "storage and disposal"),
    ("34069-5", "how_supplied", STORAGE, "storage and disposal"),
    ("51727-6", "inactive_ingredient", INACTIVE, "information"),
    ("34073-7", "drug_interactions", "Drug interactions", "interactions with medications"),
    ("34088-5", "overdosage", "Overdose", "emergency or overdose"),
    ("53413-1", "questions", "Questions", "information"),
)
BY_CODE = {code: (section, qtype) for code, _, section, qtype in SECTIONS}
BY_FIELD = {name: (section, qtype) for _, name, section, qtype in SECTIONS}
# Product data, the package panel and the change log are not text anyone asks about.
SKIP_CODES = {"48780-1", "51945-4", "43683-2"}
SKIP_FIELDS = {"spl_product_data_elements", "package_label_principal_display_panel"}


def load_spl(source: SourceFile) -> list[Document]:
    root = xml_root(source, "an SPL drug label")
    if root.tag != f"{NS}document":
        raise BadFile("malformed", f"{source.name}: not an SPL document (urn:hl7-org:v3)")
    brands, generics = _product_names(root)
    set_id = _attr(root.find(f"{NS}setId"), "root") or source.stem
    title = brands[0] if brands else generics[0] if generics else _text(root.find(f"{NS}title"))
    label = _Label(
        prefix=source.prefix,
        slug=f"{slugify(title)}-{set_id[:8]}",
        title=title or source.stem,
        fields=_fields(
            url=DAILYMED_URL.format(set_id),
            date=_iso(_attr(root.find(f"{NS}effectiveTime"), "value")),
            names=[*brands, *generics],
            title=title,
        ),
    )
    body = root.find(f"{NS}component/{NS}structuredBody")
    if body is None:
        raise BadFile("malformed", f"{source.name}: an SPL document without a body")
    for section in body.findall(f"{NS}component/{NS}section"):
        _add_section(label, section, (), None)
    return label.documents


# Longest section title read as a label before its text ("Inactive ingredients: ...").
RUN_IN_LABEL_WORDS = 4


class _Label:
    def __init__(self, prefix: str, slug: str, title: str, fields: dict[str, Any]) -> None:
        self.prefix, self.slug, self.title, self.fields = prefix, slug, title, fields
        self.documents: list[Document] = []

    def add(self, headings: tuple[str, ...], mapped: tuple[str, str] | None, text: str) -> None:
        section, qtype = mapped or (headings[-1] if headings else "", "")
        self.documents.append(
            Document(
                id=f"{self.prefix}:{self.slug}#{len(self.documents)}",
                text=text,
                title=self.title,
                focus=self.title,
                collection=self.prefix,
                page=f"{self.prefix}:{self.slug}",
                qtype=qtype,
                section=section,
                headings=headings,
                **self.fields,
            )
        )


def _add_section(
    label: _Label, section: Element, path: tuple[str, ...], inherited: tuple[str, str] | None
) -> None:
    code = _attr(section.find(f"{NS}code"), "code")
    if code in SKIP_CODES:
        return
    mapped = BY_CODE.get(code, inherited)
    title = _strip_number(_text(section.find(f"{NS}title")))
    headings = (*path, title) if title else path
    text_element = section.find(f"{NS}text")
    if text_element is not None:
        text = _run_in(title, join_body(list(_lines(text_element))))
        if text:
            label.add(headings or ((mapped[0],) if mapped else ()), mapped, text)
    for child in section.findall(f"{NS}component/{NS}section"):
        _add_section(label, child, headings, mapped)


def _run_in(title: str, text: str) -> str:
    """A section's text as the label prints it: a Drug Facts line that goes on from its title
    ("Inactive ingredients acesulfame K, benzoic acid, ...") is one sentence with its title,
    so an answer can quote it ("Inactive ingredients: acesulfame K, ..., sodium citrate.")."""
    if not title or not text[:1].islower() or "\n" in text:
        return text
    # a short title is a label ("Inactive ingredients:"); a longer one leads into the text
    # ("Ask a doctor before use if the child is taking sedatives")
    lead = (
        f"{title}:" if len(title.split()) <= RUN_IN_LABEL_WORDS and title[-1] not in "?:" else title
    )
    line = f"{lead} {text}"
    return line if line.endswith((".", "!", ")")) else f"{line}."


def _lines(element: Element) -> Iterable[str]:
    """Paragraphs, list items ("- ...") and table rows ("- cell: cell") of an SPL text."""
    for child in element:
        tag = child.tag.removeprefix(NS)
        if tag == "list":
            for item in child.findall(f"{NS}item"):
                if text := _text(item):
                    yield f"- {text}"
        elif tag == "table":
            for row in child.iter(f"{NS}tr"):
                cells = [c for c in (_text(cell) for cell in row) if c]
                if cells:
                    yield "- " + ": ".join(cells)
        elif tag in ("paragraph", "content", "caption"):
            if text := _text(child):
                yield text
        elif tag not in ("renderMultiMedia", "br", "footnote"):
            yield from _lines(child)


def _product_names(root: Element) -> tuple[list[str], list[str]]:
    brands: dict[str, None] = {}
    generics: dict[str, None] = {}
    for product in root.iter(f"{NS}manufacturedProduct"):
        if (name := _text(product.find(f"{NS}name"))) and name.lower() not in (
            b.lower() for b in brands
        ):
            brands[name] = None
        generic = product.find(f"{NS}asEntityWithGeneric/{NS}genericMedicine/{NS}name")
        if (name := _text(generic)) and name.lower() not in (g.lower() for g in generics):
            generics[name] = None
    return list(brands), list(generics)


def _fields(*, url: str, date: str, names: list[str], title: str) -> dict[str, Any]:
    also = tuple(dict.fromkeys(n for n in names if n and n.lower() != title.lower()))
    return {
        "url": url,
        "date": date,
        "also_called": also,
        "language": "en",
        "credit": CREDIT,
        "source": CREDIT,
    }


def _text(element: Element | None) -> str:
    """All the words of an element, with a space where markup split them."""
    if element is None:
        return ""
    return clean_text(" ".join(element.itertext()))


def _attr(element: Element | None, name: str) -> str:
    return element.get(name, "") if element is not None else ""


def _strip_number(title: str) -> str:
    """ "1.1 Rheumatoid Arthritis" -> "Rheumatoid Arthritis"; "4 CONTRAINDICATIONS" ->
    "Contraindications"."""
    head, _, rest = title.partition(" ")
    title = rest if rest and head.replace(".", "").isdigit() else title
    return title.capitalize() if title.isupper() else title


def _iso(value: str) -> str:
    try:
        return dt.datetime.strptime(value[:8], "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def _is_spl(source: SourceFile) -> bool:
    return b"urn:hl7-org:v3" in source.data[:4096]


def load_openfda_json(source: SourceFile) -> list[Document]:
    """An openFDA drug-label download ({"results": [label, ...]}), one label, or a list."""
    try:
        data = json.loads(source.text())
    except ValueError as exc:
        raise BadFile("malformed", f"{source.name}: malformed JSON ({exc})") from exc
    labels = data.get("results", [data]) if isinstance(data, dict) else data
    if not isinstance(labels, list) or not all(isinstance(x, dict) for x in labels):
        raise BadFile("malformed", f"{source.name}: not openFDA drug labels")
    documents: list[Document] = []
    for number, raw in enumerate(labels):
        documents.extend(_openfda_label(source, raw, number))
    return documents


def _openfda_label(source: SourceFile, raw: dict[str, Any], number: int) -> list[Document]:
    meta = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    brands = _strings(meta.get("brand_name"))
    generics = _strings(meta.get("generic_name"))
    title = brands[0] if brands else generics[0] if generics else f"{source.stem} {number + 1}"
    set_id = str(raw.get("set_id") or raw.get("id") or f"{source.stem}-{number}")
    label = _Label(
        source.prefix,
        f"{slugify(title)}-{set_id[:8]}",
        title,
        _fields(
            url=DAILYMED_URL.format(set_id) if raw.get("set_id") else source.location,
            date=_iso(str(raw.get("effective_time", ""))),
            names=[*brands, *generics],
            title=title,
        ),
    )
    for name, value in raw.items():
        if name in SKIP_FIELDS or name.endswith("_table") or name not in BY_FIELD:
            continue
        text = "\n\n".join(_strings(value))
        if text:
            label.add((BY_FIELD[name][0],), BY_FIELD[name], text)
    return label.documents


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [clean_text(str(v)) for v in items if clean_text(str(v))]


def _is_openfda(source: SourceFile) -> bool:
    head = source.data[:65536]
    return b'"openfda"' in head or any(f'"{f}"'.encode() in head for f in BY_FIELD)


register(
    Loader(
        name="spl",
        description="FDA drug labels as SPL XML (DailyMed)",
        suffixes=(".xml",),
        load=load_spl,
        sniff=_is_spl,
        priority=10,
    )
)
register(
    Loader(
        name="openfda-json",
        description="FDA drug labels as openFDA drug-label JSON",
        suffixes=(".json",),
        load=load_openfda_json,
        sniff=_is_openfda,
    )
)
