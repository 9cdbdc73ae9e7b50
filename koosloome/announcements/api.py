"""Announcements in the JSON API (staff tokens of admins and organisers): both partners'
announcements are listed and read; only the own partner's are changed, previewed and sent."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.accounts.models import Role, User
from koosloome.announcements import services
from koosloome.announcements.models import Announcement
from koosloome.db import utcnow
from koosloome.extensions import csrf, db
from koosloome.json_api import ApiProblem, api_user, json_object, unknown_keys, wrong_types

bp = Blueprint("announcements_api", __name__, url_prefix="/api/v1/announcements")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

TYPES: dict[str, tuple[type, ...]] = {
    **{name: (str,) for name in services.ANNOUNCEMENT_TEXTS},
    "counties": (list,), "past_event_ids": (list,)}


def announcement_json(announcement: Announcement) -> dict[str, Any]:
    """An announcement as JSON."""
    return {
        "id": announcement.id, "organisation_id": announcement.organisation_id,
        "status": announcement.status.value,
        **{name: getattr(announcement, name) for name in services.ANNOUNCEMENT_TEXTS},
        "counties": list(announcement.counties or []),
        "past_event_ids": [event.id for event in announcement.past_events],
        "created_at": announcement.created_at.isoformat(),
        "sent_at": announcement.sent_at.isoformat() if announcement.sent_at else None,
        "recipients": announcement.recipients,
    }


def _organiser() -> User:
    user = api_user()
    if user is None:
        raise ApiProblem(401, "unauthorized", _("Sign in with a staff token"))
    if user.role not in (Role.ADMIN, Role.ORGANISER):
        raise ApiProblem(403, "forbidden", _("You may not do this"))
    return user


def _announcement(announcement_id: int, *, changing: bool) -> tuple[Announcement, User]:
    user = _organiser()
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        raise ApiProblem(404, "not_found", _("No such announcement"))
    if changing and not services.can_change(user, announcement):
        raise ApiProblem(403, "forbidden", _("Only its own partner's organisers may do this"))
    return announcement, user


def _values(payload: dict[str, Any]) -> tuple[dict[str, Any], list[int] | None]:
    errors = unknown_keys(payload, TYPES)
    errors.update(wrong_types(payload, TYPES))
    for name in TYPES:  # none of them is ever null
        if name in payload and payload[name] is None:
            errors[name] = [_("Has the wrong type")]
    for name, most in services.ANNOUNCEMENT_TEXTS.items():
        if isinstance(payload.get(name), str) and len(payload[name]) > most:
            errors[name] = [_("Too long")]
    counties, event_ids = payload.get("counties"), payload.get("past_event_ids")
    if isinstance(counties, list) and not all(isinstance(c, str) for c in counties):
        errors["counties"] = [_("A list of county codes")]
    if isinstance(event_ids, list) and not all(
            isinstance(i, int) and not isinstance(i, bool) for i in event_ids):
        errors["past_event_ids"] = [_("A list of event ids")]
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    values = {name: payload[name] for name in (*services.ANNOUNCEMENT_TEXTS, "counties")
              if name in payload}
    return values, event_ids


@bp.get("")
def list_announcements() -> ResponseReturnValue:
    """Both partners' announcements, newest first."""
    user = _organiser()
    return jsonify({"announcements": [announcement_json(a)
                                      for a in services.announcements_for(user)]})


@bp.post("")
def create_announcement() -> ResponseReturnValue:
    """A draft of the token user's partner."""
    user = _organiser()
    values, event_ids = _values(json_object())
    announcement = services.save_announcement(values, event_ids or [], user)
    return jsonify(announcement_json(announcement)), 201


@bp.get("/<int:announcement_id>")
def get_announcement(announcement_id: int) -> ResponseReturnValue:
    """One announcement."""
    announcement, _user = _announcement(announcement_id, changing=False)
    return jsonify(announcement_json(announcement))


@bp.patch("/<int:announcement_id>")
def change_announcement(announcement_id: int) -> ResponseReturnValue:
    """Change a draft (what is left out stays)."""
    announcement, user = _announcement(announcement_id, changing=True)
    values, event_ids = _values(json_object())
    services.save_announcement(values, event_ids, user, announcement)
    return jsonify(announcement_json(announcement))


@bp.get("/<int:announcement_id>/preview")
def preview_announcement(announcement_id: int) -> ResponseReturnValue:
    """How many people would get it now, per language, and its text in each."""
    announcement, _user = _announcement(announcement_id, changing=True)
    preview = services.preview(announcement)
    return jsonify({"recipients": preview.total, "by_language": preview.counts,
                    "fallback_languages": preview.fallbacks,
                    "messages": {language: {"subject": message.subject, "text": message.text}
                                 for language, message in preview.messages.items()}})


@bp.post("/<int:announcement_id>/send")
def send_announcement(announcement_id: int) -> ResponseReturnValue:
    """Queue it to its audience, once (409 when it was sent already)."""
    announcement, user = _announcement(announcement_id, changing=True)
    services.send_announcement(announcement, user, utcnow())
    return jsonify(announcement_json(announcement))
