"""Read Ofsted reports on councils' children's services into plain dataclasses (no Django).

Usage::

    from reportreader import read_report, ReportError, ReportResult

    result = read_report("80581-wirral-2019-07-29.pdf")  # or read_report(data, filename=...)
    result.framework, result.judgements, result.recommendations, result.to_dict()

``read_report`` raises ``ReportError(filename, reason)`` for input that is empty, not a PDF,
encrypted, damaged, without a text layer, not an Ofsted report, or a stand-alone LSCB review.
The reason depends on that file alone, never on a file read before it. Values the report does
not print are None, with a sentence in ``result.warnings``; nothing is guessed.

Letters (focused and monitoring visits): ``published_date`` is the letter's date (Ofsted
publishes a letter the day it is dated); ``inspectors`` lists every inspector named, the signing
(lead) inspector first; ``focus`` is what the visit looked at, ``focus_key`` its key in
``FOCUS_KEYS``; improvement points are ``recommendations``, with ``priority`` set for "Areas for
priority action". Inspections: ``inspectors`` is the lead, then any deputy and team inspectors;
SIF lists under "Priority and immediate action" and 2009-13 "Immediately:" items are priority.
Accuracy on real reports is measured by ``bench/bench_reader.py`` against
``tests/reportreader/corpus_expected.csv``.

Modules: ``pdftext`` (bytes to page text, and the PDF library comparison), ``textutil``
(headers/footers, dates, grades), ``inspections`` (graded reports), ``letters`` (monitoring
and focused visits, JTAIs), ``recommendations`` (lists of what must improve), ``previous`` (the
earlier inspections a report states), ``reader``
(the entry point), ``result`` (dataclasses and vocabulary).
"""

from .previous import previous_inspections
from .reader import read_report
from .result import FOCUS_KEYS, Recommendation, ReportError, ReportResult

__all__ = ["FOCUS_KEYS", "Recommendation", "ReportError", "ReportResult", "previous_inspections", "read_report"]
