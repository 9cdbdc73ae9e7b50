"""The selection in the JSON API (staff tokens of the event's managers): criteria and shares,
the ranked applications with the balance, one application's review, and the decisions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from koosloome.accounts.models import Organisation, User
from koosloome.events.models import Event
from koosloome.extensions import csrf, db
from koosloome.i18n import current_language
from koosloome.json_api import (
    ApiProblem,
    api_user,
    json_object,
    managed_event,
    token_required,
    unknown_keys,
    wrong_types,
)
from koosloome.registrations.models import Registration
from koosloome.registrations.summary import answers_by_question
from koosloome.seating.quotas import quotas
from koosloome.selection import services, settings
from koosloome.selection.ranking import Applicant, Balance, applicants, balance

bp = Blueprint("selection_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

CRITERION_TYPES = {"id": (int,), "name_et": (str,), "name_en": (str,),
                   "description_et": (str,), "description_en": (str,),
                   "max_score": (int,), "weight": (int,)}
CRITERION_LIMITS = {"name_et": 200, "name_en": 200, "description_et": 500,
                    "description_en": 500}
REVIEW_TYPES = {"scores": (dict,), "partner": (str,), "target_group_org": (bool,),
                "shortlisted": (bool,), "note": (str,)}


def _user() -> User:
    user = api_user()
    assert user is not None  # token_required
    return user


def _slugs() -> dict[int, str]:
    return {o.id: o.slug for o in settings.partners()}


def criterion_json(criterion: Any) -> dict[str, Any]:
    """A criterion as JSON."""
    return {"id": criterion.id, "name_et": criterion.name_et, "name_en": criterion.name_en,
            "description_et": criterion.description_et,
            "description_en": criterion.description_en,
            "max_score": criterion.max_score, "weight": criterion.weight}


def applicant_json(applicant: Applicant, slugs: dict[int, str], language: str) -> dict[str, Any]:
    """One application as the selection sees it."""
    registration = applicant.registration
    review = applicant.review
    return {
        "registration_id": registration.id, "name": registration.name,
        "organisation_name": registration.organisation_name, "county": registration.county,
        "sector": registration.sector, "language": registration.language,
        "status": registration.status.value, "rank": applicant.rank, "total": applicant.total,
        "means": {str(cid): mean for cid, mean in applicant.means.items()},
        "my_scores": {str(cid): score for cid, score in applicant.mine.items()},
        "reviewers": applicant.reviewers,
        "partner": slugs.get(applicant.partner_id) if applicant.partner_id else None,
        "first_timer": applicant.first_timer,
        "target_group_org": applicant.target_group_org,
        "shortlisted": applicant.shortlisted, "note": review.note if review else "",
        "answers": {str(qid): text for qid, text in
                    answers_by_question(registration, language).items()},
    }


def balance_json(result: Balance, slugs: dict[int, str]) -> dict[str, Any]:
    """The balance of the chosen group as JSON (partner by slug, ``elsewhere`` for none)."""
    return {
        "people": result.people, "seats": result.seats, "capacity": result.capacity,
        "partners": {slugs.get(pid, "elsewhere") if pid else "elsewhere": {
            "seats": seats, "share": result.quotas.get(pid) if pid else None}
            for pid, seats in result.partner_seats.items()},
        "counties": {str(k): v for k, v in result.counties.items()},
        "sectors": {str(k): v for k, v in result.sectors.items()},
        "target_group_org": {"yes": result.target_group[True], "no": result.target_group[False],
                             "not_assessed": result.target_group[None]},
        "first_timers": result.first_timers,
    }


def _selection_json(event: Event, user: User) -> dict[str, Any]:
    slugs = _slugs()
    everyone = applicants(event, user.id)
    return {
        "event_id": event.id,
        "criteria": [criterion_json(c) for c in settings.criteria(event.id)],
        "quotas": {slugs[oid]: seats for oid, seats in quotas(event.id).items() if oid in slugs},
        "applications": [applicant_json(a, slugs, current_language()) for a in everyone],
        "balance": balance_json(balance(event, everyone), slugs),
    }


@bp.get("/events/<int:event_id>/selection")
@token_required
def get_selection(event_id: int) -> ResponseReturnValue:
    """Criteria, shares, the ranked applications (your own scores too) and the balance."""
    return jsonify(_selection_json(managed_event(event_id), _user()))


def _criteria_rows(rows: Any) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    if not isinstance(rows, list):
        return [], {"criteria": [_("Has the wrong type")]}
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        key = f"criteria-{index}"
        if not isinstance(row, dict):
            errors[key] = [_("Has the wrong type")]
            continue
        problems = [*unknown_keys(row, CRITERION_TYPES), *wrong_types(row, CRITERION_TYPES)]
        if not isinstance(row.get("name_et"), str) or not row["name_et"].strip():
            problems.append("name_et")
        problems += [name for name, most in CRITERION_LIMITS.items()
                     if isinstance(row.get(name), str) and len(row[name]) > most]
        if not 1 <= _number(row.get("max_score", 5)) <= 10 or \
                not 1 <= _number(row.get("weight", 1)) <= 5:
            problems.append("max_score")
        if problems:
            errors[key] = [_("Give a name in Estonian (at most 200 characters), points from 1 "
                             "to 10 and a weight from 1 to 5")]
    return rows, errors


def _whole(value: Any) -> bool:
    """A JSON whole number (``true`` is not 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _shares(value: Any) -> tuple[dict[int, int | None], dict[str, list[str]]]:
    by_slug = {o.slug: o.id for o in settings.partners()}
    if not isinstance(value, dict):
        return {}, {"quotas": [_("Has the wrong type")]}
    shares: dict[int, int | None] = dict.fromkeys(by_slug.values())
    for slug, seats in value.items():
        if slug not in by_slug or not (seats is None or (_whole(seats) and seats >= 0)):
            return {}, {"quotas": [_("Partner slug → a number of seats from 0, or null")]}
        shares[by_slug[slug]] = seats
    return shares, {}


@bp.put("/events/<int:event_id>/selection")
@token_required
def put_selection(event_id: int) -> ResponseReturnValue:
    """Replace the criteria (rows with an ``id`` keep their scores) and/or the shares."""
    event = managed_event(event_id)
    payload = json_object()
    errors = unknown_keys(payload, ("criteria", "quotas"))
    rows, row_errors = _criteria_rows(payload["criteria"]) if "criteria" in payload else ([], {})
    shares, share_errors = _shares(payload["quotas"]) if "quotas" in payload else ({}, {})
    errors.update(row_errors)
    errors.update(share_errors)
    if not errors and "quotas" in payload:
        errors.update(settings.quota_rules(event, shares))
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    if "criteria" in payload:
        settings.replace_criteria(event, rows, _user())
    if "quotas" in payload:
        settings.set_quotas(event, shares, _user())
    return jsonify(_selection_json(event, _user()))


def _review_values(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors = unknown_keys(payload, REVIEW_TYPES)
    errors.update(wrong_types(payload, REVIEW_TYPES))
    values: dict[str, Any] = {}
    if isinstance(payload.get("scores"), dict):
        scores: dict[int, int | None] = {}
        for key, score in payload["scores"].items():
            if not (key.isascii() and key.isdigit()) or not (
                    score is None or _whole(score)):
                errors["scores"] = [_("Criterion id → points (a whole number), or null")]
                break
            scores[int(key)] = score
        values["scores"] = scores
    if "partner" in payload and "partner" not in errors:
        slug = payload["partner"]
        organisation = db.session.scalars(select(Organisation).where(
            Organisation.slug == slug)).first() if slug is not None else None
        if slug is not None and organisation is None:
            errors["partner"] = [_("Not a partner organisation")]
        values["partner_id"] = organisation.id if organisation else None
    for name in ("target_group_org", "shortlisted", "note"):
        if name in payload and name not in errors:
            values[name] = payload[name]
    # null is "not assessed" for the target group; for the others it is their empty value
    if values.get("shortlisted", False) is None:
        values["shortlisted"] = False
    if values.get("note", "") is None:
        values["note"] = ""
    if isinstance(payload.get("note"), str) and len(payload["note"]) > 5000:
        errors["note"] = [_("Too long")]
    return values, errors


@bp.patch("/events/<int:event_id>/applications/<int:registration_id>")
@token_required
def review_application(event_id: int, registration_id: int) -> ResponseReturnValue:
    """Your scores (criterion id → points, null takes yours back) and the review (partner slug,
    target-group organisation, shortlisted, note); what is left out stays."""
    event = managed_event(event_id)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise ApiProblem(404, "not_found", _("No such registration"))
    values, errors = _review_values(json_object())
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    services.save_review(registration, _user(), values)
    user = _user()
    applicant = next((a for a in applicants(event, user.id) if a.registration.id ==
                      registration.id), None)
    if applicant is None:
        raise ApiProblem(404, "not_found", _("No such application"))
    return jsonify(applicant_json(applicant, _slugs(), current_language()))


@bp.post("/events/<int:event_id>/selection/decisions")
@token_required
def send_decisions(event_id: int) -> ResponseReturnValue:
    """Send the decisions: the shortlisted get their seat or an offer, the other undecided the
    reserve list in rank order (409 with the reasons when they do not fit)."""
    event = managed_event(event_id)
    plan = services.send_decisions(event, _user())
    return jsonify({"event_id": event.id, "offers": plan.offers,
                    "chosen": [a.registration.id for a in plan.chosen],
                    "reserve": [a.registration.id for a in plan.reserve],
                    "from_reserve": [r.id for r in plan.from_reserve]})
