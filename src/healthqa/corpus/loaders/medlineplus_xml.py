"""MedlinePlus health-topics XML (`mplus_topics_YYYY-MM-DD.xml`, published by NLM): one
page per `<health-topic>`, English and Spanish.

The full summary is HTML inside the XML; its own headings (`<h3>` in current files) make
the sections. Also-called names and see-references (but not the inverted "Pain, Abdominal"
forms) become also-called names; MeSH descriptors, groups and related topics are kept.
The date is the file's `date-generated` (the version quoted), else the topic's
`date-created`. Element names follow NLM's description of the file
(medlineplus.gov/xmldescription.html).
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element

from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import (
    BadFile,
    Page,
    SourceFile,
    clean_text,
    html_fragment_blocks,
    page_documents,
    xml_root,
)
from healthqa.records import Document

CREDIT = "MedlinePlus"
LICENCE = "public domain (NLM)"
LANGUAGES = {"English": "en", "Spanish": "es"}


def load_medlineplus_xml(source: SourceFile) -> list[Document]:
    root = xml_root(source, "MedlinePlus health topics")
    if root.tag != "health-topics":
        raise BadFile("malformed", f"{source.name}: not a MedlinePlus health-topics file")
    generated = _iso_date(root.get("date-generated", ""))
    documents: list[Document] = []
    for topic in root.iter("health-topic"):
        documents.extend(_topic_documents(source, topic, generated))
    return documents


def _topic_documents(source: SourceFile, topic: Element, generated: str) -> list[Document]:
    title = clean_text(topic.get("title", ""))
    language = LANGUAGES.get(topic.get("language", "English"), "en")
    see_references = [t for t in _texts(topic, "see-reference") if ", " not in t]
    also = dict.fromkeys([*_texts(topic, "also-called"), *see_references])
    also.pop(title, None)
    fields = {
        "url": topic.get("url", ""),
        "language": language,
        "date": generated or _iso_date(topic.get("date-created", "")),
        "credit": CREDIT,
        "source": CREDIT,
        "licence": LICENCE,
        "also_called": tuple(also),
        "mesh": _texts(topic, "mesh-heading/descriptor"),
        "groups": _texts(topic, "group"),
        "related": _texts(topic, "related-topic"),
    }
    slug = f"{language}-{topic.get('id') or title}"
    try:
        blocks = html_fragment_blocks(topic.findtext("full-summary") or "")
    except BadFile as exc:
        raise BadFile(exc.kind, f"{source.name}, topic {title!r}: {exc}") from exc
    return page_documents(source.prefix, Page(slug, title, fields), blocks)


def _texts(parent: Element, path: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for e in parent.findall(path) if (t := clean_text(e.text or ""))))


def _iso_date(value: str) -> str:
    """ "07/21/2012 02:32:56" or "01/07/2003" -> "2012-07-21" / "2003-01-07"."""
    try:
        return dt.datetime.strptime(value.split()[0], "%m/%d/%Y").date().isoformat()
    except (ValueError, IndexError):
        return ""


def _is_topics_file(source: SourceFile) -> bool:
    return b"<health-topics" in source.data[:4096]


register(
    Loader(
        name="medlineplus-xml",
        description="MedlinePlus health-topics XML (English and Spanish)",
        suffixes=(".xml",),
        load=load_medlineplus_xml,
        sniff=_is_topics_file,
        priority=10,
    )
)
