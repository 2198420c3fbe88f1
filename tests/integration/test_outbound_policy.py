"""The outbound policy on real connections: redirect hops and DNS answers that change between the
check and the connection (rebinding) never reach a refused address."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.support.local_http import local_server
from tests.support.wordpress import allowed_host
from writer_app.integrations.outbound import REFUSED_MESSAGE
from writer_app.integrations.wordpress import WordPressClient, WordPressCredentials, WordPressError

PUBLIC = "93.184.216.34"  # a public address; the test never really connects to it
NOT_WORDPRESS = {"code": "internal", "message": "SECRET-FROM-AN-INTERNAL-SERVICE"}


def client(url: str, allow: str = "", **options: Any) -> WordPressClient:
    return WordPressClient(
        WordPressCredentials(url, "admin", "pw"), allow_private_hosts=allow, backoff=0, **options
    )


@pytest.mark.parametrize("target", ["loopback", "localhost", "metadata"])
def test_a_redirect_to_a_refused_address_is_not_followed(target: str) -> None:
    with local_server(401, NOT_WORDPRESS) as internal:
        location = {
            "loopback": f"{internal.url}/wp-json/",
            "localhost": f"http://localhost:{internal.port}/wp-json/",
            "metadata": "http://169.254.169.254/latest/meta-data/",
        }[target]
        # Only the first hop's host:port is allowed, like an operator's private WordPress.
        with local_server(302, None, {"Location": location}) as redirector:
            wp = client(redirector.url, allow=allowed_host(redirector.url))
            report = wp.test_connection()
            with pytest.raises(WordPressError) as caught:
                wp.index()
            wp.close()
        assert redirector.hits  # the allowed hop answered
    assert internal.connections == 0 and internal.hits == []
    assert report.problems == [REFUSED_MESSAGE]
    assert caught.value.code == "address_refused"
    assert "SECRET" not in str(report.problems)


def test_an_allowed_host_may_redirect_within_itself() -> None:
    index = {"name": "Moved", "namespaces": ["wp/v2"], "authentication": {}}
    with (
        local_server(200, index) as target,
        local_server(301, None, {"Location": f"{target.url}/wp-json/"}) as origin,
    ):
        allow = f"{allowed_host(origin.url)},{allowed_host(target.url)}"
        with client(origin.url, allow=allow) as wp:
            assert wp.index()["name"] == "Moved"
    assert target.hits


def test_dns_rebinding_cannot_reach_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The name resolves to a public address first and to loopback afterwards: the connection goes
    to the address that was checked, and the retry's new answer is checked again, then refused."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
    lookups: list[str] = []
    connects: list[tuple[str, int]] = []

    with local_server(200, NOT_WORDPRESS) as internal:

        def rebinding_getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host != "rebind.example.com":
                return real_getaddrinfo(host, port, *args, **kwargs)
            lookups.append(host)
            address = PUBLIC if len(lookups) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

        def recording_connect(sock: socket.socket, address: Any) -> Any:
            connects.append(tuple(address[:2]))
            if address[0] == PUBLIC:
                raise ConnectionRefusedError(111, "Connection refused")  # no real traffic in tests
            return real_connect(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", recording_connect)
        with client(f"http://rebind.example.com:{internal.port}", retries=2) as wp:
            with pytest.raises(WordPressError) as caught:
                wp.get_post(1)
            report = wp.test_connection()

    assert connects == [(PUBLIC, internal.port)]  # never 127.0.0.1
    assert len(lookups) >= 2  # the retry resolved again and was checked again
    assert internal.connections == 0 and internal.hits == []
    assert caught.value.code == "address_refused" and report.problems == [REFUSED_MESSAGE]


def test_a_host_that_is_not_wordpress_is_never_quoted() -> None:
    """Even an allowed host: unless it answered as a WordPress REST API its text stays out."""
    for status in (200, 401, 500):
        with local_server(status, NOT_WORDPRESS) as internal:
            wp = client(internal.url, allow=allowed_host(internal.url), retries=0)
            report = wp.test_connection()
            wp.close()
        assert internal.hits
        assert not report.ok and "SECRET" not in report.summary() and "internal" not in report.summary()
        assert report.problems == [
            f"Could not reach the WordPress REST API at {internal.url}: the server answered HTTP {status}."
        ]
