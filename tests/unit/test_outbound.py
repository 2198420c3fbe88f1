"""The outbound URL policy (integrations/outbound.py): which addresses WordPress calls may reach."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from writer_app.config import ConfigError, load_config
from writer_app.integrations.outbound import (
    REFUSED_MESSAGE,
    AddressRefused,
    OutboundPolicy,
    is_public,
    parse_allowed_hosts,
)

REFUSED_URLS = [
    "http://127.0.0.1:8089/",
    "http://localhost/",
    "http://LOCALHOST:8089/",
    "http://0x7f000001/",  # hexadecimal
    "http://2130706433/",  # one decimal number
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short form
    "http://0/",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254 mapped
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # shared address space
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",  # multicast
    "http://[ff02::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://192.0.2.10/",  # documentation range: not global
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_non_public_addresses_are_refused_in_every_spelling(url: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        OutboundPolicy().check_url(url)
    assert refused.value.message == REFUSED_MESSAGE


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("gopher://example.com/", "http:// or https://"),
        ("http://user:secret@example.com/", "without a user name or password"),
        ("http://127.0.0.1:8089@example.com/", "without a user name or password"),
        ("http://example.com:99999/", "http:// or https://"),
    ],
)
def test_only_plain_http_urls_pass(url: str, message: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        OutboundPolicy().check_url(url, resolve=False)
    assert message in refused.value.message


def test_a_host_that_resolves_to_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 443)) for ip in ("93.184.216.34", "10.1.2.3")]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    with pytest.raises(AddressRefused):
        OutboundPolicy().check_url("https://mixed.example.com/")
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers[:1])
    OutboundPolicy().check_url("https://public.example.com/")


def test_a_name_that_does_not_resolve_passes_the_save_time_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_answer(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    OutboundPolicy().check_url("https://not-yet-in-dns.example.com/")  # the connection fails on its own


def test_allowed_private_hosts_match_host_and_port() -> None:
    policy = OutboundPolicy.allowing("wp.internal, 127.0.0.1:8089, [::1]:8443, LOCALHOST.")
    assert policy.allows_private("wp.internal", 80) and policy.allows_private("WP.INTERNAL", 9999)
    assert policy.allows_private("127.0.0.1", 8089) and not policy.allows_private("127.0.0.1", 6379)
    assert policy.allows_private("::1", 8443) and not policy.allows_private("::1", 22)
    assert policy.allows_private("localhost", 5432)  # no port: every port
    assert not policy.allows_private("0x7f000001", 8089)  # the host as written, not what it means
    policy.check_url("http://127.0.0.1:8089/")
    with pytest.raises(AddressRefused):
        policy.check_url("http://127.0.0.1:6379/")
    with pytest.raises(AddressRefused):
        OutboundPolicy().check_url("http://127.0.0.1:8089/")  # empty by default


@pytest.mark.parametrize(
    "entry", ["http://wp.internal", "wp.internal:port", "wp.internal:0", "a@b", "[::1]x"]
)
def test_malformed_allow_entries_are_refused(entry: str) -> None:
    with pytest.raises(ValueError):
        parse_allowed_hosts(entry)


def test_the_setting_is_empty_by_default_and_checked(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("WORDPRESS_ALLOW_PRIVATE_HOSTS", raising=False)
    assert load_config(str(tmp_path), {"SECRET_KEY": "x" * 40})["WORDPRESS_ALLOW_PRIVATE_HOSTS"] == ""
    monkeypatch.setenv("WORDPRESS_ALLOW_PRIVATE_HOSTS", "wp.internal, 10.0.0.5:8080")
    assert load_config(str(tmp_path), {"SECRET_KEY": "x" * 40})["WORDPRESS_ALLOW_PRIVATE_HOSTS"]
    monkeypatch.setenv("WORDPRESS_ALLOW_PRIVATE_HOSTS", "https://wp.internal/")
    with pytest.raises(ConfigError, match="WORDPRESS_ALLOW_PRIVATE_HOSTS"):
        load_config(str(tmp_path), {"SECRET_KEY": "x" * 40})
