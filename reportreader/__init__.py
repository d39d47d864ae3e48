"""Read Ofsted reports on councils' children's services into plain dataclasses (no Django).

Usage::

    from reportreader import read_report, ReportError, ReportResult

    result = read_report("80581-wirral-2019-07-29.pdf")  # or read_report(data, filename=...)
    result.framework, result.judgements, result.recommendations, result.to_dict()

``read_report`` raises ``ReportError(filename, reason)`` for input that is empty, not a PDF,
encrypted, damaged, without a text layer, or not an Ofsted report. Values the report does not
print are None, with a sentence in ``result.warnings``; nothing is guessed.

Modules: ``pdftext`` (bytes to page text, and the PDF library comparison), ``textutil``
(headers/footers, dates, grades), ``inspections`` (graded reports), ``letters`` (monitoring
and focused visits, JTAIs), ``recommendations`` (lists of what must improve), ``reader``
(the entry point), ``result`` (dataclasses and vocabulary).
"""

from .reader import read_report
from .result import Recommendation, ReportError, ReportResult

__all__ = ["Recommendation", "ReportError", "ReportResult", "read_report"]
