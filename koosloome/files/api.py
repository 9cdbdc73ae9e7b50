"""An event's files in the JSON API, for those who manage the event (staff tokens): list,
upload (multipart/form-data), download, delete. A refused upload answers 413 (too large),
415 (not an accepted type) or 422 (empty, no file, photo consent not confirmed), with the
reason in the request's language, and stores nothing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from koosloome.events.models import Event
from koosloome.extensions import csrf
from koosloome.files import services
from koosloome.files.checks import too_large_message
from koosloome.files.models import EventFile, EventFileKind
from koosloome.files.uploads import accepts_upload, upload_request_limit
from koosloome.json_api import ApiProblem, api_user, json_error, managed_event, token_required

bp = Blueprint("files_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

FIELDS = {"kind", "title", "shared_with_participants", "nobody_refused", "file"}
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def file_json(event_file: EventFile) -> dict[str, Any]:
    """An event's file as JSON (its bytes are at ``content_url``)."""
    stored = event_file.stored
    return {
        "id": event_file.id, "event_id": event_file.event_id, "kind": event_file.kind.value,
        "title": event_file.title,
        "shared_with_participants": event_file.shared_with_participants,
        "file_name": stored.original_name, "content_type": stored.content_type,
        "size": stored.size, "sha256": stored.sha256,
        "created_at": event_file.created_at.isoformat(),
        "content_url": url_for(".file_content", event_id=event_file.event_id,
                               file_id=event_file.id),
    }


def _event_file(event: Event, file_id: int) -> EventFile:
    found = services.find_event_file(event, file_id)
    if found is None:
        raise ApiProblem(404, "not_found", _("No such file"))
    return found


def _flag(name: str, errors: dict[str, list[str]]) -> bool:
    value = (request.form.get(name) or "").strip().lower()
    if value not in _TRUE | _FALSE:
        errors[name] = [_("Send true or false")]
    return value in _TRUE


def _upload_values() -> dict[str, Any]:
    """The form fields of an upload, checked; ``ApiProblem`` 400/422 otherwise."""
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(400, "bad_request", _("Send the file as multipart/form-data"))
    errors: dict[str, list[str]] = {
        name: [_("Unknown field")] for name in {*request.form, *request.files} - FIELDS}
    kind = request.form.get("kind", "")
    if kind not in {k.value for k in EventFileKind}:
        errors["kind"] = [_("Not one of the choices")]
    title = request.form.get("title", "")
    if len(title) > 200:
        errors["title"] = [_("Too long")]
    values = {"title": title, "shared": _flag("shared_with_participants", errors),
              "nobody_refused": _flag("nobody_refused", errors)}
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    return {**values, "kind": EventFileKind(kind)}


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    size = request.content_length or upload_request_limit()
    message = too_large_message(size, services.upload_limit_mb())
    return json_error(413, "too_large", message, {"file": [message]})


@bp.get("/events/<int:event_id>/files")
@token_required
def list_files(event_id: int) -> ResponseReturnValue:
    """The event's files, every kind."""
    event = managed_event(event_id)
    return jsonify({"event_id": event.id,
                    "files": [file_json(f) for f in services.event_files(event)]})


@bp.post("/events/<int:event_id>/files")
@token_required
@accepts_upload
def upload_file(event_id: int) -> ResponseReturnValue:
    """Attach a file: ``kind``, ``title``, ``file``; ``shared_with_participants`` for a
    material; ``nobody_refused`` (true) for photos."""
    event = managed_event(event_id)
    values = _upload_values()
    user = api_user()
    assert user is not None  # token_required
    added = services.add_event_file(event, request.files.get("file"), by=user, **values)
    return jsonify(file_json(added)), 201


@bp.get("/events/<int:event_id>/files/<int:file_id>/content")
@token_required
def file_content(event_id: int, file_id: int) -> ResponseReturnValue:
    """The file's bytes."""
    event = managed_event(event_id)
    return services.send_stored_file(_event_file(event, file_id).stored)


@bp.delete("/events/<int:event_id>/files/<int:file_id>")
@token_required
def delete_file(event_id: int, file_id: int) -> ResponseReturnValue:
    """Delete the file (its bytes go once that is saved)."""
    event = managed_event(event_id)
    services.remove_event_file(_event_file(event, file_id), api_user())
    return "", 204
