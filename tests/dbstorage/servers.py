"""Plain-HTTP helpers for driving real app servers (no Django imports, so bench/ can use them too)."""

import http.cookiejar
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One user's cookies, sent to whichever server the "load balancer" picks (cookies ignore ports)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect, urllib.request.ProxyHandler({})
        )

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def request(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers={"Referer": url, **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, url):
        return self.request(url)

    def post(self, url, fields):
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, url, field, filename, data):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf()}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def answers(url):
    try:
        return Browser().get(f"{url}/healthz")[0] == 200
    except urllib.error.URLError:
        return False


def manage(env, *args, stdin=None):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        input=stdin,
        timeout=300,
    )
