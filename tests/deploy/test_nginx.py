"""docs/deploy/nginx-koosloome.conf run for real: Debian's nginx with a self-signed certificate
in front of gunicorn (docs/deploy/gunicorn.conf.py) serving the app on the test database.

The site file is rendered with this run's ports and paths (every placeholder must be found, so
the example cannot drift from what is tested) and wrapped in a main nginx.conf like Debian's,
with its pid, logs and temporary files in the test's folder. Outside CI the test is skipped
when /usr/sbin/nginx is missing (``apt-get install nginx``); in CI (``CI=true``) that fails.
"""

from __future__ import annotations

import http.client
import os
import re
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.servers import (
    DEPLOY,
    ROOT,
    app_environment,
    free_port,
    gunicorn,
    line_count,
    port_open,
    stop,
    wait_until,
)

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
HOST = "koosloome.example.ee"
SNIPPET = "/etc/nginx/snippets/koosloome-headers.conf"


@dataclass
class Site:
    """nginx in front of gunicorn: where to send requests, what nginx logged."""

    http_port: int
    https_port: int
    certificate: Path
    access_log: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, tls: bool = True
    ) -> http.client.HTTPResponse:
        """One request, without following redirects; the body is read, the headers kept with
        their repetitions (``response.msg.get_all``)."""
        if tls:
            context = ssl.create_default_context(cafile=str(self.certificate))
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=30
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            response.read()
            return response
        finally:
            connection.close()


def _require_nginx() -> None:
    if NGINX.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs /usr/sbin/nginx (.ci/run installs it: apt-get install nginx)")
    pytest.skip("Debian's nginx is missing: run `apt-get install nginx`")


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for koosloome.example.ee and 127.0.0.1, and its key."""
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def _substitute(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must be there: the example changed otherwise) with ``new``."""
    assert old in text, f"{old!r} is no longer in the nginx example; update this test"
    return text.replace(old, new)


def render_site(
    folder: Path,
    *,
    http_port: int,
    https_port: int,
    upstream_port: int,
    certificate: Path,
    key: Path,
) -> Path:
    """The example site and its header snippet with this run's ports and paths."""
    snippet = folder / "koosloome-headers.conf"
    snippet.write_text((DEPLOY / "nginx-koosloome-headers.conf").read_text())
    site = (DEPLOY / "nginx-koosloome.conf").read_text()
    # Loopback only: no IPv6 listeners, high ports instead of 80 and 443.
    site = re.sub(r"^\s*listen \[::\]:.*\n", "", site, flags=re.MULTILINE)
    site = _substitute(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = _substitute(site, "listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = _substitute(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    live = f"/etc/letsencrypt/live/{HOST}"
    site = _substitute(site, f"{live}/fullchain.pem", str(certificate))
    site = _substitute(site, f"{live}/privkey.pem", str(key))
    site = _substitute(site, "/srv/koosloome/app/static/", f"{ROOT / 'static'}/")
    site = _substitute(site, "/var/www/letsencrypt", str(folder / "acme"))
    site = _substitute(site, "/var/log/nginx/koosloome.access.log", str(folder / "access.log"))
    site = _substitute(site, SNIPPET, str(snippet))
    path = folder / "koosloome-site.conf"
    path.write_text(site)
    return path


def render_main(folder: Path, site: Path) -> Path:
    """A main nginx.conf shaped like Debian's (the site inside ``http``), everything it writes
    kept in ``folder`` — nothing under /var/lib/nginx or /var/log/nginx."""
    temp = folder / "temp"
    temp.mkdir()
    # As root the workers would run as nobody, who cannot enter pytest's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    access_log {folder / "other-access.log"};
    include {site};
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main)
    return path


def _nginx_command(folder: Path, main: Path, *extra: str) -> list[str]:
    # -e: the error log before the configuration is read (not /var/log/nginx/error.log).
    return [str(NGINX), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main), *extra]


@pytest.fixture
def site(app, database_url, tmp_path) -> Iterator[Site]:
    """gunicorn (as production runs it: https BASE_URL, one trusted proxy) behind nginx, on
    the test database (``app`` creates its tables and empties them afterwards)."""
    _require_nginx()
    certificate, key = _self_signed_certificate(tmp_path)
    env = app_environment(
        database_url,
        tmp_path / "instance",
        KOOSLOOME_BASE_URL=f"https://{HOST}",
        KOOSLOOME_TRUSTED_PROXIES="1",
    )
    with gunicorn(env, tmp_path) as upstream_port:
        http_port, https_port = free_port(), free_port()
        site_conf = render_site(
            tmp_path,
            http_port=http_port,
            https_port=https_port,
            upstream_port=upstream_port,
            certificate=certificate,
            key=key,
        )
        main = render_main(tmp_path, site_conf)
        checked = subprocess.run(
            _nginx_command(tmp_path, main, "-t"), capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr
        log = tmp_path / "nginx.out"
        with log.open("wb") as output:
            nginx = subprocess.Popen(
                _nginx_command(tmp_path, main),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            for port in (http_port, https_port):
                wait_until(port_open(port), f"nginx on port {port}", nginx, log)
            yield Site(http_port, https_port, certificate, tmp_path / "access.log")
        finally:
            stop(nginx)


def _only(response: http.client.HTTPResponse, name: str) -> str:
    """The value of a header that must come exactly once."""
    values = response.msg.get_all(name) or []
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def test_a_page_carries_each_security_header_once(site):
    response = site.get("/")
    assert response.status == 200
    assert _only(response, "Strict-Transport-Security") == "max-age=31536000"
    assert _only(response, "X-Content-Type-Options") == "nosniff"
    assert _only(response, "Referrer-Policy") == "same-origin"
    _only(response, "Content-Security-Policy")


@pytest.mark.parametrize("path", ["/static/css/koosloome.css", "/favicon.ico"])
def test_files_nginx_serves_itself_get_hsts_nosniff_and_one_cache_control(site, path):
    response = site.get(path)
    assert response.status == 200
    assert _only(response, "Strict-Transport-Security") == "max-age=31536000"
    assert _only(response, "X-Content-Type-Options") == "nosniff"
    assert _only(response, "Referrer-Policy") == "same-origin"
    assert re.fullmatch(r"max-age=\d+", _only(response, "Cache-Control"))


def test_plain_http_is_redirected_to_https(site):
    response = site.get("/events?page=2", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/events?page=2"


def test_manage_links_reach_the_app_but_not_nginx_access_log(site, make_event, make_registration):
    token = make_registration(make_event()).manage_token
    assert site.get(f"/r/{token}").status == 200
    assert site.get(f"/r/{token}", tls=False).status == 301
    assert site.get("/help", headers={"Referer": f"https://{HOST}/r/{token}/edit"}).status == 200
    assert site.get(f"/b/ABC234/join?r={token}").status == 404
    wait_until(line_count(site.access_log, 4), "the four requests in nginx's access log")
    logged = site.access_log.read_text()
    assert token not in logged
    assert logged.count('"GET /r/[redacted] HTTP/1.1" 200') == 1
    assert logged.count('"GET /r/[redacted] HTTP/1.1" 301') == 1
    assert '"GET /help HTTP/1.1" 200 ' in logged
    assert f'"https://{HOST}/r/[redacted]/edit"' in logged
    assert '"GET /b/ABC234/join?r=[redacted] HTTP/1.1" 404' in logged
