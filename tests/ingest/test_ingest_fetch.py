"""The fetcher against a real local HTTP server, and the private-address guard."""

from __future__ import annotations

import gzip
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from storyline.errors import BlockedAddressError, FetchError
from storyline.ingest.fetch import (
    Fetcher,
    FetchTooLargeError,
    check_address,
    is_blocked_address,
    resolve_host,
)
from storyline.settings import Settings

PAGE = b"<html><head><title>T</title></head><body><p>Hello news.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    """Routes: /page, /big, /redirect/N (N hops), /loop, /gzip, /missing, /slow, /headers."""

    seen_headers: dict[str, str] = {}  # noqa: RUF012 - test-only shared record of the last request

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        _Handler.seen_headers = dict(self.headers.items())
        path = self.path
        if path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must stop the streamed read
            for _ in range(100):
                self.wfile.write(b"x" * 10_000)
        elif path.startswith("/redirect/"):
            hops = int(path.rsplit("/", 1)[1])
            target = "/page" if hops == 0 else f"/redirect/{hops - 1}"
            self._send(302, b"", Location=target)
        elif path == "/to-metadata":
            self._send(301, b"", Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-ftp":
            self._send(302, b"", Location="ftp://example.com/x")
        elif path == "/gzip":
            self._send(200, gzip.compress(PAGE), "text/html", Content_Encoding="gzip")
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        else:
            self._send(500, b"error", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = Settings(allow_private_addresses=True, fetch_timeout=5.0, user_agent="storyline-test/1")


def test_fetch_page_with_user_agent_and_host(server: str) -> None:
    with Fetcher(LOCAL) as fetcher:
        result = fetcher.fetch(server + "/page")
    assert result.status == 200 and result.body == PAGE
    assert result.content_type == "text/html" and result.final_url == server + "/page"
    assert _Handler.seen_headers["User-Agent"] == "storyline-test/1"
    assert _Handler.seen_headers["Host"] == server.removeprefix("http://")


def test_redirects_are_followed_up_to_five(server: str) -> None:
    with Fetcher(LOCAL) as fetcher:
        result = fetcher.fetch(server + "/redirect/4")  # five hops: /redirect/4 ... /redirect/0
        assert result.status == 200 and result.final_url == server + "/page"
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.fetch(server + "/redirect/5")


def test_redirect_to_other_scheme_is_refused(server: str) -> None:
    with Fetcher(LOCAL) as fetcher, pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch(server + "/to-ftp")


def test_every_redirect_hop_is_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public first hop that redirects to the cloud metadata address is refused at that hop."""
    import storyline.ingest.fetch as fetch_module

    port = int(server.rsplit(":", 1)[1])
    real_check = fetch_module.check_address

    def check(address: str, host: str = "") -> None:
        if host != "news.example":  # "news.example" stands for a public site, served locally
            real_check(address, host)

    def resolver(host: str, _port: int) -> list[str]:
        return ["127.0.0.1"] if host == "news.example" else resolve_host(host, _port)

    monkeypatch.setattr(fetch_module, "check_address", check)
    guarded = Fetcher(replace(LOCAL, allow_private_addresses=False), resolver=resolver)
    with guarded, pytest.raises(BlockedAddressError, match=r"169\.254\.169\.254"):
        guarded.fetch(f"http://news.example:{port}/to-metadata")


def test_body_cap_stops_streamed_read(server: str) -> None:
    with Fetcher(replace(LOCAL, fetch_max_bytes=50_000)) as fetcher:
        with pytest.raises(FetchTooLargeError, match="50000"):
            fetcher.fetch(server + "/big")
        assert fetcher.fetch(server + "/page").status == 200


def test_gzip_body_is_decoded_and_errors_are_results(server: str) -> None:
    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(server + "/gzip").body == PAGE
        missing = fetcher.fetch(server + "/missing")
    assert missing.status == 404 and missing.body == b"not here"


def test_default_settings_refuse_the_local_server(server: str) -> None:
    with Fetcher(Settings()) as fetcher, pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1"):
        fetcher.fetch(server + "/page")


def test_localhost_name_is_resolved_then_refused() -> None:
    with Fetcher(Settings()) as fetcher, pytest.raises(BlockedAddressError):
        fetcher.fetch("http://localhost:1/")


def test_non_http_urls_and_connection_failures() -> None:
    with Fetcher(LOCAL) as fetcher:
        for url in ("ftp://example.com/x", "file:///etc/passwd", "not a url", "http:///nohost"):
            with pytest.raises(FetchError):
                fetcher.fetch(url)
        with pytest.raises(FetchError):
            fetcher.fetch("http://127.0.0.1:1/")  # nothing listens on port 1


def test_any_blocked_answer_refuses_the_host() -> None:
    """DNS answers mixing a public and a private address are refused (rebinding tricks)."""
    fetcher = Fetcher(Settings(), resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with fetcher, pytest.raises(BlockedAddressError, match=r"10\.0\.0\.5"):
        fetcher.fetch("http://mixed.example/")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.9",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
        "::127.0.0.1",  # deprecated IPv4-compatible form
    ],
)
def test_blocked_addresses(address: str) -> None:
    assert is_blocked_address(address)
    with pytest.raises(BlockedAddressError):
        check_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert not is_blocked_address(address)
    check_address(address)


def test_resolve_numeric_forms() -> None:
    assert resolve_host("127.0.0.1", 80) == ["127.0.0.1"]
    assert "127.0.0.1" in resolve_host("2130706433", 80)  # decimal form of 127.0.0.1
    with pytest.raises(FetchError):
        resolve_host("no-such-host.invalid", 80)


def test_https_is_pinned_to_the_checked_address_with_the_real_name(tmp_path: Path) -> None:
    """TLS goes to the resolved IP yet sends the host name (SNI) and checks the certificate for it."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=news.example"
    command += " -addext subjectAltName=DNS:news.example"
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    httpd.socket = server_ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        fetcher = Fetcher(
            LOCAL, transport=httpx.HTTPTransport(verify=trust), resolver=lambda h, p: ["127.0.0.1"]
        )
        with fetcher:
            result = fetcher.fetch(f"https://news.example:{port}/page")
            assert result.body == PAGE
            assert _Handler.seen_headers["Host"] == f"news.example:{port}"
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
                fetcher.fetch(f"https://other.example:{port}/page")  # same IP, wrong name
    finally:
        httpd.shutdown()
        httpd.server_close()
