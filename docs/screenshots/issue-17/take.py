"""Screenshots of issue 17's pages on the demo data (Estonian, 1280 and 320 px wide): the Võru
seminar's arrangements, its call list and the drivers' route list; the group registration
form (with its error summary) and the village society's group page. Saved in this folder.

    .venv/bin/python docs/screenshots/issue-17/take.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from koosloome import create_app  # noqa: E402
from koosloome.accounts.partners import ensure_partners  # noqa: E402
from koosloome.demo import load_demo  # noqa: E402
from koosloome.events.models import Event  # noqa: E402
from koosloome.extensions import db  # noqa: E402
from koosloome.groups.models import RegistrationGroup  # noqa: E402

PAGES = {"arrangements": "/admin/events/{event}/arrangements",
         "calls": "/admin/events/{event}/calls",
         "routes": "/admin/events/{event}/pickups/routes"}


def main() -> None:
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shots.db",
                      "SECRET_KEY": "screenshots", "INSTANCE_PATH": folder,
                      "RATELIMIT_ENABLED": False, "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        db.create_all()
        ensure_partners()
        result = load_demo(app.instance_path, app.config["TIMEZONE"])
        db.session.commit()
        event = db.session.scalars(select(Event.id).where(
            Event.slug == "eakate-kaasamine-voru")).one()
        group_token = db.session.scalars(select(RegistrationGroup)).one().manage_token
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width in (1280, 320):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.add_cookies([{"name": "lang", "value": "et", "url": base}])
            page = context.new_page()
            page.goto(base + "/login")
            page.fill("#email", result.logins[0].email)
            page.fill("#password", result.logins[0].password)
            page.click("main button[type=submit]")
            page.wait_for_url("**/admin/")
            for name, path in PAGES.items():
                page.goto(base + path.format(event=event))
                page.screenshot(path=HERE / f"{name}-et-{width}.png", full_page=True)
            page.goto(base + "/events/eakate-kaasamine-voru/group?people=2")
            page.screenshot(path=HERE / f"group-form-et-{width}.png", full_page=True)
            page.click("main form button[type=submit]:not([name])")  # sent empty: the errors
            page.screenshot(path=HERE / f"group-errors-et-{width}.png")
            page.goto(base + f"/g/{group_token}")
            page.screenshot(path=HERE / f"group-page-et-{width}.png", full_page=True)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
