"""A local copy of the structure of Ofsted's site, served by a real HTTP server on 127.0.0.1:
the search listing (paged, 100 a page), council pages with publication links and labels, report
files, and the failures the real site shows (timeouts, resets, 5xx, its error page, 404s)."""

import contextlib
import html
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLIM_ERROR = (
    b"<html><head><title>Slim Application Error</title></head><body><h1>Slim Application Error</h1>"
    b"<p>A website error has occurred. Sorry for the temporary inconvenience.</p></body></html>"
)


@dataclass
class Link:
    file_id: str
    label: str | None  # None: a link with no label
    data: bytes = b""


@dataclass
class Site:
    """What the fake site serves; change it between runs."""

    listed: list = field(default_factory=list)  # URNs in the search listing
    pages: dict = field(default_factory=dict)  # URN -> [Link]
    raw_pages: dict = field(default_factory=dict)  # URN -> HTML served instead (a changed layout)
    faults: dict = field(default_factory=dict)  # path -> list of "timeout"/"reset"/"500"/"slim"/"404", used in turn
    always: dict = field(default_factory=dict)  # path -> a fault served every time
    exists: set = field(default_factory=set)  # URNs whose page exists (with no reports unless in `pages`)
    listing_html: str | None = None
    requests: list = field(default_factory=list)  # (path, user agent)
    timeout_sleep: float = 3.0


def search_page(urns, start, rows):
    items = "".join(
        f'<li class="search-result"><h3><a href="/provider/44/{urn}">Council {urn}</a></h3>'
        f'<p>Local authority children\'s services</p><a href="/provider/44/{urn}#reports">Reports</a></li>'
        for urn in urns[start : start + rows]
    )
    return (
        "<!DOCTYPE html><html><head><title>Search results</title></head><body>"
        f'<p class="search-count">{len(urns)} results</p><ul class="results-list">{items}</ul>'
        '<a href="/about">About Ofsted</a></body></html>'
    )


def council_page(urn, links):
    items = []
    for link in links:
        label = f'<span class="nonvisual">{html.escape(link.label)}</span>' if link.label is not None else ""
        items.append(
            f'<li class="publication"><a class="publication-link" href="/v1/file/{link.file_id}">'
            f'<span class="publication-title">Report</span>{label}</a></li>'
        )
    return (
        f"<!DOCTYPE html><html><head><title>Council {urn}</title></head><body><h1>Council {urn}</h1>"
        f'<p>URN: {urn}</p><ul class="publications">{"".join(items)}</ul></body></html>'
    )


def make_handler(site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 — the standard library's name
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            parts = urlsplit(self.path)
            fault = site.always.get(parts.path)
            queue = site.faults.get(parts.path)
            if fault is None and queue:
                fault = queue.pop(0)
            if fault == "timeout":
                time.sleep(site.timeout_sleep)
                return self._send(200, b"too late", "text/html")
            if fault == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                return None
            if fault == "500":
                return self._send(500, b"<h1>Internal Server Error</h1>", "text/html")
            if fault == "slim":
                return self._send(200, SLIM_ERROR, "text/html")
            if fault == "404":
                return self._send(404, b"<h1>Not found</h1>", "text/html")
            if parts.path == "/search":
                query = parse_qs(parts.query)
                start, rows = int(query.get("start", ["0"])[0]), min(int(query.get("rows", ["10"])[0]), 100)
                body = site.listing_html if site.listing_html is not None else search_page(site.listed, start, rows)
                return self._send(200, body.encode(), "text/html; charset=utf-8")
            if parts.path.startswith("/provider/44/"):
                urn = int(parts.path.rstrip("/").rsplit("/", 1)[-1])
                if urn in site.raw_pages:
                    return self._send(200, site.raw_pages[urn].encode(), "text/html; charset=utf-8")
                if urn not in site.pages and urn not in site.listed and urn not in site.exists:
                    return self._send(404, b"<h1>Not found</h1>", "text/html")
                return self._send(200, council_page(urn, site.pages.get(urn, [])).encode(), "text/html; charset=utf-8")
            if parts.path.startswith("/v1/file/"):
                file_id = parts.path.rsplit("/", 1)[-1]
                for links in site.pages.values():
                    for link in links:
                        if link.file_id == file_id:
                            return self._send(200, link.data, "application/pdf")
            return self._send(404, b"<h1>Not found</h1>", "text/html")

        def _send(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


class FakeOfsted:
    """Serve `site` on 127.0.0.1 at a free port until stopped."""

    def __init__(self, site):
        self.site = site
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self, prefix=""):
        return [path for path, _agent in self.site.requests if path.startswith(prefix)]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
