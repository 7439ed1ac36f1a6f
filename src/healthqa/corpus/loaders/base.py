"""What every loader shares: the file it is given, the report of a batch, and the way a page's
blocks (headings, paragraphs, list items) become one Document per section."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

from charset_normalizer import from_bytes
from lxml import etree
from lxml import html as lxml_html
from wordfreq import zipf_frequency

from healthqa.errors import HealthqaError
from healthqa.records import Document
from healthqa.xmlfiles import parse_xml

# Code points that mean "not text" when they are a visible share of a file's characters.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# A UTF-8 multi-byte sequence: a file with these that still fails to decode mixes encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W\d_]+")
# The languages a page is told apart between, and by how much (in Zipf units, log10 of
# frequency per billion words) a word must be commoner in one to count as its vote.
LANGUAGES = ("en", "es")
LANGUAGE_MARGIN = 1.0
LANGUAGE_SAMPLE_WORDS = 150


class BadFile(HealthqaError):
    """A file a loader cannot read; `kind` is the reason in the batch summary."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class SourceFile:
    """One input file: its bytes and where it came from.

    `name` is the path below the folder the user gave (or `archive.zip/member` inside an
    archive); it makes ids that stay the same from one load to the next.
    """

    name: str
    data: bytes
    prefix: str = ""
    location: str = ""  # the path on disk (or archive path), for messages and sidecars

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def slug(self) -> str:
        return slugify(str(PurePosixPath(self.name).with_suffix("")))

    def text(self) -> str:
        return decode(self.data, self.name)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by "-": "Dolor abdominal" -> "dolor-abdominal"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-") or "page"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with BOM), else the legacy encoding
    charset-normalizer finds; a file that mixes encodings or is not text is a BadFile."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadFile("broken encoding", f"{name}: broken UTF-16 ({exc.reason})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            raise BadFile(
                "broken encoding",
                f"{name}: not valid UTF-8 at byte {exc.start} although it holds UTF-8 text "
                "(mixed encodings)",
            ) from exc
        text = _legacy_decode(data, name)
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise BadFile("binary", f"{name}: holds control characters, not text")
    return text


def _legacy_decode(data: bytes, name: str) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise BadFile("broken encoding", f"{name}: no text encoding fits its bytes")
    best = matches[0]
    # For Western text cp1250 and cp1252 often tie; a tie goes to cp1252.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            best = match
    return str(best)


def guess_language(text: str) -> str:
    """ "en" or "es" by which language's word frequencies (wordfreq) the words fit; "en"
    when the text gives no evidence."""
    votes = dict.fromkeys(LANGUAGES, 0)
    for word in _WORD.findall(text.lower())[:LANGUAGE_SAMPLE_WORDS]:
        if lang := _language_of_word(word):
            votes[lang] += 1
    winner = max(votes, key=votes.__getitem__)
    return winner if votes[winner] > 0 else LANGUAGES[0]


@lru_cache(maxsize=65536)
def _language_of_word(word: str) -> str:
    """The language in which `word` is clearly commoner, or ""."""
    scores = {lang: zipf_frequency(word, lang) for lang in LANGUAGES}
    best = max(scores, key=scores.__getitem__)
    clear = all(scores[best] - s >= LANGUAGE_MARGIN for lang, s in scores.items() if lang != best)
    return best if clear else ""


@dataclass(frozen=True)
class Skipped:
    name: str
    kind: str
    message: str


@dataclass
class IngestReport:
    """What a batch did: files read, documents made, and every skipped file with its reason."""

    files: int = 0
    loaded: int = 0
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    formats: Counter = field(default_factory=Counter)

    def skip(self, name: str, kind: str, message: str) -> None:
        self.skipped.append(Skipped(name, kind, message))

    def reasons(self) -> Counter:
        return Counter(s.kind for s in self.skipped)

    def summary(self) -> str:
        text = (
            f"{self.files} files: {self.loaded} added ({self.documents} documents), "
            f"{len(self.skipped)} skipped"
        )
        if self.skipped:
            text += " (" + ", ".join(f"{n} {k}" for k, n in sorted(self.reasons().items())) + ")"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "loaded": self.loaded,
            "documents": self.documents,
            "formats": dict(self.formats),
            "skipped": [s.__dict__ for s in self.skipped],
        }


@dataclass(frozen=True)
class Block:
    """A unit of a page: a heading (level 1-6), a paragraph (0) or a list item."""

    text: str
    level: int = 0
    item: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a source and the fields its Documents share."""

    slug: str
    title: str
    fields: dict[str, Any] = field(default_factory=dict)


def clean_text(text: str) -> str:
    return " ".join(text.split())


def split_sections(blocks: Iterable[Block]) -> list[tuple[tuple[str, ...], str]]:
    """(heading path, body) per heading that has a body; text before any heading has ().

    A level-1 heading names the page (its title), not a section: the text under it is the
    page's untitled opening.
    """
    sections: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
    path: list[tuple[int, str]] = []
    for block in blocks:
        text = clean_text(block.text)
        if not text:
            continue
        if block.level == 1:
            path = []
            sections.append(((), []))
        elif block.level:
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, text))
            sections.append((tuple(h for _, h in path), []))
        else:
            sections[-1][1].append(f"- {text}" if block.item else text)
    return [(headings, join_body(lines)) for headings, lines in sections if lines]


def join_body(lines: list[str]) -> str:
    """Paragraphs apart by a blank line, list items on their own lines under their lead-in
    (the layout corpus.passages splits)."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif line.startswith("- "):
            out += "\n" + line
        else:
            out += "\n\n" + line
    return out


def page_documents(prefix: str, page: Page, blocks: Iterable[Block]) -> list[Document]:
    """One Document per section of the page, id `<prefix>:<slug>#<n>` in page order."""
    documents = []
    for path, text in split_sections(blocks):
        documents.append(
            Document(
                id=f"{prefix}:{page.slug}#{len(documents)}",
                text=text,
                title=page.title,
                focus=page.title,
                collection=prefix,
                page=f"{prefix}:{page.slug}",
                section=path[-1] if path else "",
                headings=path,
                **page.fields,
            )
        )
    return documents


PerFile = Callable[[SourceFile], list[Document]]


def iter_per_file(
    load: PerFile, files: Iterable[SourceFile], report: IngestReport
) -> Iterator[Document]:
    """Run a per-file loader over a batch: a bad file is reported and skipped."""
    for source in files:
        try:
            documents = load(source)
        except HealthqaError as exc:
            report.skip(source.name, getattr(exc, "kind", "unreadable"), str(exc))
            continue
        if not documents:
            report.skip(source.name, "no text", f"{source.name}: no text found")
            continue
        report.loaded += 1
        report.documents += len(documents)
        yield from documents


def xml_root(source: SourceFile, what: str) -> Element:
    """The parsed root of an XML file (defusedxml: no entities, nothing external)."""
    try:
        return parse_xml(source.data, what, source.name)
    except HealthqaError as exc:
        raise BadFile("malformed", str(exc)) from exc


_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = {"p", "li", "dd", "dt", "blockquote", "pre", "td", "th", "caption"}


def html_fragment_blocks(markup: str, *, top_level: int = 2) -> list[Block]:
    """Headings, paragraphs and list items of an HTML fragment (a MedlinePlus summary).

    Headings keep their relative depth with the highest one at `top_level`; text outside
    any block element becomes a paragraph of its own.
    """
    if not markup.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        raise BadFile("malformed", f"HTML that cannot be parsed ({exc})") from exc
    found = [e for e in root.iter() if isinstance(e.tag, str) and e.tag in _HEADING_TAGS]
    shift = top_level - min((_HEADING_TAGS[e.tag] for e in found), default=top_level)
    blocks: list[Block] = []
    _collect(root, blocks, shift)
    return blocks


def _collect(element: Any, blocks: list[Block], shift: int) -> None:
    loose = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HEADING_TAGS:
            _flush(loose, blocks)
            blocks.append(Block(child.text_content(), level=min(_HEADING_TAGS[tag] + shift, 6)))
        elif tag in _BLOCK_TAGS:
            _flush(loose, blocks)
            blocks.append(Block(child.text_content(), item=tag == "li"))
        elif tag in ("ul", "ol", "div", "section", "dl", "table", "tbody", "tr", "thead"):
            _flush(loose, blocks)
            _collect(child, blocks, shift)
        elif tag not in ("script", "style"):
            loose.append(child.text_content() if tag else "")
        loose.append(child.tail or "")
    _flush(loose, blocks)


def _flush(loose: list[str], blocks: list[Block]) -> None:
    text = clean_text(" ".join(loose))
    if text:
        blocks.append(Block(text))
    loose.clear()
