"""healthqa: offline consumer-health question answering from trusted sources, with citations."""

from healthqa.config import Settings
from healthqa.errors import HealthqaError
from healthqa.records import Answer, Candidate, Citation, Document, Passage, Question

__all__ = [
    "Answer",
    "Candidate",
    "Citation",
    "Document",
    "HealthqaError",
    "Passage",
    "Question",
    "Settings",
]
__version__ = "0.1.0"
