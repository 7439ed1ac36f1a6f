"""Reading XML data files safely: no DTDs, no external entities (defusedxml), and errors
that name the file."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from defusedxml.ElementTree import parse as safe_parse

from healthqa.errors import HealthqaError


def read_xml(path: Path, what: str) -> Element:
    """The root element of `path`; a missing, malformed or unsafe file is a HealthqaError
    that says it was meant to hold `what`."""
    try:
        return safe_parse(str(path), forbid_dtd=True).getroot()
    except (OSError, ParseError, DefusedXmlException, UnicodeDecodeError) as exc:
        raise HealthqaError(f"cannot read {what} from {path}: {exc}") from exc


def parse_xml(data: bytes, what: str, name: str) -> Element:
    """The root element of XML `data`. A DOCTYPE is allowed (published files such as the
    MedlinePlus topics carry one) but entities and external references are not; a
    malformed or unsafe document is a HealthqaError naming `name` and `what`."""
    try:
        return safe_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, UnicodeDecodeError, ValueError) as exc:
        raise HealthqaError(f"cannot read {what} from {name}: {exc}") from exc
