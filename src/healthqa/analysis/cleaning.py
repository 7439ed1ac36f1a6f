"""Strip the e-mail around a consumer health message and keep its medical content.

A readable cascade of named steps (see `clean_message`): cut quoted replies and signatures,
remove contact details, greetings and sign-offs, then normalise punctuation and whitespace.
A line break survives only where it ends a sentence (the line before it ends in punctuation,
or the next line starts with a capital); other breaks are hard wraps and become spaces.
"""

from __future__ import annotations

import re
import unicodedata

# Everything from a reply header, a forwarded/original-message marker or a "-- " signature
# separator to the end of the text is not the writer's question.
_TRAILING_BLOCK = re.compile(
    r"^[ \t]*(?:On\b[^\n]{0,160}\bwrote:|-{2,}[ \t]*(?:original|forwarded)\s+message\b|--[ \t]*$)"
    r".*",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$\n?", re.MULTILINE)
_DEVICE_LINE = re.compile(
    r"^[ \t]*(?:sent\s+from\s+my|sent\s+via|get\s+outlook\s+for)\b.*$", re.IGNORECASE | re.MULTILINE
)
_MAILTO = re.compile(r"\(?\bmailto:\S*\)?", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w-])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]\d{4}(?![\w-])"
)
# What the NLM and ClinicalTrials.gov web forms put in front of a message.
_FORM_BOILERPLATE = re.compile(
    r"\bClinicalTrials\.gov\s*-\s*Question\s*-\s*[\w ]{0,40}?information\b\.?"
    r"|^\s*Customer\s+Service\s+Request\b\.?",
    re.IGNORECASE | re.MULTILINE,
)
# Anonymisation tags that MeQSum and LiveQA put in place of contact details and names.
_PLACEHOLDER = re.compile(r"\[(?:CONTACT|NAME|EMAIL|PHONE)\]")

# Words that may follow a greeting before the message starts: "Hello doctor", "Dear sir/madam".
_ADDRESSEE = (
    r"(?i:there|all|everyone|everybody|folks|team|staff|doctors?|docs?|drs?\.?|sirs?|madam|"
    r"ma'?am|nurses?|friends?|experts?|nlm|nih|or|and|/)"
)
_GREETING = re.compile(
    r"^\s*(?i:hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening|day)|dear)\b"
    rf"(?:[ \t]*{_ADDRESSEE})*"
    # then a name that ends in punctuation ("Dear Dr. Smith,"), or just the punctuation, or a
    # space ("Hello can you tell me ..."): a capitalised word without punctuation is the message.
    r"(?:(?:[ \t]+[A-Z][\w.'-]*){1,3}[ \t]*[,:;!\n]+|[ \t]*(?:[,:;!.\n]+|-\s)|(?=\s)|\Z)\s*"
)
_THANKS = (
    r"(?:many\s+)?(?:thanks?|thank(?:ing)?[ \t]*(?:you|u)|thx|tia)"
    r"(?:\s+(?:so|very)\s+much|\s+a\s+(?:lot|million)|\s+again|\s+in\s+advance)*"
)
# A sentence that is nothing but thanks, anywhere in the message.
_THANKS_SENTENCE = re.compile(
    rf"(?:^|(?<=[.!?\n]))[ \t]*{_THANKS}"
    r"(?:\s+for\s+(?:your|any|the|all)(?:\s+\w+){0,3}?\s+"
    r"(?:help|time|assistance|reply|response|answers?|information|consideration|attention))?"
    r"[ \t]*[.!]+",
    re.IGNORECASE | re.MULTILINE,
)
_CLOSING = (
    r"(?:(?:best|kind|warm|warmest|with)\s+)?regards|sincerely(?:\s+yours)?|respectfully"
    r"|yours\s+(?:truly|sincerely|faithfully)|best(?:\s+wishes)?|cheers|god\s+bless(?:\s+you)?"
    r"|blessings"
)
# Where a closing may start. The closing word must be followed by punctuation, a name or the
# end, so that "thanks to the new drug my legs hurt less" stays; a closing other than thanks
# must also start a sentence ("the best, cheapest cream" stays).
_CLOSING_START = re.compile(
    rf"(?:^|(?<=[.!?,\s]))(?:{_THANKS}(?=\s*(?:[,.!\n-]|for\b|\Z))"
    rf"|(?:^|(?<=[.!?\n])|(?<=[.!?\n][ \t]))(?:{_CLOSING})(?=\s*(?:[,.!\n-]|\Z)|[ \t]+[A-Z]))",
    re.IGNORECASE,
)
# A closing tail is short, asks nothing, and after its first clause holds only name or address
# lines ("Thanks for any advice!\nMary Smith\nSpringfield, IL"), not another sentence.
# With no length limit, the longest closing tail found in the 1,000 MeQSum messages is 96
# characters ("Thank you for your attention to this matter.\n[NAME]\n[LOCATION]...").
SIGN_OFF_TAIL_CHARS = 120
SIGN_OFF_LINE_WORDS = 4  # "123 Main Street, Springfield"; a real sentence is longer
_TAIL_SEGMENT = re.compile(r"[.!\n]+")
_QUESTION_RUN = re.compile(r"[?!]*\?[?!]*")
_EXCLAMATION_RUN = re.compile(r"!{2,}")
_DOT_RUN = re.compile(r"\.{4,}|…")
# "Syndrome...There is": without the space no sentence splitter sees two sentences.
_TIGHT_ELLIPSIS = re.compile(r"\.{3}(?=[A-Z])")
# What a removed address leaves behind: "mail me at , or call".
_ORPHAN_PUNCTUATION = re.compile(r"[ \t]+([,;:.?!])(?:[ \t]*[,;:])*")
_SPACE_RUN = re.compile(r"[^\S\n]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_BREAK = re.compile(r"[ \t]*\n\s*")
_SENTENCE_END = frozenset(".?!:;")
_LIST_BULLET = frozenset("-*•")


def clean_message(text: str) -> str:
    """The medical content of a message, without the e-mail around it.

    Returns "" for empty or whitespace-only input. Any input with a word in it gives a
    non-empty result: when cleaning would remove everything (a message that is only
    "Thank you!"), the whitespace-normalised input is returned instead.
    """
    if not text or not text.strip():
        return ""
    cleaned = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text)).replace("\r\n", "\n")
    cleaned = _drop_quoted_and_signature(cleaned)
    cleaned = _drop_contacts_and_form_text(cleaned)
    cleaned = _drop_greetings(cleaned)
    cleaned = _drop_sign_offs(cleaned)
    cleaned = _normalize_punctuation(cleaned)
    cleaned = _normalize_whitespace(cleaned)
    if not any(c.isalnum() for c in cleaned):
        return " ".join(text.split())
    return cleaned


def _drop_quoted_and_signature(text: str) -> str:
    text = _TRAILING_BLOCK.sub("", text)
    text = _QUOTED_LINE.sub("", text)
    return _DEVICE_LINE.sub("", text)


def _drop_contacts_and_form_text(text: str) -> str:
    for pattern in (_MAILTO, _URL, _EMAIL, _PHONE, _PLACEHOLDER, _FORM_BOILERPLATE):
        text = pattern.sub(" ", text)
    return text


def _drop_greetings(text: str) -> str:
    # "Hi, dear doctor," is two greetings in a row.
    for _ in range(2):
        text = _GREETING.sub("", text, count=1)
    return text


def _drop_sign_offs(text: str) -> str:
    text = text.rstrip()
    for match in _CLOSING_START.finditer(text):
        if _is_sign_off_tail(text[match.start() :]):
            text = text[: match.start()].rstrip(" \t\n,;:-")
            break
    return _THANKS_SENTENCE.sub(" ", text)


def _is_sign_off_tail(tail: str) -> bool:
    if len(tail) > SIGN_OFF_TAIL_CHARS or "?" in tail:
        return False
    later_segments = _TAIL_SEGMENT.split(tail)[1:]
    return all(len(segment.split()) <= SIGN_OFF_LINE_WORDS for segment in later_segments)


def _normalize_punctuation(text: str) -> str:
    text = _QUESTION_RUN.sub("?", text)
    text = _EXCLAMATION_RUN.sub("!", text)
    text = _DOT_RUN.sub("...", text)
    text = _TIGHT_ELLIPSIS.sub("... ", text)
    return _ORPHAN_PUNCTUATION.sub(r"\1", text)


def _normalize_whitespace(text: str) -> str:
    text = _SPACE_RUN.sub(" ", text).strip()
    return _BREAK.sub(_line_break, text)


def _line_break(match: re.Match[str]) -> str:
    """Keep a break that ends a sentence; join a hard-wrapped line."""
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    ends_sentence = before in _SENTENCE_END or after.isupper() or after in _LIST_BULLET
    return "\n" if ends_sentence else " "
