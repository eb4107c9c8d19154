"""Host policy: a crawl stays on its site's own hosts, over http(s) only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class HostPolicy:
    """The hosts a site answers on. ``www.`` and bare forms of a host are the same site."""

    hosts: frozenset[str]

    @classmethod
    def of(cls, hosts: Iterable[str]) -> HostPolicy:
        names: set[str] = set()
        for host in hosts:
            bare = _host_name(host).removeprefix("www.")
            if bare:
                names |= {bare, f"www.{bare}"}
        return cls(frozenset(names))

    def reason(self, url: str) -> str | None:
        """Why the crawl may not fetch ``url`` (``scheme``, ``offsite``), or None."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES:
            return "scheme"
        host = (parts.hostname or "").rstrip(".")
        if host not in self.hosts:
            return "offsite"
        return None

    def allows(self, url: str) -> bool:
        return self.reason(url) is None


def _host_name(host: str) -> str:
    """The lower-case host name of ``host``, which may be a bare name, host:port or a URL."""
    host = host.strip().lower()
    if "//" not in host:
        host = f"//{host}"
    return (urlsplit(host).hostname or "").rstrip(".")
