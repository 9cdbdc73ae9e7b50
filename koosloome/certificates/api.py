"""Certificates in the JSON API: ``GET /api/v1/events/<id>/certificates.pdf`` for the tokens of
the event's managers (everyone's certificate, one page each; the download is logged)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from koosloome import audit
from koosloome.certificates import services
from koosloome.certificates.pdf import certificates_pdf, pdf_response
from koosloome.extensions import csrf
from koosloome.json_api import ApiProblem, api_user, managed_event, token_required

bp = Blueprint("certificates_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())


@bp.get("/events/<int:event_id>/certificates.pdf")
@token_required
def event_certificates(event_id: int) -> Response:
    """Everyone's certificate (``?lang=et|en`` for all; else each in their own language);
    409 ``no_certificate`` when nobody earns one yet."""
    event = managed_event(event_id)
    certificates = services.event_certificates(event, request.args.get("lang"))
    user = api_user()
    audit.record_access("export.certificates", user_id=user.id if user else None,
                        object_type="event", object_id=event.id, event_id=event.id,
                        people=len(certificates), via="api")
    return pdf_response(certificates_pdf(certificates), f"osalemistoendid-{event.slug}.pdf")
