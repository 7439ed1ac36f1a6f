"""Reading XML data files safely: no DTDs, no external entities (defusedxml), and errors
that name the file."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

from healthqa.errors import HealthqaError


def read_xml(path: Path, what: str) -> Element:
    """The root element of `path`; a missing, malformed or unsafe file is a HealthqaError
    that says it was meant to hold `what`."""
    try:
        return safe_parse(str(path), forbid_dtd=True).getroot()
    except (OSError, ParseError, DefusedXmlException, UnicodeDecodeError) as exc:
        raise HealthqaError(f"cannot read {what} from {path}: {exc}") from exc
