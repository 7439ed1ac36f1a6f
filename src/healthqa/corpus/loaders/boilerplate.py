"""Page debris that main-text extraction lets through, removed block by block and sentence
by sentence: the filter the HTML loader runs on trafilatura's output.

Each rule is named (the name is what `clean_blocks` counts) and comes from a cited case:
- the seed page (../shared/examples/web-answer-why-does-spasm-occur.txt, its README): a
  table of contents ("On this page Basics Summary Start Here. Learn More Related Issues
  ..."), shop links ("Shop for multivitamins."), teasers cut off mid-sentence ("Learn why
  you might…."), a comment counter ("0コメント") and a character counter ("1000 / 1000");
- the 104 raw cdc.gov pages (../shared/data/html/cdc-pcd-2024-raw.zip): page labels
  ("PEER REVIEWED", "ORIGINAL RESEARCH — Volume 21 — ..."), author boxes ("Author
  Information", "Corresponding Author: ..."), citation lines and references lists;
- issue 10: cookie banners.
Where a shape can be scored rather than listed, it is: capitalised-word share and sentence
length for navigation, share of letters for counters, link share for menus, citation marks
for references.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import blingfire

# Headings whose whole section is not consumer content (CDC pages; issue 10).
DROP_SECTIONS = re.compile(
    r"^(references?|bibliography|works cited|footnotes|author information|about the authors?"
    r"|acknowledge?ments?|comments?|leave a (comment|reply)|suggested citation)\b",
    re.IGNORECASE,
)
# A table of contents announces itself (seed page; issue 10).
TABLE_OF_CONTENTS = re.compile(r"^(on this page|table of contents)\b", re.IGNORECASE)
# Commerce links (seed page).
SHOP = re.compile(r"^shop (for|now)\b", re.IGNORECASE)
# A teaser is cut off with an ellipsis (seed page: "Learn why you might….").
TEASER = re.compile(r"(…|\.\.\.)\s*[.\]]?\s*$")
COOKIE = re.compile(
    r"\bcookies?\b.*\b(accept|consent|browsing|privacy|this (web)?site)\b"
    r"|\b(accept|consent to)\b.*\bcookies?\b",
    re.IGNORECASE,
)
AUTHOR_BOX = re.compile(
    r"^((medically )?(written|reviewed|fact[- ]checked) by|about the author|corresponding author"
    r"|author affiliations?)\b",
    re.IGNORECASE,
)
# A byline set as a heading (cdc.gov: "Leonard Jack Jr, PhD, MSc1 (View author affiliations)").
BYLINE_HEADING = re.compile(r"\bauthor affiliations?\b", re.IGNORECASE)
# A publisher's disclaimer (cdc.gov: "The opinions expressed by authors ... do not
# necessarily reflect the opinions of ...", on 82 of the 104 pages).
DISCLAIMER = re.compile(r"\b(do|does) not necessarily (reflect|represent)\b", re.IGNORECASE)
# Marks of a bibliographic reference: "et al", "2024;21:240082", a DOI or a PubMed link.
CITATION_MARKS = (
    re.compile(r"\bet al\b\.?"),
    re.compile(r"\b(19|20)\d\d\s*;\s*\d+"),
    re.compile(r"\bdoi\s*:|\bdx\.doi\.org/|\bDOI\b", re.IGNORECASE),
    re.compile(r"\bPubMed\b"),
)
CITATION_MIN_MARKS = 2

# Navigation: three or more short sentences in a row whose longer words are mostly
# capitalised ("Learn More Related Issues Specifics."). Set on the seed page's menu (mean
# 0.83 over its five sentences) against its prose (lists of causes written as sentences,
# "Stress and fatigue. Overuse of a muscle." score 0.5).
NAV_RUN = 3
NAV_MAX_WORDS = 8
NAV_MIN_EACH = 0.5
NAV_MIN_MEAN = 0.7
NAV_WORD_LETTERS = 4
# A label: a paragraph of at most this many words, every longer word capitalised, with no
# closing punctuation ("PEER REVIEWED", "ORIGINAL RESEARCH — Volume 21 — November 21, 2024").
LABEL_MAX_WORDS = 10
# A paragraph (not a list item) needs this many words to be text, or closing punctuation.
MIN_PARAGRAPH_WORDS = 3
# Counters and page furniture ("1000 / 1000", "12 | 34") are mostly not letters.
MIN_LETTER_SHARE = 0.3
# A menu: a list of three or more items that are almost all link text.
MENU_MIN_ITEMS = 3
MENU_LINK_SHARE = 0.8
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class RawBlock:
    """A block of extracted text before cleaning; `link_share` is the share of its
    characters inside links, `group` numbers the list it belongs to (0: none)."""

    text: str
    level: int = 0
    item: bool = False
    link_share: float = 0.0
    group: int = 0


def capitalised_share(sentence: str) -> float:
    words = [w for w in _WORD.findall(sentence) if len(w) >= NAV_WORD_LETTERS]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def letter_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(c.isalpha() for c in chars) / len(chars) if chars else 0.0


def is_citation(text: str) -> bool:
    return sum(bool(p.search(text)) for p in CITATION_MARKS) >= CITATION_MIN_MARKS


def sentence_reason(sentence: str) -> str:
    """Why one sentence is debris, or "" when it is text."""
    if TABLE_OF_CONTENTS.match(sentence):
        return "table of contents"
    if SHOP.match(sentence):
        return "shop link"
    if TEASER.search(sentence):
        return "teaser"
    if COOKIE.search(sentence):
        return "cookie banner"
    if AUTHOR_BOX.match(sentence):
        return "author box"
    return ""


def block_reason(block: RawBlock) -> str:
    """Why a whole paragraph or list item is debris, or "" when it may hold text."""
    text = block.text
    if letter_share(text) < MIN_LETTER_SHARE:
        return "counter"
    words = len(text.split())
    if not block.item and _is_fragment(text):
        return "fragment"
    if not block.item and block.link_share >= MENU_LINK_SHARE:
        return "link paragraph"
    if (
        not block.item
        and words <= LABEL_MAX_WORDS
        and not text.rstrip().endswith((".", "?", "!", ":"))
        and capitalised_share(text) == 1.0
    ):
        return "label"
    if is_citation(text):
        return "citation"
    if AUTHOR_BOX.match(text):
        return "author box"
    if DISCLAIMER.search(text):
        return "disclaimer"
    return ""


def _is_fragment(text: str) -> bool:
    """Too short to be text, unless it is a sentence ("Call 911.")."""
    return len(text.split()) < MIN_PARAGRAPH_WORDS and not text.rstrip().endswith((".", "!", "?"))


def navigation_runs(sentences: Sequence[str]) -> set[int]:
    """Indexes of sentences in runs that read as a menu (see NAV_* above)."""
    short = [
        len(s.split()) <= NAV_MAX_WORDS and capitalised_share(s) >= NAV_MIN_EACH for s in sentences
    ]
    found: set[int] = set()
    start = 0
    while start < len(sentences):
        end = start
        while end < len(sentences) and short[end]:
            end += 1
        run = range(start, end)
        if len(run) >= NAV_RUN:
            mean = sum(capitalised_share(sentences[i]) for i in run) / len(run)
            if mean >= NAV_MIN_MEAN:
                found.update(run)
        start = end + 1
    return found


class _Logged(Counter):
    """A Counter of removals by rule that can also keep what was removed."""

    def __init__(self, log: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.log = log

    def add(self, reason: str, text: str) -> None:
        self[reason] += 1
        if self.log is not None:
            self.log.append((reason, text))


def clean_sentences(text: str, removed: _Logged, *, in_menu: bool = False) -> tuple[str, bool]:
    """The text without its debris sentences, and whether it ends inside a menu.

    A menu that ends one paragraph goes on into the next: while `in_menu`, the next
    paragraph's leading menu-like sentences (short, capitalised) go too, however few.
    """
    sentences = [s for s in blingfire.text_to_sentences(text).split("\n") if s.strip()]
    menu = navigation_runs(sentences)
    kept = []
    for i, sentence in enumerate(sentences):
        reason = "navigation" if i in menu else sentence_reason(sentence)
        if not reason and in_menu and _menu_like(sentence):
            reason = "navigation"
        in_menu = reason in ("navigation", "table of contents")
        if reason:
            removed.add(reason, sentence)
        else:
            kept.append(sentence)
    return " ".join(kept), in_menu


def _menu_like(sentence: str) -> bool:
    return len(sentence.split()) <= NAV_MAX_WORDS and capitalised_share(sentence) >= NAV_MIN_MEAN


def _menus(blocks: Sequence[RawBlock]) -> set[int]:
    """List groups whose items are all (almost) only link text."""
    items: dict[int, list[RawBlock]] = {}
    for block in blocks:
        if block.item and block.group:
            items.setdefault(block.group, []).append(block)
    return {
        group
        for group, members in items.items()
        if len(members) >= MENU_MIN_ITEMS and all(m.link_share >= MENU_LINK_SHARE for m in members)
    }


def clean_blocks(
    blocks: Sequence[RawBlock], log: list[tuple[str, str]] | None = None
) -> tuple[list[RawBlock], Counter]:
    """The blocks worth keeping, each with its debris sentences removed, and a count of
    what was removed by rule (sections, blocks and sentences); `log` collects
    (rule, text) pairs of what was removed."""
    removed: Counter = _Logged(log)
    menus = _menus(blocks)
    kept: list[RawBlock] = []
    skip_below = 0  # inside a dropped section: its heading level
    in_menu = False
    for block in blocks:
        if not block.text.strip():
            continue
        if block.level:
            if skip_below and block.level > skip_below:
                removed["dropped section"] += 1
                continue
            skip_below = 0
            if BYLINE_HEADING.search(block.text):
                removed.add("byline", block.text)
                continue
            if DROP_SECTIONS.match(block.text.strip()):
                skip_below = block.level
                removed.add("dropped section", block.text)
                continue
            kept.append(block)
            continue
        if skip_below:
            removed.add("dropped section", block.text)
            continue
        if block.group in menus:
            removed.add("menu", block.text)
            continue
        reason = block_reason(block)
        if reason:
            removed.add(reason, block.text)
            continue
        text, in_menu = clean_sentences(block.text, removed, in_menu=in_menu)
        if text and (block.item or not _is_fragment(text)):
            kept.append(RawBlock(text, 0, block.item, block.link_share, block.group))
        elif text:
            removed.add("fragment", text)
    return kept, Counter(removed)
