"""Markdown with optional YAML front matter (python-frontmatter, safe YAML): headings become
sections, parsed by markdown-it-py.

Front matter fields read: title, url, language, lastReviewed/date, source/credit,
license/licence, also_called/aliases. A `metadata.json` beside the files (or one folder up)
keyed by file stem adds also-called names, related topics and URLs (the MedlinePlus en
español conversion ships one).

Two layouts of real pages are read as headings: a paragraph or list item that is all bold
and asks a question ("1. **What is acupuncture?**", NCI PDQ) or is a short bold label
("***Food and Drug Administration***"). A paragraph that is only links is navigation
("[Go to Health Professional Version](...)") and is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import (
    BadFile,
    Block,
    Page,
    SourceFile,
    clean_text,
    guess_language,
    page_documents,
)
from healthqa.corpus.loaders.sources import MAX_FILE_BYTES
from healthqa.records import Document

SIDECAR = "metadata.json"
BOLD_LABEL_MAX_WORDS = 8
_MD = MarkdownIt("commonmark")
# CommonMark lets only "1." interrupt a paragraph, so "2. **How is it given?**" right under a
# paragraph line reads as that paragraph's text; the NCI PDQ files are written that way.
_NUMBERED_AFTER_TEXT = re.compile(r"(?<=\S)\n(?=\d{1,3}\. \S)")


def load_markdown(source: SourceFile) -> list[Document]:
    meta, body = _split_front_matter(source)
    blocks = markdown_blocks(body)
    extra = _sidecar(source).get(source.stem, {})
    title = _title(meta, blocks, source)
    credit = str(meta.get("credit") or meta.get("source") or "")
    if credit and title.endswith(f" - {credit}"):
        title = title[: -len(credit) - 3]
    also = meta.get("also_called") or meta.get("aliases") or extra.get("also_called") or ()
    text_sample = " ".join(b.text for b in blocks[:40])
    fields: dict[str, Any] = {
        "url": str(meta.get("url") or extra.get("url") or source.location),
        "language": str(meta.get("language") or guess_language(text_sample)),
        "date": _date(meta.get("lastReviewed") or meta.get("date")),
        "credit": credit,
        "source": credit,
        "licence": str(meta.get("license") or meta.get("licence") or ""),
        "also_called": tuple(str(a) for a in also),
        "related": tuple(str(r) for r in extra.get("related_topic", ())),
    }
    return page_documents(source.prefix, Page(source.slug, title, fields), blocks)


def _split_front_matter(source: SourceFile) -> tuple[dict[str, Any], str]:
    text = source.text()
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise BadFile("malformed", f"{source.name}: malformed front matter ({exc})") from exc
    if not isinstance(post.metadata, dict):
        raise BadFile("malformed", f"{source.name}: front matter is not a mapping")
    return dict(post.metadata), post.content


def _title(meta: dict[str, Any], blocks: list[Block], source: SourceFile) -> str:
    if meta.get("title"):
        return clean_text(str(meta["title"]))
    first = next((b.text for b in blocks if b.level == 1), "")
    return clean_text(first) or source.stem.replace("_", " ")


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


@lru_cache(maxsize=16)
def _read_sidecar(path: str) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _sidecar(source: SourceFile) -> dict[str, dict[str, Any]]:
    if not source.location:
        return {}
    here = Path(source.location).parent
    for folder in (here, here.parent):
        candidate = folder / SIDECAR
        if (
            candidate.is_file()
            and not candidate.is_symlink()
            and candidate.stat().st_size <= MAX_FILE_BYTES
        ):
            return _read_sidecar(str(candidate))
    return {}


def markdown_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and list items of a Markdown text, as plain text."""
    tokens = _MD.parse(_NUMBERED_AFTER_TEXT.sub("\n\n", text))
    blocks: list[Block] = []
    depth = 0  # list nesting
    level = 1  # the last heading level, for bold pseudo-headings below it
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "heading_open":
            level = int(token.tag[1])
            blocks.append(Block(inline_text(tokens[i + 1]), level=level))
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            block = _paragraph(token, depth > 0, level)
            if block is not None:
                blocks.append(block)
        elif token.type in ("fence", "code_block"):
            blocks.append(Block(token.content))
    return blocks


def _paragraph(token: Token, in_list: bool, level: int) -> Block | None:
    children = token.children or []
    text = clean_text(inline_text(token))
    if not text:
        return None
    if _is_bold_label(children, text):
        return Block(text, level=min(level + 1, 6))
    if not in_list and _only_links(children):
        return None
    return Block(text, item=in_list)


def _is_bold_label(children: list[Token], text: str) -> bool:
    visible = [
        c
        for c in children
        if c.type not in ("softbreak", "hardbreak", "em_open", "em_close")
        and not (c.type == "text" and not c.content.strip())
    ]
    if len(visible) < 3 or visible[0].type != "strong_open" or visible[-1].type != "strong_close":
        return False
    if any(c.type == "strong_open" for c in visible[1:]):
        return False  # two bold runs: emphasis inside a sentence, not a label
    return text.endswith("?") or (
        len(text.split()) <= BOLD_LABEL_MAX_WORDS and not text.endswith((".", "!", ":"))
    )


def _only_links(children: list[Token]) -> bool:
    inside = 0
    outside_text = ""
    seen_link = False
    for child in children:
        if child.type == "link_open":
            inside += 1
            seen_link = True
        elif child.type == "link_close":
            inside -= 1
        elif child.type == "text" and not inside:
            outside_text += child.content
    return seen_link and not outside_text.strip(" .,;|·-–—")


def inline_text(token: Token) -> str:
    """The words of an inline token: link texts kept, images, HTML and markup dropped."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


register(
    Loader(
        name="markdown",
        description="Markdown with optional front matter; headings become sections",
        suffixes=(".md", ".markdown"),
        load=load_markdown,
        sidecars=(SIDECAR,),
    )
)
