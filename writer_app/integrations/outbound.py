"""The outbound URL policy every WordPress call goes through (connect, test, publish, status, sync,
import, media upload).

- Only http:// and https:// addresses without a user name or password in them.
- The host is resolved once per connection and refused when any of its addresses is loopback,
  private (RFC 1918, fc00::/7), link-local, shared (100.64/10), multicast, unspecified, reserved or
  otherwise not global. IPv4 inside IPv6 (::ffff:a.b.c.d, 6to4, NAT64) is judged by its IPv4 part.
  Odd spellings (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`) resolve to what they mean.
- The socket connects to the address that was checked, never to a second lookup of the name, so a
  DNS answer that changes between check and connect (rebinding) cannot slip through. Each redirect
  hop opens its own connection and is checked the same way. No proxy is used: it would connect
  out of the policy's sight.
- `WORDPRESS_ALLOW_PRIVATE_HOSTS` (comma-separated `host[:port]`, a host without a port allows
  every port) lets an operator reach a WordPress on a private network. It matches the host as
  written in the URL.

A refused address raises `AddressRefused` before any connection is attempted, with one message
whatever the port's state, so the policy cannot serve as a port scanner.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util.timeout import _DEFAULT_TIMEOUT

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REFUSED_MESSAGE = (
    "This address is not allowed: Writer only connects to public addresses, not to loopback, "
    "private, link-local or reserved ones. If this WordPress runs on a private network, the "
    "operator can allow its host with the WORDPRESS_ALLOW_PRIVATE_HOSTS setting."
)
SCHEMES = {"http": 80, "https": 443}
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The URL or the address its host resolves to is not allowed. Deliberately not an OSError,
    so neither urllib3's retries nor requests' error wrapping treat it as a network failure."""

    def __init__(self, message: str = REFUSED_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        embedded = address.sixtofour
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
    elif address in _SHARED:
        return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    )


def _host_key(host: str) -> str:
    """A host as the allow-list compares it: lower case, no brackets or final dot, IPs canonical."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def parse_allowed_hosts(value: str | Iterable[str]) -> frozenset[tuple[str, int | None]]:
    """`"wp.internal, 10.0.0.5:8080, [fd00::1]:443"` → {(host, port or None)}; ValueError if malformed."""
    entries = value.split(",") if isinstance(value, str) else list(value)
    allowed: set[tuple[str, int | None]] = set()
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        host, port = entry, ""
        if entry.startswith("["):
            host, _, rest = entry[1:].partition("]")
            if rest and not rest.startswith(":"):
                raise ValueError(f"{entry!r} is not host[:port]")
            port = rest[1:]
        elif entry.count(":") == 1:
            host, port = entry.split(":")
        if not host or any(c in host for c in "/@?# "):
            raise ValueError(f"{entry!r} is not host[:port]")
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError(f"{entry!r} has no valid port")
        allowed.add((_host_key(host), int(port) if port else None))
    return frozenset(allowed)


@dataclass(frozen=True)
class OutboundPolicy:
    """Which hosts a client may connect to; the default refuses every non-public address."""

    allowed: frozenset[tuple[str, int | None]] = frozenset()

    @classmethod
    def allowing(cls, hosts: str | Iterable[str] = "") -> OutboundPolicy:
        return cls(parse_allowed_hosts(hosts))

    def allows_private(self, host: str, port: int) -> bool:
        key = _host_key(host)
        return (key, None) in self.allowed or (key, port) in self.allowed

    def check_url(self, url: str, *, resolve: bool = True) -> None:
        """Refuse a URL the client would not connect to (at save time, before any request).

        A host that does not resolve (yet) passes here: the connection then fails on its own."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise AddressRefused("Enter an http:// or https:// address.") from None
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise AddressRefused("Enter an http:// or https:// address.")
        if parts.username is not None or parts.password is not None:
            raise AddressRefused("Enter the address without a user name or password in it.")
        if resolve:
            with contextlib.suppress(OSError, UnicodeError):  # e.g. no DNS answer (yet)
                self.resolve(parts.hostname, port or SCHEMES[parts.scheme])

    def resolve(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """getaddrinfo results for (host, port); AddressRefused when any address is not allowed."""
        host = host.strip("[]")
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if self.allows_private(host, port):
            return infos
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not is_public(address):
                raise AddressRefused()
        return infos

    def connect(
        self,
        host: str,
        port: int,
        timeout: Any = _DEFAULT_TIMEOUT,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[tuple[int, int, Any]] | None = None,
    ) -> socket.socket:
        """Open a TCP connection to one of the checked addresses of `host` (no second lookup)."""
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                if timeout is not _DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"no address for {host}")


class _CheckedConnectionMixin:
    """urllib3's `_new_conn` with the policy's resolve-check-connect in place of its own lookup."""

    host: str
    port: int
    timeout: Any
    source_address: tuple[str, int] | None
    socket_options: Any

    def __init__(self, *args: Any, policy: OutboundPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        try:
            return self.policy.connect(
                self.host, self.port, self.timeout, self.source_address, self.socket_options
            )
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc  # type: ignore[arg-type]


class CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass  # TLS still verifies and sends SNI for the host name: only the TCP target is pinned


class _CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class _CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class _CheckedPoolManager(PoolManager):
    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy
        self.pool_classes_by_scheme = {
            "http": _CheckedHTTPConnectionPool,
            "https": _CheckedHTTPSConnectionPool,
        }

    def _new_pool(self, scheme: str, host: str, port: int, request_context: Any = None) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.conn_kw["policy"] = self.policy  # handed to every connection the pool opens
        return pool


class PolicyAdapter(HTTPAdapter):
    """A requests adapter whose every connection (redirect hops included) obeys `policy`."""

    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        self.policy = policy  # before super().__init__, which builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        self._pool_connections, self._pool_maxsize, self._pool_block = connections, maxsize, block
        self.poolmanager = _CheckedPoolManager(
            self.policy, num_pools=connections, maxsize=maxsize, block=block, **pool_kwargs
        )

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["proxies"] = None  # a proxy would connect for us, out of the policy's sight
        return super().send(request, *args, **kwargs)
