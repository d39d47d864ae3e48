"""Briefings as HTML and as PDF (WeasyPrint, A4, tagged), and the cached PDFs of the PDF addresses.

WeasyPrint never touches the network: its URL fetcher serves files from ``static/`` and the
system font directories and refuses every other address.
"""

import base64
import functools
import gc
import mimetypes
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string

from inspections import states
from inspections.cache import cached

from .area import area_briefing
from .council import council_briefing

AUTHOR = "Ofsted judgement tracker"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
CSS_PATH = STATIC_DIR / "css" / "briefing.css"
UA_CSS_PATH = STATIC_DIR / "css" / "briefing-ua.css"
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


def render_html(briefing, *, document=True):
    """The briefing as a whole HTML document for print (`document`), or just its body for a web page."""
    context = {
        **briefing.context,
        "briefing": briefing,
        "as_at": briefing.as_at,
        "produced": briefing.produced,
        "period": briefing.options.period_words(),
        "show": set(briefing.options.sections),
        "body_template": briefing.template,
        "print": document,
        # One h1 per page: the PDF's title is its h1; in the builder's preview it sits under "Preview".
        "h1": 1 if document else 3,
        "h2": 2 if document else 4,
        "not_judged": states.NOT_JUDGED.label,
        "no_inspection": states.NO_INSPECTION.label,
    }
    if document:
        from maps.drawing import grade_css_text

        context["grade_css"] = grade_css_text()
    return render_to_string("briefings/document.html" if document else briefing.template, context)


def _local_fetcher(roots):
    """WeasyPrint's url_fetcher: files under `roots` only; any other address (http, ftp…) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return _read_local(url, roots, URLFetcherResponse)

    return LocalFetcher(allowed_protocols=["file", "data"])


def _read_local(url, roots, response_class):
    """Read a file: URL under one of `roots`; raise ValueError for anything else."""
    if url.startswith("data:"):  # the charts, inlined by _chart.html; decoded here, nothing fetched
        header, _comma, payload = url[5:].partition(",")
        body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        return response_class(url, body, {"Content-Type": header.split(";")[0] or "text/plain"})
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise ValueError(f"Briefings only read local files, not {url[:80]}")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(Path(root).resolve()) for root in roots) or not path.is_file():
        raise ValueError(f"Briefings may not read {path}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return response_class(url, path.read_bytes(), {"Content-Type": content_type})


class _OpenArrays:
    """WeasyPrint's cffi handle for its font subsetting, with fixed-size glyph arrays made open-sized.

    WeasyPrint subsets each font with `ffi.new(f"hb_codepoint_t[{n}]", glyphs)`; cffi parses every
    new C type string with pycparser (about 3 ms) and caches it by the string, so each new glyph
    count (every briefing has its own, twice per font) cost a parse: 10-25 ms of a council
    briefing. `hb_codepoint_t[]` filled from the same glyphs is the same array, parsed once.
    """

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if init is not None and cdecl.startswith("hb_codepoint_t[") and cdecl.endswith("]"):
            cdecl = "hb_codepoint_t[]"
        return self._ffi.new(cdecl, init)


@functools.cache
def _print_resources():
    """The stylesheet, font configuration and fetcher, loaded once per process (fonts are the slow part)."""
    from weasyprint import CSS
    from weasyprint.pdf import fonts
    from weasyprint.text.fonts import FontConfiguration

    if not isinstance(fonts.ffi, _OpenArrays):  # WeasyPrint 70's pdf/fonts.py; tests print through it
        fonts.ffi = _OpenArrays(fonts.ffi)

    fetcher = _local_fetcher([STATIC_DIR, *FONT_DIRS])
    font_config = FontConfiguration()
    css = CSS(filename=str(CSS_PATH), font_config=font_config, url_fetcher=fetcher)
    return css, font_config, fetcher


@functools.cache
def _briefing_html_class():
    """WeasyPrint's HTML with the lean user-agent stylesheet of static/css/briefing-ua.css.

    WeasyPrint matches every user-agent rule against every element; its full HTML stylesheet
    (forms, bidi, legacy elements) cost about a tenth of a council briefing's print time. It has
    no public option for this, hence the override of its private `_ua_stylesheets` (WeasyPrint 70;
    the briefing tests print through it, so a rename fails them).
    """
    from weasyprint import CSS, HTML

    user_agent_css = CSS(filename=str(UA_CSS_PATH))

    class BriefingHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [user_agent_css]

    return BriefingHTML


def render_pdf(briefing):
    """Print the briefing to PDF bytes (A4, tagged as PDF/UA-1, fonts embedded)."""
    return html_to_pdf(render_html(briefing))


_collector_lock = threading.Lock()
_printing = 0  # prints in progress in this process (a worker may print in several threads)
_collector_was_enabled = True


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector held off while WeasyPrint prints, then run on the young objects.

    A print allocates a few hundred thousand short-lived objects; the collector, started by the
    allocation count, walked the whole heap of the process (Django, WeasyPrint's fonts and
    stylesheets) once or twice per briefing: about a tenth of its print time (28 ms of a council
    briefing, 137 ms of England's, measured with gc.callbacks). Held off, the print's reference
    cycles stay young, and one collection of the youngest generation when the last print in the
    process ends frees them without touching the long-lived heap. Nesting and threads are safe:
    the collector is enabled again (if it was) only when no print is running.
    """
    global _printing, _collector_was_enabled
    with _collector_lock:
        if _printing == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _printing += 1
    try:
        yield
    finally:
        with _collector_lock:
            _printing -= 1
            if _printing == 0 and _collector_was_enabled:
                gc.enable()
                gc.collect(0)


def html_to_pdf(html):
    """Any HTML string to PDF bytes with the briefing stylesheet; local files only.

    No /ID in the trailer: WeasyPrint computes it by serialising (and compressing) every object a
    second time, a tenth of a briefing's print time, and nothing reads it (PDF/UA does not ask for it).
    """
    css, font_config, fetcher = _print_resources()
    with collector_paused():
        document = _briefing_html_class()(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
        return document.write_pdf(
            stylesheets=[css],
            font_config=font_config,
            pdf_variant="pdf/ua-1",  # tagged PDF with PDF/UA identification: about a tenth of the print time
        )


def build_and_print(build):
    """(briefing, PDF bytes) of `build()` (which returns a Briefing): the reads, the HTML and the print
    with the collector held off throughout, as `collector_paused` explains (the reads of England's
    whole record allocate as a print does)."""
    with collector_paused():
        briefing = build()
        return briefing, render_pdf(briefing)


def council_briefing_pdf(*, slug, options):
    """(Briefing title, file name, PDF bytes) for a council, cached until any data changes.

    Raises Council.DoesNotExist for an unknown slug.
    """

    def build():
        briefing, pdf = build_and_print(lambda: council_briefing(slug=slug, options=options))
        return briefing.title, briefing.filename, pdf

    return cached("briefing-pdf", build, "council", slug, options.key())


def area_briefing_pdf(*, region=None, options):
    """(title, file name, PDF bytes) for England or a region, cached until any data changes."""

    def build():
        briefing, pdf = build_and_print(lambda: area_briefing(region=region, options=options))
        return briefing.title, briefing.filename, pdf

    return cached("briefing-pdf", build, "area", region.slug if region else "england", options.key(), notes=False)
