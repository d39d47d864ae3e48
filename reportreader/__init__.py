"""Read Ofsted reports on councils' children's services into plain dataclasses (no Django)."""

from .reader import read_report
from .result import Recommendation, ReportError, ReportResult

__all__ = ["Recommendation", "ReportError", "ReportResult", "read_report"]
