"""Page weight of every public page (issue 9, 1e): bytes, requests, no third parties.

    .venv/bin/python bench/page_weight.py [--events 1000] [--json results.json]

Serves Koosloome with gunicorn (docs/deploy/gunicorn.conf.py) on a temporary SQLite database
with one open event and ``--events`` more upcoming ones (issue 20.2: the home page must stay
within budget however many there are; it is weighed on its first page, a later one, the last,
narrowed by its filters, with nothing found and with values that name nothing), registers
once through the form (CSRF on) to reach the confirmation page, then fetches each page as a
first-time visitor would: the HTML, then every stylesheet, script,
icon, image and preload it references (and anything a stylesheet pulls in with url() or
@import). Bytes are counted as gunicorn sends them (no compression) and gzip-compressed at
level 6 (what nginx sends with docs/deploy/nginx-koosloome.conf). Targets: at most 30 KB
(30 720 bytes) and at most 4 requests per page, every referenced URL on our own origin.
Sizes do not depend on machine load, so one run is enough.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import re
import sys
import tempfile
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4
RESOURCE_RELS = {"stylesheet", "icon", "shortcut icon", "apple-touch-icon", "preload",
                 "modulepreload", "manifest"}


class ResourceFinder(HTMLParser):
    """Collects the URLs a browser fetches while loading the page (not links to follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Stylesheets, icons, preloads, scripts, images, media, frames, inline-style urls."""
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("rel", "").lower() in RESOURCE_RELS:
            self.urls.append(values.get("href", ""))
        elif tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and \
                values.get("src"):
            self.urls.append(values["src"])
        elif tag == "object" and values.get("data"):
            self.urls.append(values["data"])
        if "srcset" in values:
            self.urls += [part.strip().split(" ")[0] for part in values["srcset"].split(",")]
        if "style" in values:
            self.urls += css_urls(values["style"])


def css_urls(css: str) -> list[str]:
    """URLs a stylesheet loads: url(...) and @import."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css)
    return [url for url in found if not url.startswith("data:")]


class Browser:
    """A minimal first-time visitor: one keep-alive connection, cookies, no cache."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send one request on the connection; remember cookies."""
        all_headers = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, urlsplit(url).path + (
            "?" + urlsplit(url).query if urlsplit(url).query else ""), body, all_headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def weigh(browser: Browser, url: str, origin: str) -> dict[str, object]:
    """Fetch a page and everything it references; sizes, requests, foreign URLs."""
    status, headers, html = browser.request("GET", url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    finder = ResourceFinder()
    finder.feed(html.decode("utf-8"))
    # A data: URI (the inline favicon) is part of the HTML already counted, not a request.
    queue = [urljoin(url, ref) for ref in finder.urls if ref and not ref.startswith("data:")]
    seen: list[str] = []
    foreign: list[str] = []
    kinds = {"html": [len(html), len(gzip.compress(html, 6))]}
    while queue:
        resource = queue.pop(0)
        if resource in seen:
            continue
        seen.append(resource)
        parts = urlsplit(resource)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            foreign.append(resource)
            continue
        code, resource_headers, body = browser.request("GET", resource)
        if code != 200:
            raise RuntimeError(f"{resource} (from {url}) answered {code}")
        kind = resource_kind(resource, resource_headers.get("content-type", ""))
        if kind == "css":
            queue += [urljoin(resource, ref) for ref in css_urls(body.decode("utf-8"))
                      if not ref.startswith("data:")]
        sizes = kinds.setdefault(kind, [0, 0])
        sizes[0] += len(body)
        sizes[1] += len(gzip.compress(body, 6)) if kind != "other" else len(body)
    total = sum(size[0] for size in kinds.values())
    total_gzip = sum(size[1] for size in kinds.values())
    return {"url": urlsplit(url).path, "kinds": kinds, "bytes": total,
            "gzip_bytes": total_gzip, "requests": 1 + len(seen), "foreign": foreign,
            "resources": [urlsplit(r).path for r in seen],
            "html_cache": headers.get("cache-control", "")}


def resource_kind(url: str, content_type: str) -> str:
    """css, js, icon or other."""
    if "css" in content_type or url.endswith(".css"):
        return "css"
    if "javascript" in content_type or url.endswith(".js"):
        return "js"
    if "image" in content_type:
        return "icon"
    return "other"


def register_once(browser: Browser, slug: str) -> str:
    """GET the form, POST it with the CSRF token; the confirmation page's path."""
    _status, _headers, html = browser.request("GET", f"{browser.base}/events/{slug}/register")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert token is not None, "no CSRF token in the form"
    # A phone number only: the answer is a redirect to the manage page (with an e-mail
    # address the link would go by e-mail, and the page would be the confirmation).
    body = (f"csrf_token={token.group(1).decode()}&name=Mari+Tamm&phone=%2B372+5123+4567"
            "&consent_privacy=y&language=et")
    status, headers, _ = browser.request(
        "POST", f"{browser.base}/events/{slug}/register", body,
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (302, 303), f"registration answered {status}"
    return headers["location"]


def main() -> None:
    """Weigh every public page; exit 1 when a page breaks a target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000,
                        help="upcoming events besides the one registered for")
    parser.add_argument("--json", help="also write raw results here")
    args = parser.parse_args()
    info = h.machine()
    next_month = (date.today().replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    with tempfile.TemporaryDirectory(prefix="koosloome-weight-") as instance, \
            h.database("sqlite", "koosloome_weight") as url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        h.make_event(app, "kaasava-disaini-seminar", 40,
                     summary_et="Seminar kaasavast disainist.",
                     description_et="Kuidas teha teenuseid koos inimestega, keda need puudutavad.")
        h.seed_events(app, args.events)
        port = h.free_port()
        with h.Gunicorn("wsgi:app", h.koosloome_env(url, instance, port), port=port,
                        name="koosloome") as server:
            # Each page as a first-time visitor: a fresh connection and an empty cache.
            manage = register_once(Browser(server.url), "kaasava-disaini-seminar")
            pages = [
                ("home", "/"),
                ("home, page 2", "/?page=2"),
                ("home, page past the end (the last)", "/?page=99999"),
                ("home, kind and county", "/?kind=workshop&county=tartu"),
                ("home, partner and kind, page 5", "/?partner=tas&kind=seminar&page=5"),
                ("home, next month", f"/?month={next_month}"),
                ("home, nothing matches", "/?kind=study_trip&county=harju"),
                ("home, values naming nothing", "/?page=abc&month=2026-13&kind=picnic"),
                ("event page", "/events/kaasava-disaini-seminar"),
                ("registration form", "/events/kaasava-disaini-seminar/register"),
                ("confirmation / manage", urlsplit(urljoin(server.url, manage)).path
                 + "?new=1"),
                ("lost link", "/lost-link"),
                ("help", "/help"),
                ("accessibility statement", "/accessibility"),
                ("login", "/login"),
            ]
            results = []
            for name, path in pages:
                result = weigh(Browser(server.url), server.url + path, server.url)
                result["name"] = name
                results.append(result)
    rows, problems = [], []
    for r in results:
        kinds = r["kinds"]

        def size(kind: str, kinds: dict = kinds) -> str:
            raw, packed = kinds.get(kind, [0, 0])
            return f"{raw:,} ({packed:,})"

        rows.append([r["name"], size("html"), size("css"), size("js"), size("icon"),
                     f"{r['bytes']:,} ({r['gzip_bytes']:,})",
                     f"{r['bytes'] / BUDGET_BYTES:.0%} ({r['gzip_bytes'] / BUDGET_BYTES:.0%})",
                     r["requests"], len(r["foreign"])])
        if r["bytes"] > BUDGET_BYTES:
            problems.append(f"{r['name']}: {r['bytes']:,} bytes as served (budget "
                            f"{BUDGET_BYTES:,}); gzip {r['gzip_bytes']:,}")
        if r["requests"] > BUDGET_REQUESTS:
            problems.append(f"{r['name']}: {r['requests']} requests {r['resources']}")
        if r["foreign"]:
            problems.append(f"{r['name']}: third-party URLs {r['foreign']}")
    print("## Machine")
    h.print_machine(info)
    print("\n## Page weight (bytes as served by gunicorn; in brackets gzip -6 as nginx sends)\n")
    print(h.markdown_table(
        ["page", "HTML", "CSS", "JS", "icon", "total", "of 30 KB budget", "requests",
         "third-party"], rows))
    print("\nResources: " + ", ".join(sorted({p for r in results for p in r["resources"]})))
    print("\n## Targets (≤ 30 KB, ≤ 4 requests, same origin only)")
    print("\n".join(f"- {p}" for p in problems) if problems else "- all met")
    h.write_json(args.json, {"machine": info, "pages": results, "problems": problems})
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
