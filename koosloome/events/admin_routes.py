"""Back office for events: list, create, edit (with the updated-invite warning), duplicate,
publish, cancel, and the extra questions of the registration form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from koosloome.accounts.models import Organisation, Role
from koosloome.accounts.permissions import managed_event_or_abort as _managed
from koosloome.accounts.permissions import staff_required
from koosloome.arrangements import services as arrangements
from koosloome.events import services
from koosloome.events.forms import AgendaForm, EventForm, MessageForm, QuestionForm
from koosloome.events.models import AgendaItem, Event, ExtraQuestion
from koosloome.extensions import db
from koosloome.form_fields import show_rule_errors
from koosloome.messaging.calls import calls_to_make_per_event
from koosloome.messaging.organiser import (
    Audience,
    InvalidMessage,
    preview_organiser_message,
    send_organiser_message,
)
from koosloome.seating.counts import availability, seat_counts
from koosloome.venues.services import venue_choices

bp = Blueprint("event_admin", __name__, url_prefix="/admin/events")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _event_form(**kwargs) -> EventForm:
    form = EventForm(**kwargs)
    others = db.session.scalars(
        select(Organisation).where(Organisation.id != current_user.organisation_id)
    )
    form.co_organiser.choices = [("", _("None"))] + [(o.slug, o.name) for o in others]
    form.venue_id.choices = [("", _("Choose the venue")), *venue_choices()]
    return form


def _co_organiser(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    return db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()


@bp.get("/")
@staff_required(*ORGANISERS)
def list_events() -> str:
    """The events of the user's partner (all for admins) with their seats."""
    events = services.managed_events(current_user)
    return render_template("admin/events/list.html", events=events,
                           counts=seat_counts(event.id for event in events))


@bp.route("/new", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def new_event() -> ResponseReturnValue:
    """Create an event, saved as a draft or published at once."""
    form = _event_form()
    if form.validate_on_submit():
        values = form.values()
        co_organiser = _co_organiser(values.pop("co_organiser", None))
        if request.form.get("publish"):
            values["status"] = services.EventStatus.PUBLISHED
        try:
            event = services.create_event(values, current_user, current_user.organisation,
                                          co_organiser)
        except services.InvalidEvent as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for(".overview", event_id=event.id))
    return render_template("admin/events/form.html", form=form, event=None), \
        422 if form.errors else 200


@bp.get("/<int:event_id>")
@staff_required(*ORGANISERS)
def overview(event_id: int) -> str:
    """One event: state, seats, and links to everything about it."""
    event = _managed(event_id)
    return render_template("admin/events/overview.html", event=event,
                           availability=availability([event])[event.id],
                           arrangements=arrangements.progress(arrangements.lines(event)),
                           calls_to_make=calls_to_make_per_event([event.id]).get(event.id, 0))


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_event(event_id: int) -> ResponseReturnValue:
    """Edit; a new time or place first asks for confirmation, naming who gets an update."""
    event = _managed(event_id)
    form = _event_form(obj=event)
    if request.method == "GET":
        form.co_organiser.data = event.co_organiser.slug if event.co_organiser else ""
    if form.validate_on_submit():
        values = form.values()
        co_organiser = _co_organiser(values.pop("co_organiser", None))
        values["co_organiser_id"] = co_organiser.id if co_organiser else None
        affected = services.affected_by_time_or_place_change(event)
        moving = services.would_change_time_or_place(event, values)
        if moving and affected and not request.form.get("confirmed"):
            return render_template("admin/events/confirm_change.html", event=event,
                                   form=form, affected=affected)
        try:
            change = services.update_event(event, values, current_user)
        except services.InvalidEvent as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The event is saved."), "success")
            if change.invites_sent:
                flash(_("%(count)d participants will receive an updated invitation.",
                        count=change.invites_sent), "success")
            return redirect(url_for(".overview", event_id=event.id))
    return render_template("admin/events/form.html", form=form, event=event), \
        422 if form.errors else 200


@bp.post("/<int:event_id>/duplicate")
@staff_required(*ORGANISERS)
def duplicate(event_id: int) -> ResponseReturnValue:
    """Copy the event into a new draft and open it for editing."""
    copy = services.duplicate_event(_managed(event_id), current_user)
    flash(_("A copy was made as a draft. Check the dates before publishing."), "success")
    return redirect(url_for(".edit_event", event_id=copy.id))


@bp.post("/<int:event_id>/publish")
@staff_required(*ORGANISERS)
def publish(event_id: int) -> ResponseReturnValue:
    """Make a draft public."""
    event = _managed(event_id)
    try:
        services.publish_event(event, current_user)
    except services.InvalidEvent:
        flash(_("A cancelled event cannot be published"), "error")
    else:
        flash(_("The event is published."), "success")
    return redirect(url_for(".overview", event_id=event.id))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def cancel(event_id: int) -> ResponseReturnValue:
    """Ask to confirm, then cancel the event and tell everyone registered."""
    event = _managed(event_id)
    if request.method == "POST":
        sent = services.cancel_event(event, current_user)
        flash(_("The event is cancelled. %(count)d participants were told.", count=sent),
              "success")
        return redirect(url_for(".overview", event_id=event.id))
    counts = seat_counts([event.id])[event.id]
    return render_template("admin/events/cancel.html", event=event,
                           active=counts.confirmed + counts.waiting + counts.pending)


@bp.route("/<int:event_id>/questions", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def questions(event_id: int) -> ResponseReturnValue:
    """The event's extra questions; add one."""
    event = _managed(event_id)
    form = QuestionForm()
    if form.validate_on_submit():
        services.add_question(event, form.question_values(), current_user)
        flash(_("The question is added."), "success")
        return redirect(url_for(".questions", event_id=event.id))
    return render_template("admin/events/questions.html", event=event, form=form), \
        422 if form.errors else 200


def _question(event: Event, question_id: int) -> ExtraQuestion:
    question = db.session.get(ExtraQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


@bp.post("/<int:event_id>/questions/<int:question_id>/move")
@staff_required(*ORGANISERS)
def move_question(event_id: int, question_id: int) -> ResponseReturnValue:
    """Move a question up or down."""
    event = _managed(event_id)
    step = -1 if request.form.get("direction") == "up" else 1
    services.move_question(event, _question(event, question_id), step)
    return redirect(url_for(".questions", event_id=event.id))


@bp.route("/<int:event_id>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def delete_question(event_id: int, question_id: int) -> ResponseReturnValue:
    """Ask to confirm, then remove a question and its answers."""
    event = _managed(event_id)
    question = _question(event, question_id)
    if request.method == "POST":
        services.remove_question(event, question, current_user)
        flash(_("The question is removed."), "success")
        return redirect(url_for(".questions", event_id=event.id))
    return render_template("admin/events/delete_question.html", event=event, question=question)


@bp.route("/<int:event_id>/agenda", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def agenda(event_id: int) -> ResponseReturnValue:
    """The programme: list and add items."""
    event = _managed(event_id)
    form = AgendaForm()
    if form.validate_on_submit():
        services.add_agenda_item(event, {
            "starts_at": form.starts_at.data,
            "title_et": form.title_et.data.strip(),
            "title_en": (form.title_en.data or "").strip(),
            "speaker": (form.speaker.data or "").strip(),
            "room_et": (form.room_et.data or "").strip(),
            "room_en": (form.room_en.data or "").strip(),
        }, current_user)
        flash(_("The programme item is added."), "success")
        return redirect(url_for(".agenda", event_id=event.id))
    return render_template("admin/events/agenda.html", event=event, form=form), \
        422 if form.errors else 200


@bp.post("/<int:event_id>/agenda/<int:item_id>/delete")
@staff_required(*ORGANISERS)
def delete_agenda_item(event_id: int, item_id: int) -> ResponseReturnValue:
    """Remove a programme item."""
    event = _managed(event_id)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    services.remove_agenda_item(event, item, current_user)
    flash(_("The programme item is removed."), "success")
    return redirect(url_for(".agenda", event_id=event.id))


@bp.route("/<int:event_id>/message", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def message(event_id: int) -> ResponseReturnValue:
    """Write to the participants: preview first, then send (logged)."""
    event = _managed(event_id)
    form = MessageForm()
    preview = None
    if form.validate_on_submit():
        audience = [Audience(value) for value in form.audience.data]
        english = {"subject_en": form.subject_en.data or "", "body_en": form.body_en.data or ""}
        try:
            if request.form.get("send"):
                sent = send_organiser_message(event, form.subject.data, form.body.data,
                                              audience, user_id=current_user.id, **english)
                flash(_("The message is on its way to %(count)d people.", count=sent), "success")
                return redirect(url_for(".overview", event_id=event.id))
            preview = preview_organiser_message(event, form.subject.data, form.body.data,
                                                audience, **english)
        except InvalidMessage as invalid:
            form.form_errors.append(str(invalid.args[0]))
    return render_template("admin/events/message.html", event=event, form=form,
                           preview=preview), 422 if form.errors else 200
