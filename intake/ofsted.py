"""Ofsted's site as it is structured today (as public scrapers record it), read politely.

- The search listing of councils' children's services,
  `/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start=N&rows=100`
  (100 a page is the site's cap), links to each council's page; the last part of a link's
  address (`/provider/44/80581`) is the council's URN.
- A council's page lists its reports as `<a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/<id>">`
  with a `<span class="nonvisual">` label such as "children's services inspection, pdf - 09 May 2025";
  the label's date is the publication date.

`OfstedSite` makes one request at a time, waits `delay` seconds between requests, sends an honest
User-Agent, times out, retries timeouts, resets, 5xx answers and the site's own error page
("Slim Application Error") with back-off, and raises `LayoutChanged` naming what it expected when
a page no longer looks as described — never an empty result that would read as "nothing new".
Standard library only: `html.parser` is enough for two kinds of link.
"""

import datetime
import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SEARCH_PATH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
PAGE_ROWS = 100
COUNCIL_PATH = "/provider/44/{urn}"
ERROR_PAGE_MARK = b"Slim Application Error"
MAX_PAGES = 20  # 2,000 councils: far more than England has; a listing that never ends is a fault


class FetchError(Exception):
    """A page or file could not be fetched (after retries); the message says why."""


class LayoutChanged(Exception):
    """A page no longer has the structure the sync reads; the message says what was expected."""


# Labels ----------------------------------------------------------------------------------------

_LABEL = re.compile(r"^(?P<title>.*?)[\s,]*(?:\bas\s+)?\bpdf\s*-\s*(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$", re.I)
_DATE_ONLY = re.compile(r"-\s*(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$")


def parse_label(label):
    """(title, publication date or None) from a link label like
    "children's services inspection, pdf - 09 May 2025" (spacing and "as pdf" vary)."""
    text = " ".join((label or "").split())
    match = _LABEL.match(text) or _DATE_ONLY.search(text)
    if not match:
        return text, None
    title = match.groupdict().get("title")
    title = text[: match.start()].strip(" ,-") if title is None else title.strip(" ,-")
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return title, datetime.datetime.strptime(match["date"], fmt).date()
        except ValueError:
            continue
    return title, None


def kind_from_label(label):
    """The event kind a label's words name, or None for a label we do not recognise.

    By words, not a fixed list: Ofsted has worded the same kind several ways over the years
    ("single inspection of LA children's services", "children's services inspection")."""
    words = set(re.findall(r"[a-z]+", (label or "").casefold().replace("’", "'").replace("'", "")))
    if "monitoring" in words:
        return "monitoring_visit"
    if {"focused", "focussed", "assurance"} & words and "visit" in words:
        return "focused_visit"
    if "joint" in words and ({"inspection", "jtai"} & words):
        return "jtai"
    if "jtai" in words:
        return "jtai"
    if "inspection" in words and ({"services", "childrens", "children", "safeguarding", "looked"} & words):
        return "inspection"
    return None


# Pages -----------------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every <a>: its href, classes, and the text of any span.nonvisual inside it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self._open = None
        self._span_depth = 0
        self._in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._open = {"href": attrs.get("href") or "", "classes": (attrs.get("class") or "").split(), "label": None}
            self.links.append(self._open)
        elif tag == "span" and self._open is not None:
            self._span_depth += 1
            if "nonvisual" in (attrs.get("class") or "").split() and not self._in_label:
                self._in_label = self._span_depth
                self._open["label"] = self._open["label"] or ""

    def handle_endtag(self, tag):
        if tag == "a":
            self._open, self._span_depth, self._in_label = None, 0, 0
        elif tag == "span" and self._open is not None and self._span_depth:
            if self._in_label == self._span_depth:
                self._in_label = 0
            self._span_depth -= 1

    def handle_data(self, data):
        if self._open is not None and self._in_label:
            self._open["label"] += data


def _links(html):
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links


def council_urns(html):
    """URNs of the council pages a search listing links to, in order, each once."""
    urns = []
    for link in _links(html):
        if "/provider/" not in link["href"]:
            continue
        last = urlsplit(link["href"]).path.rstrip("/").rsplit("/", 1)[-1]
        if last.isdigit() and int(last) not in urns:
            urns.append(int(last))
    return urns


@dataclass
class Listed:
    """One report link on a council's page."""

    urn: int
    url: str
    label: str | None
    published_date: datetime.date | None
    kind: str | None


def council_reports(html, *, urn, page_url):
    """The report links on a council's page. Raises LayoutChanged when the page has report file
    links but none in the expected form, or publication links none of which has a label."""
    links = _links(html)
    publications = [link for link in links if "publication-link" in link["classes"]]
    if not publications:
        if any("files.ofsted.gov.uk" in link["href"] or "/v1/file/" in link["href"] for link in links):
            raise LayoutChanged(
                f"{page_url}: the page links to report files, but not as "
                '<a class="publication-link"> with a <span class="nonvisual"> label; the site\'s layout has changed.'
            )
        return []
    if all(not (link["label"] or "").strip() for link in publications):
        raise LayoutChanged(
            f"{page_url}: {len(publications)} report link(s), none with a readable "
            '<span class="nonvisual"> label such as "children\'s services inspection, pdf - 09 May 2025"; '
            "the site's layout has changed."
        )
    listed = []
    for link in publications:
        label = " ".join((link["label"] or "").split()) or None
        _title, published = parse_label(label) if label else (None, None)
        listed.append(
            Listed(
                urn=urn,
                url=urljoin(page_url, link["href"]),
                label=label,
                published_date=published,
                kind=kind_from_label(label) if label else None,
            )
        )
    return listed


# Fetching --------------------------------------------------------------------------------------

_RETRYABLE = (TimeoutError, socket.timeout, ConnectionError, http.client.HTTPException)


class OfstedSite:
    """Polite access to Ofsted's site (or a copy of its structure at `base_url`)."""

    def __init__(
        self,
        base_url,
        *,
        delay=2.0,
        timeout=30.0,
        retries=3,
        backoff=5.0,
        user_agent="Ofsted judgement tracker",
        max_bytes=20 * 1024 * 1024,
        sleep=time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.delay, self.timeout, self.retries, self.backoff = delay, timeout, retries, backoff
        self.user_agent, self.max_bytes, self.sleep = user_agent, max_bytes, sleep
        self.requests = 0
        self._last = None

    def url(self, path):
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def get(self, path, *, limit=None):
        """The body of a page or file. Raises FetchError after `retries` retries (none for 4xx)."""
        url = self.url(path)
        limit = limit or self.max_bytes
        last_problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_turn()
            try:
                body = self._fetch(url, limit)
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise FetchError(f"{url}: the site answered {error.code} ({error.reason})") from None
                last_problem = f"the site answered {error.code} ({error.reason})"
                continue
            except urllib.error.URLError as error:
                reason = error.reason
                if isinstance(reason, _RETRYABLE) or "timed out" in str(reason):
                    last_problem = _describe(reason)
                    continue
                raise FetchError(f"{url}: {_describe(reason)}") from None
            except _RETRYABLE as error:
                last_problem = _describe(error)
                continue
            if ERROR_PAGE_MARK in body[:20000]:
                last_problem = "the site answered with its error page (Slim Application Error)"
                continue
            return body
        raise FetchError(f"{url}: {last_problem}, {self.retries + 1} time(s)")

    def _wait_turn(self):
        if self._last is not None and self.delay:
            wait = self.delay - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = time.monotonic()

    def _fetch(self, url, limit):
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https addresses are fetched")
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "*/*"})  # noqa: S310
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 — checked above
                body = response.read(limit + 1)
        finally:
            self._last = time.monotonic()
        if len(body) > limit:
            raise FetchError(f"{url}: larger than the {limit // (1024 * 1024)} MB limit")
        return body

    def council_urns(self, on_progress=None):
        """Every council URN the search listing links to, page by page. Raises LayoutChanged for
        an empty listing, FetchError when a page cannot be fetched."""
        urns = []
        for page in range(MAX_PAGES):
            if on_progress:
                on_progress(f"Search listing, page {page + 1} ({len(urns)} councils so far)")
            url = self.url(f"{SEARCH_PATH}&start={page * PAGE_ROWS}&rows={PAGE_ROWS}")
            found = council_urns(self.get(url).decode("utf-8", "replace"))
            new = [urn for urn in found if urn not in urns]
            if not found and page == 0:
                raise LayoutChanged(
                    f"{url}: the search listing links to no council pages (expected links whose address "
                    "contains /provider/ and ends with the council's URN); the site's layout has changed."
                )
            urns += new
            if len(found) < PAGE_ROWS or not new:
                return urns
        raise LayoutChanged(f"the search listing still had councils after {MAX_PAGES} pages; it should end.")

    def council_page(self, urn):
        """(page URL, [Listed]) for one council. Raises FetchError or LayoutChanged."""
        url = self.url(COUNCIL_PATH.format(urn=urn))
        return url, council_reports(self.get(url).decode("utf-8", "replace"), urn=urn, page_url=url)

    def file(self, url):
        """A report file's bytes (at most max_bytes). Raises FetchError."""
        return self.get(url)


def _describe(reason):
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return "no answer in time (timed out)"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the site closed the connection without answering"
    return str(reason) or type(reason).__name__
