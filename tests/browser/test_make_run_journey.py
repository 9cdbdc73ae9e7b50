"""`make run` on another port (issue 16.3): the links the server sends point where it
listens. The real command, with its outbox worker, on a free port of 127.0.0.1 and a fresh
instance folder; a person registers in Chromium and opens the link from the e-mail."""

from __future__ import annotations

import email
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def make_run(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """`make run HOST=127.0.0.1 PORT=<free>` with an instance folder of its own."""
    instance = tmp_path_factory.mktemp("make-run-instance")
    port = _free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("KOOSLOOME_", "MAKE")) and key not in ("MFLAGS", "DATABASE_URL")}
    env["KOOSLOOME_INSTANCE_PATH"] = str(instance)
    env["KOOSLOOME_RATELIMIT_ENABLED"] = "false"
    server = subprocess.Popen(["make", "-s", "run", "HOST=127.0.0.1", f"PORT={port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    else:
        os.killpg(server.pid, 15)
        pytest.fail("make run did not answer within 120 s")
    yield base, instance / "mail"
    os.killpg(server.pid, 15)
    server.wait(timeout=30)


def _link_in_mail(mail: Path, address: str, timeout: float = 60) -> str:
    """The personal link in the confirmation the worker wrote for ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail.glob("*.eml")) if mail.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            if address in str(message["To"]):
                text = message.get_body(("plain",)).get_content()
                return re.search(r"https?://\S+/r/[\w-]+", text).group(0)
        time.sleep(0.5)
    raise AssertionError(f"no e-mail to {address} within {timeout} s")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["et", "en"])
def test_the_link_in_the_email_opens_on_the_port_make_run_listens_on(browser, make_run,
                                                                     language, javascript):
    base, mail = make_run
    address = f"port-{language}-{int(javascript)}@example.ee"
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "lang", "value": language, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/events/eakate-kaasamine-voru/register")
    page.fill("#name", "Pordi Proovija")
    page.fill("#email", address)
    page.check("#consent_privacy")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-receipt]")
    link = _link_in_mail(mail, address)
    assert link.startswith(f"{base}/r/"), link
    response = page.goto(link)
    assert response is not None and response.status == 200
    assert "Pordi Proovija" in page.inner_text("main")
    context.close()
