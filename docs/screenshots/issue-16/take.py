"""Screenshots at 320 px of the Rõuge event page, the error summary and a cancelled
registration, for the checkout CHECKOUT, saved as /tmp/shots/PREFIX-*-{et,en}.png.

    .venv/bin/python docs/screenshots/issue-16/take.py CHECKOUT PREFIX

The before set came from ``git worktree add /tmp/before c1691d2``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

CHECKOUT, PREFIX = sys.argv[1], sys.argv[2]
sys.path.insert(0, CHECKOUT)
os.chdir(CHECKOUT)

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from koosloome import create_app  # noqa: E402
from koosloome.accounts.partners import ensure_partners  # noqa: E402
from koosloome.demo import load_demo  # noqa: E402
from koosloome.extensions import db  # noqa: E402
from koosloome.registrations.models import Registration  # noqa: E402

OUT = Path(tempfile.gettempdir()) / "shots"


def serve_demo() -> tuple[object, str]:
    """The checkout's app with the demo data, served from a thread; the app and its URL."""
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shots.db",
                      "SECRET_KEY": "screenshots", "INSTANCE_PATH": folder,
                      "RATELIMIT_ENABLED": False, "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        db.create_all()
        ensure_partners()
        load_demo(app.instance_path, app.config["TIMEZONE"])
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, f"http://127.0.0.1:{server.server_port}"


def take(page, app, base: str, language: str) -> None:
    """The three pages in ``language``."""
    page.goto(base + "/events/koosloome-tootuba-rouge")
    page.screenshot(path=OUT / f"{PREFIX}-rouge-{language}.png", full_page=True)
    page.goto(base + "/events/eakate-kaasamine-voru/register")
    page.check("#needs_mobility-0")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    page.screenshot(path=OUT / f"{PREFIX}-errors-{language}.png")
    address = f"shot-{language}@example.ee"
    page.goto(base + "/events/eakate-kaasamine-voru/register")
    page.fill("#name", "Mari Tamm")
    page.fill("#email", address)
    page.check("#companion")
    page.check("#consent_privacy")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    with app.app_context():
        token = db.session.scalars(
            select(Registration).where(Registration.email == address)).one().manage_token
    page.goto(base + f"/r/{token}/cancel")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=OUT / f"{PREFIX}-cancelled-{language}.png", full_page=True)


def main() -> None:
    """Serve the demo and take every screenshot in both languages."""
    OUT.mkdir(exist_ok=True)
    app, base = serve_demo()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"])
        for language in ("et", "en"):
            context = browser.new_context(viewport={"width": 320, "height": 640})
            context.add_cookies([{"name": "lang", "value": language, "url": base}])
            take(context.new_page(), app, base, language)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
