"""The back office for organisers and facilitators."""

from __future__ import annotations

from flask import Blueprint, render_template

from koosloome.accounts.permissions import staff_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@staff_required()
def dashboard() -> str:
    """The staff start page."""
    return render_template("admin/dashboard.html")
