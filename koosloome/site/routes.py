"""Language switch, help page and the health check."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from koosloome.branding import logo_path
from koosloome.extensions import db
from koosloome.i18n import LANGUAGE_COOKIE
from koosloome.site.display import DISPLAY_COOKIE, SETTINGS, current_settings, toggled
from koosloome.urls import safe_next

bp = Blueprint("site", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/language/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Remember the chosen language in a cookie and go back to the page."""
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=current_app.config["BASE_URL"].startswith("https://"),
            httponly=True,
        )
    return response


@bp.get("/display/<setting>")
def toggle_display(setting: str) -> ResponseReturnValue:
    """Switch larger text or high contrast on or off, remember it, and go back."""
    response = redirect(safe_next(request.args.get("next")))
    if setting in SETTINGS:
        value = toggled(current_settings(), setting)
        response.set_cookie(
            DISPLAY_COOKIE, value, max_age=ONE_YEAR, samesite="Lax", httponly=True,
            secure=current_app.config["BASE_URL"].startswith("https://"),
        )
    return response


@bp.get("/accessibility")
def accessibility_statement() -> str:
    """What we test, how, what we know is not yet right, and whom to tell."""
    return render_template("site/accessibility.html")


@bp.get("/help")
def help_page() -> str:
    """How to get help: phone, e-mail, and what the organisers can arrange."""
    return render_template("site/help.html")


@bp.get("/privacy")
def privacy() -> str:
    """The privacy notice: what is kept, why, for how long, who sees it, and the rights."""
    return render_template(
        "site/privacy.html",
        health_days=current_app.config["HEALTH_DATA_RETENTION_DAYS"],
        personal_months=current_app.config["PERSONAL_DATA_RETENTION_MONTHS"],
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 after a database round trip, 503 when the database cannot be reached."""
    try:
        # A connection of its own: a failure leaves no session to clean up.
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/logos/<int:index>")
def logo(index: int) -> ResponseReturnValue:
    """A configured funder's logo, for the footer of every page (cached a day)."""
    path = logo_path(index)
    if path is None:
        abort(404)
    # Read whole (a logo is small), so that no file stays open after the answer.
    return send_file(io.BytesIO(path.read_bytes()), download_name=path.name, max_age=86400)
