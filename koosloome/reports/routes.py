"""Back-office reports: attendance sheets, exports, needs overview, LEADER report, audit log.

Views load, check access, call one service and respond. Every file that holds personal data
is recorded in the audit log, committed before the file is produced.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    can_administer,
    can_see_health_data,
    can_see_reports,
    staff_required,
)
from koosloome.accounts.permissions import managed_event_or_abort as _managed_event
from koosloome.arrangements import services as arrangements
from koosloome.arrangements.kinds import STATUS_LABELS
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.events.trip_view import day_labels as trip_day_labels
from koosloome.i18n import current_language
from koosloome.projects.budget import budget_figures, spent_by_line
from koosloome.projects.costs import visible_costs
from koosloome.projects.labels import INDICATOR_LABELS
from koosloome.projects.models import Cost, Project
from koosloome.projects.routes import cost_filter, cost_filter_form
from koosloome.projects.services import the_project
from koosloome.registrations.models import RegistrationStatus
from koosloome.reports import audit_log as audit_log_service
from koosloome.reports import leader, needs, participants
from koosloome.reports.attendance import (
    AttendanceSheet,
    attendance_pdf,
    attendance_tables,
    sheet_for_event,
    sheets_for_days,
)
from koosloome.reports.claim import claim_sheets, claim_zip
from koosloome.reports.exports import registrations_sheet
from koosloome.reports.forms import AuditFilterForm, LeaderReportForm
from koosloome.reports.indicators import project_indicators
from koosloome.reports.labels import SECTOR_LABELS
from koosloome.reports.leader_pdf import leader_pdf
from koosloome.reports.tabular import csv_lines, csv_text, xlsx_bytes

bp = Blueprint("reports", __name__, url_prefix="/admin")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def _private(response: Response) -> Response:
    """Reports hold personal data: never stored by browsers or proxies, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _flag(name: str) -> bool:
    return request.args.get(name) in ("1", "true", "yes")


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(filename)}


@bp.get("/events/<int:event_id>/attendance.pdf")
@staff_required()
def attendance_sheet(event_id: int) -> ResponseReturnValue:
    """The attendance sheet; ``?checked_in=1`` marks who checked in and when."""
    event = _managed_event(event_id)
    marked = _flag("checked_in")
    audit.record_access("export.attendance", user_id=current_user.id, object_type="event",
                 object_id=event.id, event_id=event.id, checked_in=marked)
    pdf = attendance_pdf(*_attendance_sheets(event, marked))
    suffix = "-checked-in" if marked else ""
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": content_disposition(f"{event.slug}-attendance{suffix}.pdf")
    })


@bp.get("/events/<int:event_id>/attendance.xlsx")
@staff_required()
def attendance_xlsx(event_id: int) -> ResponseReturnValue:
    """The attendance sheet as a spreadsheet (a worksheet per day of a trip); the same
    ``?checked_in=1``."""
    event = _managed_event(event_id)
    marked = _flag("checked_in")
    audit.record_access("export.attendance", user_id=current_user.id, object_type="event",
                        object_id=event.id, event_id=event.id, checked_in=marked, format="xlsx")
    suffix = "-checked-in" if marked else ""
    return Response(xlsx_bytes(attendance_tables(*_attendance_sheets(event, marked))),
                    mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": content_disposition(
                        f"{event.slug}-attendance{suffix}.xlsx")})


def _attendance_sheets(event: Event, marked: bool) -> list[AttendanceSheet]:
    sheet = sheet_for_event(participants.load(event, attending_only=True),
                            mark_checked_in=marked)
    days = trip_day_labels(event)
    # A trip's sheet is signed day by day (unless the check-ins are asked for).
    return sheets_for_days(sheet, days) if days and not marked else [sheet]


def _export_data(event_id: int, file_format: str) -> tuple[participants.EventRegistrations, bool]:
    """Check access, audit the export, then load the event's registrations for it."""
    event = _managed_event(event_id)
    health = _flag("health")
    if health and not can_see_health_data(current_user, event):
        abort(403)
    audit.record_access("export.health" if health else "export.registrations",
                 user_id=current_user.id, object_type="event", object_id=event.id,
                 event_id=event.id, format=file_format)
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


def _confirmed_with_needs(event: Event) -> participants.EventRegistrations:
    return participants.load(event, statuses=[RegistrationStatus.CONFIRMED], with_needs=True)


@bp.get("/events/<int:event_id>/needs")
@staff_required(Role.ADMIN, Role.ORGANISER)
def needs_overview(event_id: int) -> ResponseReturnValue:
    """Counts for the venue and catering; ``?names=1`` adds the named list (audited)."""
    event = _managed_event(event_id)
    show_names = _flag("names")
    allowed = can_see_health_data(current_user, event)
    if show_names and not allowed:
        abort(403)
    data = _confirmed_with_needs(event)
    summary = needs.summarise(data.registrations, data.needs)
    people = []
    if show_names:
        people = needs.named_list(data.registrations, data.needs)
        audit.record_access("view.health", user_id=current_user.id, object_type="event",
                     object_id=event.id, event_id=event.id, people=len(people))
    return render_template(
        "reports/needs.html", event=event, summary=summary, people=people,
        show_names=show_names, may_see_names=allowed,
        arrangement_lines=arrangements.lines(event), status_labels=STATUS_LABELS,
    )


@bp.get("/events/<int:event_id>/transport")
@staff_required(Role.ADMIN, Role.ORGANISER)
def transport(event_id: int) -> ResponseReturnValue:
    """The transport list for the driver: pick-up place, phone, companion and wheelchair."""
    event = _managed_event(event_id)
    if not can_see_health_data(current_user, event):
        abort(403)
    data = participants.load(event, statuses=[RegistrationStatus.CONFIRMED])
    rows = needs.transport_list(data.registrations)
    audit.record_access("view.transport", user_id=current_user.id, object_type="event",
                 object_id=event.id, event_id=event.id, people=len(rows))
    return render_template("reports/transport.html", event=event, rows=rows)


def _leader_form() -> LeaderReportForm:
    """The filter from the query string, or the defaults (the whole project, both partners)."""
    if request.args:
        return LeaderReportForm(formdata=request.args)
    start, end = leader.default_period()  # only when no period was asked for: one query
    return LeaderReportForm(formdata=None, start=start, end=end)


def _leader_filter(form: LeaderReportForm) -> leader.ReportFilter:
    return leader.ReportFilter(form.start.data, form.end.data, form.partner.data or "all")


@bp.get("/reports/leader")
@staff_required(Role.ADMIN, Role.ORGANISER)
def leader_report() -> ResponseReturnValue:
    """The LEADER report page with its filter form and download links."""
    if not can_see_reports(current_user):
        abort(403)
    form = _leader_form()
    if request.args and not form.validate():
        return render_template("reports/leader.html", form=form, report=None), 422
    report = leader.leader_report(_leader_filter(form))
    query = {"start": form.start.data.isoformat(), "end": form.end.data.isoformat(),
             "partner": form.partner.data}
    return render_template("reports/leader.html", form=form, report=report, query=query,
                           period=leader.period_text(report.filter),
                           cell_text=leader.cell_text, is_number=leader.is_number)


def _leader_download() -> leader.LeaderReport:
    if not can_see_reports(current_user):
        abort(403)
    form = _leader_form()
    if request.args and not form.validate():
        abort(400)
    return leader.leader_report(_leader_filter(form))


def _leader_filename(report: leader.LeaderReport, extension: str) -> str:
    return (f"leader-{report.filter.partner}-{report.filter.start.isoformat()}"
            f"-{report.filter.end.isoformat()}.{extension}")


@bp.get("/reports/leader.csv")
@staff_required(Role.ADMIN, Role.ORGANISER)
def leader_csv() -> ResponseReturnValue:
    """The LEADER report's tables in one CSV file."""
    report = _leader_download()
    text = csv_text(leader.report_sheets(report, typed=False), current_language())
    return Response(text, mimetype="text/csv",
                    headers=_attachment(_leader_filename(report, "csv")))


@bp.get("/reports/leader.xlsx")
@staff_required(Role.ADMIN, Role.ORGANISER)
def leader_xlsx() -> ResponseReturnValue:
    """The LEADER report as a workbook, one sheet per table."""
    report = _leader_download()
    return Response(xlsx_bytes(leader.report_sheets(report, typed=True)),
                    mimetype=XLSX_MIMETYPE,
                    headers=_attachment(_leader_filename(report, "xlsx")))


@bp.get("/reports/leader.pdf")
@staff_required(Role.ADMIN, Role.ORGANISER)
def leader_pdf_download() -> ResponseReturnValue:
    """The LEADER report as an A4 PDF."""
    report = _leader_download()
    return Response(leader_pdf(report), mimetype="application/pdf", headers={
        "Content-Disposition": content_disposition(_leader_filename(report, "pdf"))
    })


def _int_arg(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.get("/audit")
@staff_required(Role.ADMIN)
def audit_log() -> ResponseReturnValue:
    """The audit log for admins, filtered by user, action, event and dates, paginated."""
    if not can_administer(current_user):
        abort(403)
    form = AuditFilterForm(formdata=request.args)
    everyone = str(_("Any"))
    for name, options in audit_log_service.filter_choices().items():
        getattr(form, name).choices = [SelectChoice("", everyone)] + [
            SelectChoice(value, text) for value, text in options
        ]
    if not form.validate():
        return render_template("reports/audit.html", form=form, page=None), 422
    audit_filter = audit_log_service.AuditFilter(
        user_id=_int_arg(form.user.data), action=form.action.data or None,
        event_id=_int_arg(form.event.data), start=form.start.data, end=form.end.data,
        page=_int_arg(request.args.get("page")) or 1,
    )
    page = audit_log_service.audit_page(audit_filter)
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("reports/audit.html", form=form, page=page, query=query)


# --- the project: its dashboard and the payment claim -----------------------------------


@bp.get("/project")
@staff_required(Role.ADMIN, Role.ORGANISER)
def project_dashboard() -> ResponseReturnValue:
    """Both partners' budgets against their costs, and the indicators against the targets."""
    project = the_project()
    if project is None:
        return render_template("reports/project.html", project=None)
    figures = budget_figures(project, spent_by_line(project))
    return render_template(
        "reports/project.html", project=project, budget=figures,
        indicators=project_indicators(project), labels=INDICATOR_LABELS,
        sector_labels=SECTOR_LABELS, may_edit=can_administer(current_user))


def _claimed_costs(file_format: str) -> tuple[Project | None, list[Cost]]:
    """The project and the costs of the ledger's filter (400 for a wrong one), with the
    download on record."""
    project = the_project()
    form = cost_filter_form(project)
    if form.errors:
        abort(400)
    costs = visible_costs(current_user, cost_filter(form))
    audit.record_access("export.claim", user_id=current_user.id, object_type="cost",
                        costs=len(costs), format=file_format)
    return project, costs


@bp.get("/costs/claim.zip")
@staff_required(Role.ADMIN, Role.ORGANISER)
def claim_zip_download() -> ResponseReturnValue:
    """The payment-claim workbook with the costs' invoices and receipts."""
    project, costs = _claimed_costs("zip")
    return Response(claim_zip(project, costs), mimetype="application/zip",
                    headers=_attachment("maksetaotlus.zip"))


@bp.get("/costs/claim.xlsx")
@staff_required(Role.ADMIN, Role.ORGANISER)
def claim_xlsx() -> ResponseReturnValue:
    """The costs of the ledger's filter as a payment-claim workbook."""
    project, costs = _claimed_costs("xlsx")
    return Response(xlsx_bytes(claim_sheets(project, costs)),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers=_attachment("maksetaotlus.xlsx"))
