"""The back-office page that shows what personal data is still held and when it goes."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import staff_required
from koosloome.announcements.services import subscriber_counts
from koosloome.db import utcnow
from koosloome.privacy.services import RetentionPolicy, retention_overview
from koosloome.security import no_store

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


@bp.get("/")
@staff_required(Role.ADMIN)
@no_store
def overview() -> str:
    """Per event: registrations still holding health or personal data, and the purge dates;
    the addresses held for announcements."""
    policy = RetentionPolicy.from_config(current_app.config)
    rows = retention_overview(utcnow(), policy)
    return render_template("privacy/overview.html", rows=rows, policy=policy,
                           subscribers=subscriber_counts())
