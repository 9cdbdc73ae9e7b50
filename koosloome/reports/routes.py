"""Back-office reports: attendance sheets, exports, needs overview, LEADER report, audit log.

Views load, check access, call one service and respond. Every file that holds personal data
is recorded in the audit log, committed before the file is produced.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.permissions import can_manage_event, can_see_health_data, staff_required
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.i18n import current_language
from koosloome.reports import participants
from koosloome.reports.attendance import attendance_pdf, sheet_for_event
from koosloome.reports.exports import registrations_sheet
from koosloome.reports.tabular import csv_lines, xlsx_bytes

bp = Blueprint("reports", __name__, url_prefix="/admin")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def _private(response: Response) -> Response:
    """Reports hold personal data: never stored by browsers or proxies, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _managed_event(event_id: int) -> Event:
    """The event, if the signed-in user manages it (404 / 403 otherwise)."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


def _flag(name: str) -> bool:
    return request.args.get(name) in ("1", "true", "yes")


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@bp.get("/events/<int:event_id>/attendance.pdf")
@staff_required()
def attendance_sheet(event_id: int) -> ResponseReturnValue:
    """The attendance sheet; ``?checked_in=1`` marks who checked in and when."""
    event = _managed_event(event_id)
    marked = _flag("checked_in")
    audit.record("export.attendance", user_id=current_user.id, object_type="event",
                 object_id=event.id, event_id=event.id, checked_in=marked)
    db.session.commit()
    event = _managed_event(event_id)
    data = participants.load(event, attending_only=True)
    pdf = attendance_pdf(sheet_for_event(data, mark_checked_in=marked))
    suffix = "-checked-in" if marked else ""
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{event.slug}-attendance{suffix}.pdf"'
    })


def _export_data(event_id: int, file_format: str) -> tuple[participants.EventRegistrations, bool]:
    """Check access, audit the export, then load the event's registrations for it."""
    event = _managed_event(event_id)
    health = _flag("health")
    if health and not can_see_health_data(current_user, event):
        abort(403)
    audit.record("export.health" if health else "export.registrations",
                 user_id=current_user.id, object_type="event", object_id=event.id,
                 event_id=event.id, format=file_format)
    db.session.commit()
    event = _managed_event(event_id)
    return participants.load(event, with_needs=health, with_answers=True), health


@bp.get("/events/<int:event_id>/registrations.csv")
@staff_required()
def export_csv(event_id: int) -> ResponseReturnValue:
    """The event's registrations as CSV, streamed; ``?health=1`` adds access needs."""
    data, health = _export_data(event_id, "csv")
    language = current_language()
    sheet = registrations_sheet(data, health=health, language=language)
    body = stream_with_context(csv_lines(sheet.header, sheet.rows, language))
    name = f"{data.event.slug}-registrations{'-health' if health else ''}.csv"
    return Response(body, mimetype="text/csv", headers=_attachment(name))


@bp.get("/events/<int:event_id>/registrations.xlsx")
@staff_required()
def export_xlsx(event_id: int) -> ResponseReturnValue:
    """The event's registrations as an Excel workbook; ``?health=1`` adds access needs."""
    data, health = _export_data(event_id, "xlsx")
    sheet = registrations_sheet(data, health=health, language=current_language())
    name = f"{data.event.slug}-registrations{'-health' if health else ''}.xlsx"
    return Response(xlsx_bytes([sheet]), mimetype=XLSX_MIMETYPE, headers=_attachment(name))
