"""The back office start page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import staff_required
from koosloome.admin.dashboard import dashboard_rows, failed_email_count

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@staff_required()
def dashboard() -> str:
    """Coming events with fill rate, waiting lists, applications, needs and transport."""
    organisers = current_user.role in (Role.ADMIN, Role.ORGANISER)
    return render_template(
        "admin/dashboard.html",
        rows=dashboard_rows(current_user) if organisers else [],
        failed_emails=failed_email_count() if organisers else 0,
    )
