"""Announcement pages: the organisers' list, form, preview and send; the public sign-up with
its confirmation link, and the unsubscribe link every announcement carries."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import staff_required
from koosloome.announcements import services
from koosloome.announcements.forms import AnnouncementForm, ButtonForm, SubscribeForm
from koosloome.announcements.models import Announcement, AnnouncementStatus
from koosloome.db import utcnow
from koosloome.errors import InvalidFields, back_to
from koosloome.extensions import csrf, db
from koosloome.form_fields import show_rule_errors
from koosloome.i18n import current_language
from koosloome.ratelimits import limit_subscriptions
from koosloome.registrations.choices import COUNTIES
from koosloome.security import no_store

bp = Blueprint("announcements", __name__)
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _announcement_or_abort(announcement_id: int) -> Announcement:
    """The announcement, if the signed-in user may change and send it: 404 when there is none,
    403 when it is the other partner's."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        abort(404)
    if not services.can_change(current_user, announcement):
        abort(403)
    return announcement


def _form(**kwargs) -> AnnouncementForm:
    form = AnnouncementForm(**kwargs)
    form.set_events(services.past_event_choices(), current_language())
    return form


def _save(form: AnnouncementForm, announcement: Announcement | None = None) -> (
        Announcement | None):
    """The form's announcement saved, or None with the rules' errors beside their fields."""
    try:
        return services.save_announcement(form.values(), form.past_events.data or [],
                                          current_user, announcement)
    except InvalidFields as invalid:
        show_rule_errors(form, invalid.errors)
        return None


@bp.get("/admin/announcements")
@staff_required(*ORGANISERS)
def list_announcements() -> ResponseReturnValue:
    """Both partners' announcements, newest first; only one's own can be opened and sent."""
    return render_template("announcements/list.html",
                           announcements=services.announcements_for(current_user),
                           can_change=services.can_change, sent=AnnouncementStatus.SENT,
                           organisations=services.partner_names())


@bp.route("/admin/announcements/new", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def new_announcement() -> ResponseReturnValue:
    """Write an announcement and choose its audience; saving leads to the preview."""
    form = _form()
    if form.validate_on_submit():
        announcement = _save(form)
        if announcement is not None:
            return redirect(url_for(".preview_announcement", announcement_id=announcement.id))
    return render_template("announcements/form.html", form=form, announcement=None,
                           county_names=dict(COUNTIES)), 422 if form.errors else 200


@bp.route("/admin/announcements/<int:announcement_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_announcement(announcement_id: int) -> ResponseReturnValue:
    """Change a draft (a sent one is shown on its preview page, as it went)."""
    announcement = _announcement_or_abort(announcement_id)
    if announcement.status is AnnouncementStatus.SENT:
        return redirect(url_for(".preview_announcement", announcement_id=announcement.id))
    form = _form(obj=announcement)
    if not form.is_submitted():  # ``obj`` would give the Event objects, not their ids
        form.past_events.data = [event.id for event in announcement.past_events]
    if form.validate_on_submit() and _save(form, announcement) is not None:
        return redirect(url_for(".preview_announcement", announcement_id=announcement.id))
    return render_template("announcements/form.html", form=form, announcement=announcement,
                           county_names=dict(COUNTIES)), 422 if form.errors else 200


@bp.get("/admin/announcements/<int:announcement_id>/preview")
@staff_required(*ORGANISERS)
def preview_announcement(announcement_id: int) -> ResponseReturnValue:
    """The text in both languages, how many people get which, and the send button."""
    announcement = _announcement_or_abort(announcement_id)
    return render_template("announcements/preview.html", announcement=announcement,
                           preview=services.preview(announcement), form=ButtonForm(),
                           county_names=dict(COUNTIES), sent=AnnouncementStatus.SENT)


@bp.post("/admin/announcements/<int:announcement_id>/send")
@staff_required(*ORGANISERS)
@back_to(".preview_announcement", announcement_id="announcement_id")
def send_announcement(announcement_id: int) -> ResponseReturnValue:
    """Queue the announcement to its audience, once."""
    announcement = _announcement_or_abort(announcement_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = services.send_announcement(announcement, current_user, utcnow())
    flash(ngettext("The announcement is on its way to %(num)d person.",
                   "The announcement is on its way to %(num)d people.", count), "success")
    return redirect(url_for(".list_announcements"))


# --- Public: signing up, confirming, unsubscribing --------------------------------------------


def _rate_limited(view):
    for limit in reversed(limit_subscriptions):
        view = limit(view)
    return view


@bp.route("/subscribe", methods=["GET", "POST"])
@_rate_limited
def subscribe() -> ResponseReturnValue:
    """Ask for news of coming events; the answer is the same whether or not the address was
    known (a confirmation link goes to the address, if it needs one)."""
    form = SubscribeForm(data={"language": current_language()})
    if form.validate_on_submit():
        services.subscribe(form.email.data or "", form.name.data or "", form.language.data,
                           form.county.data or None, utcnow())
        return render_template("announcements/subscribe_sent.html", email=form.email.data)
    return render_template("announcements/subscribe.html", form=form), \
        422 if form.errors else 200


@bp.route("/subscribe/confirm/<token>", methods=["GET", "POST"])
@no_store
def confirm(token: str) -> ResponseReturnValue:
    """The double opt-in link: a page with a button (a link scanner opening the link confirms
    nothing); the button puts the address in the audience."""
    subscriber = services.subscriber_for_confirmation(token, utcnow())
    form = ButtonForm()
    if form.validate_on_submit():
        services.confirm(subscriber, utcnow())
        return render_template("announcements/confirmed.html",
                               unsubscribe_token=subscriber.unsubscribe_token)
    return render_template("announcements/confirm.html", token=token, form=form)


@bp.route("/u/<token>", methods=["GET", "POST"])
@no_store
def unsubscribe(token: str) -> ResponseReturnValue:
    """GET: a page with a button (never unsubscribe on GET: mail scanners open links). POST,
    from that button or a mail program's one-click (RFC 8058, body
    ``List-Unsubscribe=One-Click``, no CSRF token): unsubscribed at once."""
    subscriber = services.subscriber_for_unsubscribe(token)
    if request.method == "POST":
        services.unsubscribe(subscriber, utcnow())
        return render_template("announcements/unsubscribed.html", token=token,
                               form=ButtonForm())
    return render_template("announcements/unsubscribe.html", token=token, form=ButtonForm(),
                           subscriber=subscriber)


#: A mail program posts the one-click unsubscribe without our form's CSRF token; the token in
#: the address is what proves the request (nobody else knows it).
csrf.exempt(unsubscribe)


@bp.post("/u/<token>/erase")
@no_store
def erase(token: str) -> ResponseReturnValue:
    """Forget the address altogether (stops every announcement too)."""
    subscriber = services.subscriber_for_unsubscribe(token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.erase_subscriber(subscriber)
    return render_template("announcements/erased.html")
