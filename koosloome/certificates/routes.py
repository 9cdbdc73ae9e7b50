"""Certificates of participation on the site: the participant's own, through their manage
link, and the organisers' (one person's, or everyone's in one PDF; each download logged)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import can_manage_event, staff_required
from koosloome.accounts.permissions import managed_event_or_abort as _event
from koosloome.certificates import services
from koosloome.certificates.pdf import certificates_pdf, pdf_response
from koosloome.errors import back_to
from koosloome.extensions import db
from koosloome.registrations.links import registration_for_token
from koosloome.registrations.models import Registration

bp = Blueprint("certificates", __name__)
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


@bp.app_context_processor
def _certificate_helpers() -> dict[str, object]:
    """``has_certificate(registration)`` for the pages that offer the download."""
    return {"has_certificate": services.may_have_certificate}


@bp.get("/r/<token>/certificate.pdf")
def participant_certificate(token: str) -> Response:
    """The person's own certificate (``?lang=et|en``); 404 unless they earn one."""
    registration = registration_for_token(token)
    if registration is None or not services.may_have_certificate(registration):
        abort(404)
    certificate = services.registration_certificate(registration, request.args.get("lang"))
    return pdf_response(certificates_pdf([certificate]),
                        f"osalemistoend-{registration.event.slug}.pdf")


@bp.get("/admin/events/<int:event_id>/certificates.pdf")
@staff_required(*ORGANISERS)
@back_to("event_admin.overview", event_id="event_id")
def event_certificates(event_id: int) -> Response:
    """Everyone's certificate, one page each (``?lang=`` for all; else each their own)."""
    event = _event(event_id)
    certificates = services.event_certificates(event, request.args.get("lang"))
    audit.record_access("export.certificates", user_id=current_user.id, object_type="event",
                        object_id=event.id, event_id=event.id, people=len(certificates))
    return pdf_response(certificates_pdf(certificates), f"osalemistoendid-{event.slug}.pdf")


@bp.get("/admin/registrations/<int:registration_id>/certificate.pdf")
@staff_required(*ORGANISERS)
@back_to("registration_admin.detail", registration_id="registration_id")
def registration_certificate(registration_id: int) -> Response:
    """One person's certificate, for the organisers to print or send."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        abort(404)
    if not can_manage_event(current_user, registration.event):
        abort(403)
    certificate = services.registration_certificate(registration, request.args.get("lang"))
    audit.record_access("export.certificates", user_id=current_user.id,
                        object_type="registration", object_id=registration.id,
                        event_id=registration.event_id, people=1)
    return pdf_response(certificates_pdf([certificate]),
                        f"osalemistoend-{registration.event.slug}.pdf")
