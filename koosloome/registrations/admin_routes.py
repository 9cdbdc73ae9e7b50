"""Back office for registrations: list and search, detail, decisions, notes, phone
registrations, and check-in at the door (works on a phone, without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import can_manage_event, can_see_health_data, staff_required
from koosloome.accounts.permissions import managed_event_or_abort as _event
from koosloome.errors import back_to
from koosloome.extensions import db
from koosloome.groups.models import group_of
from koosloome.i18n import current_language
from koosloome.registrations import services, staff
from koosloome.registrations.door import door_needs
from koosloome.registrations.forms import NoteForm, WalkInForm, form_for_event
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus
from koosloome.registrations.summary import manage_summary
from koosloome.seating import counts
from koosloome.urls import safe_next

bp = Blueprint("registration_admin", __name__, url_prefix="/admin")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)
Status = RegistrationStatus


def _registration(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        abort(404)
    if not can_manage_event(current_user, registration.event):
        abort(403)
    return registration


def _status_filter(value: str | None) -> Status | None:
    return Status(value) if value in {status.value for status in Status} else None


@bp.get("/events/<int:event_id>/registrations")
@staff_required(*ORGANISERS)
def list_registrations(event_id: int) -> str:
    """The event's registrations with status filters and search."""
    event = _event(event_id)
    chosen = staff.RegistrationFilter(status=_status_filter(request.args.get("status")),
                                      search=request.args.get("q", "")[:100])
    return render_template(
        "admin/registrations/list.html",
        event=event,
        registrations=staff.find_registrations(event, chosen),
        chosen=chosen,
        counts=staff.status_counts(event),
        show_health=can_see_health_data(current_user, event),
    )


@bp.get("/registrations/<int:registration_id>")
@staff_required(*ORGANISERS)
def detail(registration_id: int) -> str:
    """One registration; viewing its health data is written to the audit log."""
    registration = _registration(registration_id)
    show_health = can_see_health_data(current_user, registration.event)
    summary = manage_summary(registration, current_language())
    if show_health and summary["access"]:
        staff.record_health_view(registration, current_user)
    return render_template(
        "admin/registrations/detail.html",
        registration=registration,
        event=registration.event,
        summary=summary,
        show_health=show_health,
        position=counts.waitlist_position(registration),
        note_form=NoteForm(formdata=None, note=registration.internal_note),
        manage_link=registration.manage_url,
        group=group_of(registration),
    )


#: status → (the question asked before it, whether it needs that confirmation step)
DECISIONS = {
    Status.CONFIRMED: False,
    Status.REJECTED: True,
    Status.CANCELLED: True,
}


@bp.route("/registrations/<int:registration_id>/status", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
@back_to(".detail", registration_id="registration_id")
def change_status(registration_id: int) -> ResponseReturnValue:
    """Approve, promote, reject or cancel; rejecting and cancelling ask first."""
    registration = _registration(registration_id)
    target = _status_filter(request.values.get("to"))
    if target not in DECISIONS:
        abort(400)
    if request.method == "GET":
        return render_template("admin/registrations/confirm_status.html",
                               registration=registration, target=target)
    promoted = services.change_status(registration, target, current_user)
    flash(_("Saved. The participant will be told."), "success")
    if promoted:
        flash(_("%(count)d people from the waiting list got a seat.", count=len(promoted)),
              "success")
    return redirect(url_for(".detail", registration_id=registration.id))


@bp.post("/registrations/<int:registration_id>/note")
@staff_required(*ORGANISERS)
def note(registration_id: int) -> ResponseReturnValue:
    """Save the internal note."""
    registration = _registration(registration_id)
    form = NoteForm()
    if form.validate_on_submit():
        staff.set_note(registration, form.note.data or "", current_user)
        flash(_("The note is saved."), "success")
        return redirect(url_for(".detail", registration_id=registration.id))
    flash(_("The note is too long."), "error")
    return redirect(url_for(".detail", registration_id=registration.id))


@bp.route("/events/<int:event_id>/registrations/new", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def phone_registration(event_id: int) -> ResponseReturnValue:
    """Register someone who phoned: a phone number alone is enough."""
    event = _event(event_id)
    form = form_for_event(event, current_language(), data={"language": "et"})
    if form.validate_on_submit():
        try:
            outcome = services.register(event, form.to_data(), RegistrationSource.PHONE)
        except services.AlreadyRegistered as already:
            flash(_("This e-mail address is already registered for this event"), "error")
            return redirect(url_for(".detail", registration_id=already.registration.id))
        except services.RegistrationClosed:
            form.form_errors.append(_("This event takes no registrations any more."))
        except services.InvalidRegistration as invalid:
            form.add_rule_errors(invalid.errors)
        else:
            return redirect(url_for(".confirmation", registration_id=outcome.registration.id))
    return render_template("admin/registrations/phone.html", event=event, form=form,
                           availability=counts.availability([event])[event.id]), \
        422 if form.errors else 200


@bp.get("/registrations/<int:registration_id>/confirmation")
@staff_required(*ORGANISERS)
def confirmation(registration_id: int) -> str:
    """A confirmation to read out on the phone or print and post."""
    registration = _registration(registration_id)
    return render_template("admin/registrations/confirmation.html", registration=registration,
                           event=registration.event,
                           position=counts.waitlist_position(registration),
                           manage_link=registration.manage_url)


@bp.get("/events/<int:event_id>/check-in")
@staff_required(*ORGANISERS)
def check_in_list(event_id: int) -> str:
    """Confirmed participants with one-tap check-in, searchable, for a phone at the door."""
    event = _event(event_id)
    search = request.args.get("q", "")[:100]
    people = staff.find_registrations(
        event, staff.RegistrationFilter(status=Status.CONFIRMED, search=search)
    )
    arrived = sum(1 for person in people if person.checked_in_at)
    needs = {person.id: door_needs(person) for person in people}
    html = render_template("admin/registrations/check_in.html", event=event, people=people,
                           search=search, arrived=arrived, needs=needs)
    # After rendering: the audit entry commits at once, which would expire (and reload, one
    # by one) every row the page reads. Nothing is sent before it is on record.
    _audit_door_view(event.id, sum(1 for shown in needs.values() if shown))
    return html


def _audit_door_view(event_id: int, people: int, registration_id: int | None = None) -> None:
    """Seeing needs at the door is a read of health data: on record, like every other."""
    if people:
        audit.record_access("view.door_needs", user_id=current_user.id, event_id=event_id,
                            object_type="registration" if registration_id else "",
                            object_id=registration_id, people=people)


@bp.route("/registrations/<int:registration_id>/check-in", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def check_in(registration_id: int) -> ResponseReturnValue:
    """GET: where the QR code in the confirmation leads staff. POST: check in."""
    registration = _registration(registration_id)
    if request.method == "GET":
        needs = door_needs(registration)
        html = render_template("admin/registrations/check_in_one.html", needs=needs,
                               registration=registration, event=registration.event)
        _audit_door_view(registration.event_id, 1 if needs else 0, registration.id)
        return html
    try:
        staff.check_in(registration, current_user)
    except staff.NotCheckedIn:
        flash(_("Only confirmed participants can be checked in."), "error")
    else:
        flash(_("%(name)s is checked in.", name=registration.name), "success")
    return redirect(_back_to_check_in(registration))


@bp.post("/registrations/<int:registration_id>/check-in/undo")
@staff_required(*ORGANISERS)
def undo_check_in(registration_id: int) -> ResponseReturnValue:
    """Take a check-in back."""
    registration = _registration(registration_id)
    staff.undo_check_in(registration, current_user)
    flash(_("The check-in of %(name)s is undone.", name=registration.name), "success")
    return redirect(_back_to_check_in(registration))


def _back_to_check_in(registration: Registration) -> str:
    default = url_for(".check_in_list", event_id=registration.event_id)
    return safe_next(request.form.get("next"), default)


@bp.route("/events/<int:event_id>/walk-in", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def walk_in(event_id: int) -> ResponseReturnValue:
    """Register and check in someone who came to the door without registering."""
    event = _event(event_id)
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            outcome = services.register(event, form.to_data(), RegistrationSource.WALK_IN)
            if outcome.registration.status is not Status.CONFIRMED:
                raise services.EventFull(event.id)
            staff.check_in(outcome.registration, current_user)
        except services.EventFull:
            form.form_errors.append(
                _("All seats are taken. Raise the number of seats in the event first.")
            )
        except services.AlreadyRegistered as already:
            return redirect(url_for(".check_in", registration_id=already.registration.id))
        except services.InvalidRegistration as invalid:
            form.form_errors.extend(m for messages in invalid.errors.values() for m in messages)
        except services.RegistrationClosed:
            form.form_errors.append(_("This person cannot be registered for this event."))
        else:
            flash(_("%(name)s is registered and checked in.", name=outcome.registration.name),
                  "success")
            return redirect(url_for(".check_in_list", event_id=event.id))
    return render_template("admin/registrations/walk_in.html", event=event, form=form), \
        422 if form.errors else 200
