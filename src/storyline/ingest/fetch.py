"""Fetch http(s) URLs safely: size cap, timeouts, manual redirects, and a guard against private addresses.

The guard (SSRF protection) resolves the host name once, refuses the request when any address it
resolves to is private, loopback, link-local, multicast, reserved or unspecified (IPv4 and IPv6,
IPv4-mapped, 6to4, Teredo and NAT64 forms included), and then *pins* the connection to the address
it checked: the request goes to the IP literal with the original ``Host`` header and TLS server
name, so a DNS answer that changes between the check and the connection (DNS rebinding) cannot
redirect it. Every redirect hop is checked the same way. Proxies from the environment are ignored
on purpose, since a proxy would resolve the name itself and defeat the check.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from storyline.errors import BlockedAddressError, FetchError
from storyline.settings import Settings

__all__ = [
    "FetchResult",
    "FetchTooLargeError",
    "Fetcher",
    "check_address",
    "is_blocked_address",
]

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Prefixes that embed an IPv4 address inside an IPv6 one; the embedded address is checked too.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


class FetchTooLargeError(FetchError):
    """The response body is larger than ``fetch_max_bytes``."""


@dataclass
class FetchResult:
    """One completed HTTP exchange (after redirects); non-2xx statuses are results, not errors."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def is_blocked_address(address: str | IPAddress) -> bool:
    """True when ``address`` is not a public unicast address (private, loopback, link-local...)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d reaches exactly the IPv4 host
            return is_blocked_address(ip.ipv4_mapped)
        embedded = _embedded_ipv4(ip)
        if embedded is not None and is_blocked_address(embedded):
            return True
        if ip in _NAT64_LOCAL:
            return True
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global  # also catches shared space 100.64/10, benchmarking 198.18/15...
    )


def check_address(address: str | IPAddress, host: str = "") -> None:
    """Raise ``BlockedAddressError`` when ``address`` is not a public unicast address."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError as exc:
        raise BlockedAddressError(f"{address!r} is not an IP address") from exc
    if is_blocked_address(ip):
        name = f"{host} resolves to {ip}" if host and host != str(ip) else f"address {ip}"
        raise BlockedAddressError(
            f"{name}, a private, loopback, link-local or reserved address; "
            "set allow_private_addresses (STORYLINE_ALLOW_PRIVATE_ADDRESSES=1) to fetch it"
        )


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to for a TCP connection, in resolver order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    addresses: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    return addresses


class Fetcher:
    """An HTTP client for article and feed URLs; use as a context manager or call ``close()``."""

    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._resolve = resolver or resolve_host
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,  # followed by hand so that every hop passes the address check
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` following up to five redirects; raise ``FetchError`` when it cannot be read."""
        deadline = time.monotonic() + self.settings.fetch_timeout
        current = _parse_url(url)
        for _hop in range(MAX_REDIRECTS + 1):
            status, headers, body = self._get_once(current, deadline)
            location = headers.get("location")
            if status in _REDIRECT_STATUSES and location:
                try:
                    current = _parse_url(str(current.join(location)))
                except FetchError as exc:
                    raise FetchError(f"{url}: bad redirect to {location!r}: {exc}") from exc
                continue
            return FetchResult(
                url=url,
                final_url=str(current),
                status=status,
                content_type=headers.get("content-type", "").split(";", 1)[0].strip().lower(),
                body=body,
                headers=headers,
            )
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _get_once(self, url: httpx.URL, deadline: float) -> tuple[int, dict[str, str], bytes]:
        """One GET without redirects, pinned to a checked address; returns status, headers, body."""
        request_url, extensions, host_header = self._pin(url)
        headers = {"Host": host_header}
        try:
            with self._client.stream(
                "GET", request_url, headers=headers, extensions=extensions
            ) as response:
                resp_headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code in _REDIRECT_STATUSES:
                    return response.status_code, resp_headers, b""
                body = self._read_capped(response, str(url), deadline)
                return response.status_code, resp_headers, body
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out after {self.settings.fetch_timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _pin(self, url: httpx.URL) -> tuple[httpx.URL, dict[str, Any], str]:
        """Resolve and check the host; return the URL to request, httpx extensions, Host header."""
        host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS, Host and SNI expect
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = self._resolve(host, port)
        if not self.settings.allow_private_addresses:
            # Refuse when *any* answer is blocked: an attacker's DNS may mix public and private.
            for address in addresses:
                check_address(address, host)
        pinned = addresses[0]
        netloc_host = f"[{host}]" if ":" in host else host
        host_header = netloc_host if url.port is None else f"{netloc_host}:{url.port}"
        extensions: dict[str, Any] = {}
        if url.scheme == "https":
            extensions["sni_hostname"] = host  # TLS name and certificate check use the real host
        return url.copy_with(host=pinned), extensions, host_header

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        """Read the body in chunks, stopping as soon as it passes the cap or the deadline."""
        cap = self.settings.fetch_max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchTooLargeError(f"{url}: body of {declared} bytes exceeds {cap} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchTooLargeError(f"{url}: body exceeds {cap} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: timed out after {self.settings.fetch_timeout:g}s")
            chunks.append(chunk)
        return b"".join(chunks)


def _parse_url(url: str) -> httpx.URL:
    """Parse ``url`` and accept only absolute http(s) URLs with a host."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"{url!r} is not a valid URL: {exc}") from exc
    if parsed.scheme not in {"http", "https"}:
        raise FetchError(f"{url!r}: only http and https URLs can be fetched")
    if not parsed.host:
        raise FetchError(f"{url!r} has no host")
    return parsed


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4, Teredo or NAT64 IPv6 address carries, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client address; the server part is public by construction
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # IPv4-compatible (::a.b.c.d, deprecated) also reaches the IPv4 host on some stacks.
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
