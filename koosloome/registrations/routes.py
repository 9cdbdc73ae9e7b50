"""Registering for an event, and managing a registration through its link (no account)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from koosloome.boards.models import boards_open_to_event
from koosloome.db import late_write_lock
from koosloome.downloads import content_disposition
from koosloome.events import services as event_services
from koosloome.events.trip_view import itinerary_view
from koosloome.extensions import limiter
from koosloome.feedback.models import feedback_open_for
from koosloome.files.services import participant_materials, send_stored_file, shared_material
from koosloome.i18n import current_language
from koosloome.messaging.content import offer_deadline_text
from koosloome.messaging.invites import registration_calendar
from koosloome.ratelimits import registration_rate_limit
from koosloome.registrations import personal_data, services
from koosloome.registrations.form_cache import blank_fields_html
from koosloome.registrations.forms import LostLinkForm, form_data, form_for_event
from koosloome.registrations.links import registration_for_token
from koosloome.registrations.models import (
    ACTIVE_STATUSES,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.registrations.summary import details_summary, manage_summary, next_steps
from koosloome.seating import counts
from koosloome.seating.offers import Acceptance, accept_offer
from koosloome.trips.models import asks_for_travel, travel_of
from koosloome.unit_of_work import AfterCommit

bp = Blueprint("registrations", __name__)


def _event_or_404(slug: str):
    event = event_services.public_event(slug)
    if event is None:
        abort(404)
    return event


def _registration_or_404(token: str) -> Registration:
    registration = registration_for_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.after_request
def _private(response):
    """Manage pages hold personal data: never cached, never indexed."""
    if request.path.startswith("/r/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@late_write_lock
@limiter.limit(registration_rate_limit, methods=["POST"])
def register(slug: str) -> ResponseReturnValue:
    """The registration form; on success, the confirmation (manage) page."""
    event = _event_or_404(slug)
    if counts.registration_state(event) != counts.RegistrationState.OPEN:
        return render_template("registrations/closed.html", event=event,
                               availability=counts.availability([event])[event.id])
    form = form_for_event(event, current_language(), data={"language": current_language()})
    if form.validate_on_submit():
        data = form.to_data()
        try:
            receipt = services.register_in_public(event, data, RegistrationSource.WEB)
        except services.RegistrationClosed:
            return render_template("registrations/closed.html", event=event,
                                   availability=counts.availability([event])[event.id])
        except services.InvalidRegistration as error:
            form.add_rule_errors(error.errors)
        else:
            return _registered(event, receipt)
    status = 422 if form.errors else 200
    blank = request.method == "GET"
    # Whether seats are left, from the event's kept figure (a registration decides, locked).
    availability = counts.kept_availability(event)
    return render_template(
        "registrations/form.html", event=event, form=form, availability=availability,
        fields_html=blank_fields_html(form, current_language()) if blank else None,
    ), status


def _registered(event, receipt: services.Receipt) -> ResponseReturnValue:
    """The answer to a registration that went through.

    With an e-mail address, the confirmation is shown from what was submitted and the link
    goes by e-mail: a new address and a registered one are answered alike. Without one, the
    manage page is the only way to the registration, so the person is sent there.
    """
    if receipt.email is None:
        assert receipt.outcome is not None  # only an address can be registered already
        return redirect(url_for(".manage", token=receipt.outcome.token, new=1))
    language = current_language()

    def render() -> ResponseReturnValue:
        html = render_template("registrations/registered.html", event=event, receipt=receipt,
                               summary=details_summary(receipt.recap, language),
                               next_steps=next_steps(receipt.recap, language))
        return html, 200, {"Cache-Control": "no-store"}

    # Rendered from what was submitted, after the commit: not while the seat lock is held.
    return AfterCommit(render)


@bp.get("/r/<token>")
def manage(token: str) -> str:
    """The participant's registration: status, details, what happens next, actions."""
    registration = _registration_or_404(token)
    active = registration.status in ACTIVE_STATUSES
    summary = manage_summary(registration, current_language())
    if not active:
        # What was asked for a seat that is gone is no longer the point of the page.
        summary = {"contact": summary["contact"]}
    return render_template(
        "registrations/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        summary=summary,
        next_steps=next_steps(registration, current_language()),
        position=counts.waitlist_position(registration),
        just_registered=request.args.get("new") == "1",
        active=active,
        can_register_again=not active and counts.registration_state(registration.event)
        is counts.RegistrationState.OPEN,
        feedback_open=feedback_open_for(registration),
        boards=boards_open_to_event(registration.event_id),
        itinerary=itinerary_view(registration.event, current_language()) if active else [],
        deadline=offer_deadline_text(registration, current_language()),
        travel_asked=asks_for_travel(registration),
        travel_given=travel_of(registration) is not None,
        materials=participant_materials(registration),
    )


@bp.get("/r/<token>/files/<int:file_id>")
def material(token: str, file_id: int) -> Response:
    """A material the organisers shared, for the participant whose link this is only."""
    found = shared_material(_registration_or_404(token), file_id)
    if found is None:
        abort(404)
    return send_stored_file(found.stored)


@bp.get("/r/<token>/invite.ics")
def invite(token: str) -> Response:
    """The participant's calendar entry (same UID as in the e-mailed invitations)."""
    registration = _registration_or_404(token)
    if registration.status is not RegistrationStatus.CONFIRMED:
        abort(404)
    calendar, _sequence = registration_calendar(registration, "REQUEST", current_language())
    return Response(calendar, mimetype="text/calendar", headers={
        "Content-Disposition": content_disposition(f"{registration.event.slug}.ics"),
    })


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token: str) -> ResponseReturnValue:
    """Change details, needs and answers."""
    registration = _registration_or_404(token)
    if registration.status not in ACTIVE_STATUSES:
        return redirect(url_for(".manage", token=token))
    event = registration.event
    if request.method == "POST":
        form = form_for_event(event, current_language())
    else:
        current = form_data(services.data_from_registration(registration), event)
        form = form_for_event(event, current_language(), formdata=None, data=current)
    form.rules_source = registration.source
    form.rules_in_group = registration.group_id is not None
    form.keep_earlier_age_band(registration.age_band)
    if form.validate_on_submit():
        try:
            services.update_details(registration, form.to_data())
        except services.InvalidRegistration as error:
            form.add_rule_errors(error.errors)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".manage", token=token))
    status = 422 if form.errors else 200
    return render_template("registrations/edit.html", event=event, form=form,
                           registration=registration, token=token), status


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> ResponseReturnValue:
    """Ask to confirm, then cancel: the seats go to the waiting list."""
    registration = _registration_or_404(token)
    if registration.status not in ACTIVE_STATUSES:
        return redirect(url_for(".manage", token=token))
    if request.method == "POST":
        services.cancel(registration)
        flash(_("Your registration is cancelled."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("registrations/cancel.html", registration=registration,
                           event=registration.event, token=token)


@bp.route("/r/<token>/accept", methods=["GET", "POST"])
def accept(token: str) -> ResponseReturnValue:
    """Accept an offered place. The e-mail's link opens this page and the button accepts:
    a GET never does, as mail scanners open links."""
    registration = _registration_or_404(token)
    if request.method == "POST":
        outcome = accept_offer(registration)
        message, category = ACCEPTANCE_FLASHES[outcome]
        flash(str(message), category)
        return redirect(url_for(".manage", token=token))
    if registration.status is not RegistrationStatus.OFFERED:
        return redirect(url_for(".manage", token=token))
    return render_template("registrations/accept.html", registration=registration,
                           event=registration.event, token=token,
                           deadline=offer_deadline_text(registration, current_language()))


#: What the person is told after pressing "Accept the place": (message, flash category).
ACCEPTANCE_FLASHES = {
    Acceptance.ACCEPTED: (_l("You accepted the place. See you there!"), "success"),
    Acceptance.ALREADY: (_l("You have accepted this place already."), "success"),
    Acceptance.LAPSED: (_l("We are sorry: the time to accept this place is over, and it has "
                           "gone to the next person in line."), "error"),
    Acceptance.NO_OFFER: (_l("There is no place offered to you to accept."), "error"),
}


@bp.route("/r/<token>/health-consent", methods=["GET", "POST"])
def withdraw_consent(token: str) -> ResponseReturnValue:
    """Withdraw consent to use health information; it is deleted at once."""
    registration = _registration_or_404(token)
    if registration.consent_health_at is None:
        return redirect(url_for(".manage", token=token))
    if request.method == "POST":
        personal_data.withdraw_health_consent(registration)
        flash(_("We have deleted what you told us about your needs, diet and transport."),
              "success")
        return redirect(url_for(".manage", token=token))
    return render_template("registrations/withdraw_consent.html", registration=registration,
                           event=registration.event, token=token)


@bp.route("/lost-link", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def lost_link() -> ResponseReturnValue:
    """Send the manage links again; the answer is the same whether or not we know the address."""
    if request.method == "POST":
        form = LostLinkForm()
    else:
        form = LostLinkForm(formdata=None, data={"email": request.args.get("email", "")})
    if form.validate_on_submit():
        services.resend_links(form.email.data or "")
        return render_template("registrations/lost_link_sent.html", email=form.email.data)
    status = 422 if form.errors else 200
    return render_template("registrations/lost_link.html", form=form), status


@bp.get("/r/<token>/data.json")
def download_data(token: str) -> Response:
    """Everything we hold about the person in this registration, as a JSON file."""
    registration = _registration_or_404(token)
    body = json.dumps(personal_data.personal_data(registration), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": content_disposition("koosloome-registration.json"),
    })


@bp.route("/r/<token>/erase", methods=["GET", "POST"])
def erase(token: str) -> ResponseReturnValue:
    """Ask to confirm, then delete the registration and everything in it."""
    registration = _registration_or_404(token)
    if request.method == "POST":
        event = registration.event
        personal_data.erase(registration)
        return render_template("registrations/erased.html", event=event)
    return render_template("registrations/erase.html", registration=registration,
                           event=registration.event, token=token)
