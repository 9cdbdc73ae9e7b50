"""Travel details: the traveller's form (by their manage link) and the organisers' list."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    can_see_emergency_contacts,
    managed_event_or_abort,
    staff_required,
)
from koosloome.downloads import content_disposition
from koosloome.errors import InvalidFields
from koosloome.events import services as event_services
from koosloome.events.models import Event
from koosloome.events.trip_view import itinerary_view
from koosloome.form_fields import show_rule_errors
from koosloome.i18n import current_language, format_day
from koosloome.projects.labels import COST_LABELS
from koosloome.registrations.links import registration_for_token
from koosloome.registrations.models import Registration
from koosloome.reports.tabular import Sheet, xlsx_bytes
from koosloome.trips import costs as trip_costs
from koosloome.trips import lists, services
from koosloome.trips import report as trip_reports
from koosloome.trips.forms import (
    DOCUMENT_LABELS,
    ROOM_LABELS,
    CostForm,
    LeaderForm,
    TravelForm,
    report_form,
)
from koosloome.trips.leader import (
    can_name_leader,
    leader_choices,
    set_trip_leader,
    trip_leader,
)
from koosloome.trips.models import asks_for_travel, travel_of

bp = Blueprint("trips", __name__)
ORGANISERS = (Role.ADMIN, Role.ORGANISER)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def _private(response: Response) -> Response:
    # Documents, birth dates and emergency contacts: never kept by a browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


def _traveller_or_404(token: str) -> Registration:
    registration = registration_for_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.route("/r/<token>/travel", methods=["GET", "POST"])
def travel(token: str) -> ResponseReturnValue:
    """The traveller gives (or corrects) what the trip needs."""
    registration = _traveller_or_404(token)
    if not asks_for_travel(registration):
        return redirect(url_for("registrations.manage", token=token))
    details = travel_of(registration)
    form = TravelForm(obj=details, data={
        "document_type": details.document_type.value if details else "passport",
        "room": details.room.value if details else "either"})
    if form.is_submitted():
        valid = form.validate()  # and the trip's rules, so that every error shows at once
        rules = services.travel_rules(registration.event, form.values())
        show_rule_errors(form, rules)
        if valid and not rules:
            services.save_travel(registration, form.values())
            flash(_("Thank you: your travel details are saved."), "success")
            return redirect(url_for("registrations.manage", token=token))
    return render_template("trips/travel.html", form=form, registration=registration,
                           event=registration.event, token=token), \
        422 if form.errors else 200


@bp.get("/admin/events/<int:event_id>/travel")
@staff_required(*ORGANISERS)
def travel_list(event_id: int) -> str:
    """The travellers and their details, for the trip's organisers only (audited)."""
    event = managed_event_or_abort(event_id)
    people = services.travellers(event)
    audit.record_access("trip.travel_details.view", user_id=current_user.id,
                        object_type="event", object_id=event.id, event_id=event.id,
                        travellers=len(people))
    return _list_page(event, people)


def _list_page(event: Event, people: list[services.Traveller],
               form: LeaderForm | None = None) -> ResponseReturnValue:
    leader = trip_leader(event)
    if form is None:
        form = LeaderForm(formdata=None, data={"leader": str(leader.id) if leader else ""})
        form.set_choices(leader_choices(event))
    return render_template(
        "trips/list.html", event=event, people=people, documents=DOCUMENT_LABELS,
        rooms=ROOM_LABELS, leader=leader, form=form,
        can_name_leader=can_name_leader(current_user, event),
        emergency=can_see_emergency_contacts(current_user, event)), 422 if form.errors else 200


@bp.post("/admin/events/<int:event_id>/travel/leader")
@staff_required(*ORGANISERS)
def set_leader(event_id: int) -> ResponseReturnValue:
    """Name the trip's leader (who alone sees the emergency contacts)."""
    event = managed_event_or_abort(event_id)
    form = LeaderForm()
    form.set_choices(leader_choices(event))
    if form.validate_on_submit():
        try:
            set_trip_leader(event, form.leader_id(), current_user)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The trip leader is saved."), "success")
            return redirect(url_for(".travel_list", event_id=event.id))
    return _list_page(event, services.travellers(event), form)


@bp.get("/admin/events/<int:event_id>/travel.xlsx")
@staff_required(*ORGANISERS)
def travel_xlsx(event_id: int) -> Response:
    """The same list as a spreadsheet for the travel agency (audited)."""
    event = managed_event_or_abort(event_id)
    people = services.travellers(event)
    audit.record_access("trip.travel_details.export", user_id=current_user.id,
                        object_type="event", object_id=event.id, event_id=event.id,
                        travellers=len(people), format="xlsx")
    sheet = _sheet(people, current_language(),
                   emergency=can_see_emergency_contacts(current_user, event))
    return Response(xlsx_bytes([sheet]), mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": content_disposition(f"{event.slug}-travel.xlsx")})


@bp.get("/admin/events/<int:event_id>/travel/<name>.<file_format>")
@staff_required(*ORGANISERS)
def trip_list(event_id: int, name: str, file_format: str) -> Response:
    """The rooming list, passenger manifest or emergency contacts, as PDF or XLSX
    (audited: they carry the travellers' details)."""
    event = managed_event_or_abort(event_id)
    if name not in lists.LISTS or file_format not in ("pdf", "xlsx"):
        abort(404)
    if name == "emergency" and not can_see_emergency_contacts(current_user, event):
        abort(403)
    people = services.travellers(event)
    audit.record_access("trip.travel_details.export", user_id=current_user.id,
                        object_type="event", object_id=event.id, event_id=event.id,
                        travellers=len(people), format=f"{name}.{file_format}")
    language = current_language()
    sheet = lists.BUILDERS[name](people, language)
    filename = f"{event.slug}-{name}.{file_format}"
    headers = {"Content-Disposition": content_disposition(filename)}
    if file_format == "pdf":
        return Response(lists.sheet_pdf(event, sheet, language), mimetype="application/pdf",
                        headers=headers)
    return Response(xlsx_bytes([sheet]), mimetype=XLSX_MIMETYPE, headers=headers)


@bp.route("/admin/events/<int:event_id>/costs", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def costs(event_id: int) -> ResponseReturnValue:
    """The trip's actual costs by category, and the form to add one."""
    event = managed_event_or_abort(event_id)
    form = CostForm()
    if form.validate_on_submit():
        trip_costs.add_cost(event, form.values(), current_user)
        flash(_("The cost is added."), "success")
        return redirect(url_for(".costs", event_id=event.id))
    return render_template("trips/costs.html", event=event, form=form,
                           summary=trip_costs.trip_costs(event, current_user),
                           labels=COST_LABELS), \
        422 if form.errors else 200


@bp.post("/admin/events/<int:event_id>/costs/<int:cost_id>/delete")
@staff_required(*ORGANISERS)
def delete_cost(event_id: int, cost_id: int) -> ResponseReturnValue:
    """Take back a cost entered by mistake."""
    event = managed_event_or_abort(event_id)
    cost = trip_costs.find_cost(event, cost_id, current_user)
    if cost is None:
        abort(404)
    try:
        trip_costs.remove_cost(cost, current_user)
    except InvalidFields as refused:
        flash(refused.errors["amount"][0], "error")
        return redirect(url_for(".costs", event_id=event.id))
    flash(_("The cost is removed."), "success")
    return redirect(url_for(".costs", event_id=event.id))


@bp.route("/admin/events/<int:event_id>/report", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def trip_report(event_id: int) -> ResponseReturnValue:
    """Write the trip report, stop by stop, and publish it."""
    event = managed_event_or_abort(event_id)
    report = trip_reports.report_of(event)
    stops = trip_reports.stops_of(event)
    data: dict[str, object] = {"publish": report is not None and report.published_at is not None}
    for stop in stops:
        data[f"stop_{stop.id}_et"], data[f"stop_{stop.id}_en"] = stop.learned_et, stop.learned_en
    form = report_form(stops, obj=report, data=data)
    if form.validate_on_submit():
        trip_reports.save_report(event, form.values(), form.learned(), current_user)
        flash(_("The report is saved."), "success")
        return redirect(url_for(".trip_report", event_id=event.id))
    return render_template("trips/report_form.html", event=event, form=form, report=report,
                           days=itinerary_view(event, current_language())), \
        422 if form.errors else 200


@bp.get("/events/<slug>/learned")
def learned(slug: str) -> str:
    """The trip's public "what we learned" page, once the report is published."""
    event = event_services.public_event(slug)
    report = trip_reports.published_report(event) if event is not None else None
    if report is None:
        abort(404)
    return render_template("trips/learned.html", event=event, report=report,
                           days=itinerary_view(event, current_language()))


def _sheet(people: list[services.Traveller], language: str, *, emergency: bool) -> Sheet:
    """Every detail; the emergency contacts only for who may see them (the trip leader)."""
    with force_locale(language):
        header = [_("Name"), _("Name as in the document"), _("Date of birth"),
                  _("Travel document"), _("Valid until"), _("Document number"),
                  _("Emergency contact"), _("Their phone"), _("EHIC"), _("Room"),
                  _("Shares with"), _("On the bus"), _("Diet or allergies")]
        yes_no = {True: _("Yes"), False: _("No"), None: ""}
        rows = []
        for person in people:
            d = person.details
            if d is None:
                rows.append([person.registration.name, _("not given yet")] + [""] * 11)
                continue
            rows.append([person.registration.name, d.document_name,
                         format_day(d.date_of_birth, language),
                         str(DOCUMENT_LABELS[d.document_type]),
                         format_day(d.document_expiry, language), d.document_number,
                         d.emergency_name, d.emergency_phone, yes_no[d.ehic],
                         str(ROOM_LABELS[d.room]), d.room_with, d.bus_needs, d.diet])
        if not emergency:
            header = header[:6] + header[8:]
            rows = [row[:6] + row[8:] for row in rows]
        return Sheet(_("Travellers"), header, rows)

