"""A local web site served on 127.0.0.1: the demo's and the tests' crawl target.

Pages live in memory and can change while the server runs, so a test can crawl, edit the
site, and crawl again. Every request is logged for tests that count what a crawl fetched.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

HOST = "127.0.0.1"

#: Crawl settings for a site served here: it needs none of the politeness a real site gets.
LOCAL_SITE_SETTINGS: dict[str, Any] = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def setting_arguments(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """``settings`` as command-line arguments of a crawl: ``-s NAME=VALUE`` each."""
    return tuple(arg for name, value in settings.items() for arg in ("-s", f"{name}={value}"))


@dataclass
class Page:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]


class SampleSite:
    """An in-memory site and the HTTP server that serves it."""

    def __init__(self, pages: dict[str, Page] | None = None) -> None:
        self.pages: dict[str, Page] = dict(pages or {})
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- content ----------------------------------------------------------------------------

    def add(self, path: str, page: Page | str) -> None:
        self.pages[path] = page if isinstance(page, Page) else Page(page.encode("utf-8"))

    def remove(self, path: str) -> None:
        self.pages.pop(path, None)

    def lookup(self, path: str) -> Page:
        page = self.pages.get(path)
        if page is None and urlsplit(path).path == "/robots.txt":
            return Page(b"User-agent: *\nAllow: /\n", content_type="text/plain")
        return page or Page(b"<html><body><h1>Not found</h1></body></html>", status=404)

    # -- serving ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "the site is not serving"
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self, port: int = 0) -> SampleSite:
        self._server = ThreadingHTTPServer((HOST, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def log(self, request: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def requested_paths(self) -> list[str]:
        with self._lock:
            return [request.path for request in self.requests]


def _handler_for(site: SampleSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in two writes: with Nagle's algorithm the body would wait for
        # the client's delayed ACK of the headers (40 ms a response on Linux).
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            site.log(LoggedRequest("GET", self.path, dict(self.headers.items())))
            page = site.lookup(self.path)
            if page.delay:
                time.sleep(page.delay)
            fresh = _not_modified(page, self.headers)
            # A crawler stopped mid-request hangs up: nothing to report.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(304 if fresh else page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", "0" if fresh else str(len(page.body)))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b"" if fresh else page.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the request log is kept in ``site.requests``."""

    return Handler


def _not_modified(page: Page, request_headers: Any) -> bool:
    """A conditional GET whose validators match the page's own ``ETag`` / ``Last-Modified``."""
    if page.status != 200:
        return False
    etag, modified = page.headers.get("ETag"), page.headers.get("Last-Modified")
    if request_headers.get("If-None-Match") is not None:
        return etag is not None and request_headers["If-None-Match"] == etag
    return modified is not None and request_headers.get("If-Modified-Since") == modified
