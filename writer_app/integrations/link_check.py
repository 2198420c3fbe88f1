"""Whether the links of an article answer: HEAD (GET when HEAD is refused) through the outbound-URL
policy, short timeouts, a bounded number of URLs, results cached for a while per process.

    checker = LinkChecker(allow_private_hosts="...", timeout=3, ttl=600)
    results = checker.check(["https://example.org/a", ...])    # {url: LinkStatus}

A link is dead on a 4xx/5xx answer, a refused or failed connection, a name that does not resolve, a
timeout, or an address the policy refuses (private hosts unless WORDPRESS_ALLOW_PRIVATE_HOSTS).
Redirects are followed (each hop through the policy) up to MAX_REDIRECTS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from writer_app.integrations.outbound import AddressRefused, OutboundPolicy, PolicyAdapter

MAX_URLS = 30
MAX_REDIRECTS = 5
WORKERS = 4
USER_AGENT = "Writer link check"


@dataclass(frozen=True)
class LinkStatus:
    url: str
    ok: bool
    status: int | None  # the HTTP status of the last answer; None when no answer came
    reason: str  # for an editor: "404 Not Found", "connection refused", "name does not resolve", …


_cache: dict[str, tuple[float, LinkStatus]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


class LinkChecker:
    def __init__(self, allow_private_hosts: str = "", *, timeout: float = 3.0, ttl: float = 600.0) -> None:
        self.policy = OutboundPolicy.allowing(allow_private_hosts)
        self.timeout = timeout
        self.ttl = ttl

    def check(self, urls: Iterable[str]) -> dict[str, LinkStatus]:
        """The status of the first MAX_URLS distinct URLs (cached ones are not asked again)."""
        wanted = list(dict.fromkeys(u for u in urls if u))[:MAX_URLS]
        now = time.monotonic()
        results: dict[str, LinkStatus] = {}
        with _cache_lock:
            for url in wanted:
                hit = _cache.get(url)
                if hit and now - hit[0] < self.ttl:
                    results[url] = hit[1]
        todo = [u for u in wanted if u not in results]
        if todo:
            with ThreadPoolExecutor(max_workers=min(WORKERS, len(todo))) as pool:
                for status in pool.map(self._probe, todo):
                    results[status.url] = status
            with _cache_lock:
                for url in todo:
                    _cache[url] = (time.monotonic(), results[url])
        return {u: results[u] for u in wanted}

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxies from the environment: the policy must see the target
        session.max_redirects = MAX_REDIRECTS
        adapter = PolicyAdapter(self.policy, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = USER_AGENT
        return session

    def _probe(self, url: str) -> LinkStatus:
        try:
            self.policy.check_url(url, resolve=False)
        except AddressRefused:
            return LinkStatus(url, False, None, "not an http(s) address")
        with self._session() as session:
            try:
                answer = session.head(url, timeout=self.timeout, allow_redirects=True)
                if answer.status_code >= 400:  # some servers refuse HEAD (405, 501) or answer it wrongly
                    answer.close()
                    answer = session.get(url, timeout=self.timeout, allow_redirects=True, stream=True)
                answer.close()
            except AddressRefused:
                return LinkStatus(url, False, None, "address not allowed (private or reserved)")
            except requests.exceptions.Timeout:
                return LinkStatus(url, False, None, "timed out")
            except requests.exceptions.TooManyRedirects:
                return LinkStatus(url, False, None, "too many redirects")
            except requests.exceptions.ConnectionError as error:
                text = str(error).lower()
                if "resolution" in text or "name or service" in text or "getaddrinfo" in text:
                    return LinkStatus(url, False, None, "name does not resolve")
                return LinkStatus(url, False, None, "connection refused or failed")
            except requests.exceptions.RequestException as error:
                return LinkStatus(url, False, None, f"request failed ({type(error).__name__})")
        ok = answer.status_code < 400
        return LinkStatus(url, ok, answer.status_code, f"{answer.status_code} {answer.reason or ''}".strip())
