"""Back office for the call lists: per event and across events, the outcome of each call, and
the list as a PDF for a volunteer with a landline."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    can_manage_event,
    can_see_health_data,
    managed_event_or_abort,
    staff_required,
)
from koosloome.calls import services
from koosloome.calls.forms import OUTCOME_LABELS, OutcomeForm
from koosloome.calls.letter import letter_pdf
from koosloome.calls.pdf import call_list_pdf
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.models import CallOutcome, CallTask
from koosloome.registrations.models import Registration

bp = Blueprint("calls", __name__, url_prefix="/admin")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _audit_read(event_id: int | None, people: int) -> None:
    audit.record_access("view.calls", user_id=current_user.id, object_type="event",
                        object_id=event_id, event_id=event_id, people=people)


def _call_list(event: Event | None, form: OutcomeForm, failed: int | None = None) -> str:
    """The call list of ``event`` (None: of every event the user manages); ``failed`` is a
    task whose outcome was refused, shown with its error and what was typed."""
    calls = services.event_calls(event) if event else services.calls_to_make(current_user)
    _audit_read(event.id if event else None, len(calls))
    return render_template("calls/list.html", event=event, calls=calls, labels=OUTCOME_LABELS,
                           form=form, failed=failed)


@bp.get("/calls")
@staff_required(*ORGANISERS)
def all_calls() -> str:
    """Every call still to make, across the events the user manages."""
    return _call_list(None, OutcomeForm(formdata=None))


@bp.get("/events/<int:event_id>/calls")
@staff_required(*ORGANISERS)
def event_calls(event_id: int) -> str:
    """The event's call list, with the calls done below."""
    return _call_list(managed_event_or_abort(event_id), OutcomeForm(formdata=None))


@bp.get("/events/<int:event_id>/calls.pdf")
@staff_required(*ORGANISERS)
def event_calls_pdf(event_id: int) -> ResponseReturnValue:
    """The calls still to make, printable."""
    event = managed_event_or_abort(event_id)
    calls = services.event_calls(event, done_too=False)
    _audit_read(event.id, len(calls))
    return call_list_pdf(event, calls), {
        "Content-Type": "application/pdf",
        "Content-Disposition": content_disposition(f"helistamine-{event.slug}.pdf"),
    }


@bp.post("/calls/<int:task_id>")
@staff_required(*ORGANISERS)
def record_outcome(task_id: int) -> ResponseReturnValue:
    """Record what came of a call, and go back to the list it was made from."""
    task = db.session.get(CallTask, task_id)
    if task is None:
        abort(404)
    if not can_manage_event(current_user, task.event):
        abort(403)
    form = OutcomeForm()
    from_all = request.form.get("from") == "all"  # sent from the list of every event
    back = url_for(".all_calls") if from_all else url_for(".event_calls",
                                                             event_id=task.event_id)
    if form.validate_on_submit():
        try:
            services.record_outcome(task, form.outcome.data, (form.note.data or "").strip(),
                                    current_user)
        except services.InvalidOutcome as refused:
            form.outcome.errors = [*form.outcome.errors, refused.describe()]
        else:
            flash(_("Saved: %(outcome)s.",
                    outcome=OUTCOME_LABELS[CallOutcome(form.outcome.data)]), "success")
            return redirect(f"{back}#call-{task.id}")
    # The list again, with the error beside this call and its note as it was typed.
    return _call_list(None if from_all else task.event, form, failed=task.id), 422


@bp.get("/registrations/<int:registration_id>/letter.pdf")
@staff_required(*ORGANISERS)
def letter(registration_id: int) -> ResponseReturnValue:
    """A confirmation letter to post (``?large=1``: large print)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        abort(404)
    if not can_see_health_data(current_user, registration.event):
        abort(403)
    audit.record_access("export.letter", user_id=current_user.id, object_type="registration",
                        object_id=registration.id, event_id=registration.event_id)
    large = request.args.get("large") == "1"
    return letter_pdf(registration, large=large), {
        "Content-Type": "application/pdf",
        "Content-Disposition": content_disposition(f"kiri-{registration.event.slug}.pdf"),
    }
