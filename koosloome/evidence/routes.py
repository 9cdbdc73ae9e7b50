"""Downloading an event's evidence pack (PDF, or ZIP with its parts); every download is logged."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import managed_event_or_abort as _event
from koosloome.accounts.permissions import staff_required
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.evidence.pack import gather, pack_pdf, pack_zip

bp = Blueprint("evidence", __name__, url_prefix="/admin/events")


def _download(event: Event, body: bytes, kind: str, mimetype: str) -> Response:
    audit.record_access("evidence.download", user_id=current_user.id, object_type="event",
                 object_id=event.id, event_id=event.id, format=kind)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": content_disposition(f"toendid-{event.slug}.{kind}"),
        "Cache-Control": "no-store",
    })


@bp.get("/<int:event_id>/evidence.pdf")
@staff_required(Role.ADMIN, Role.ORGANISER)
def pdf(event_id: int) -> Response:
    """The whole pack as one PDF."""
    event = _event(event_id)
    return _download(event, pack_pdf(gather(event)), "pdf", "application/pdf")


@bp.get("/<int:event_id>/evidence.zip")
@staff_required(Role.ADMIN, Role.ORGANISER)
def zip_file(event_id: int) -> Response:
    """The pack and its parts (attendance sheet PDF, feedback CSV, board summary)."""
    event = _event(event_id)
    return _download(event, pack_zip(gather(event)), "zip", "application/zip")
