"""An event's files: the organisers' page (list by kind, upload, delete) and their downloads.
(A shared material's download for the participant is a manage-link page: ``registrations``.)"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import can_manage_event, managed_event_or_abort, staff_required
from koosloome.errors import error_response
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.files import services
from koosloome.files.checks import megabytes, too_large_message
from koosloome.files.forms import KIND_HEADINGS, KIND_LABELS, EventFileForm
from koosloome.files.models import EventFile, EventFileKind
from koosloome.files.uploads import accepts_upload, upload_request_limit
from koosloome.form_fields import show_rule_errors

bp = Blueprint("files", __name__)
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _page(event: Event, form: EventFileForm, status: int = 200) -> ResponseReturnValue:
    files = services.event_files(event)
    return render_template(
        "files/event_files.html", event=event, form=form, headings=KIND_HEADINGS,
        labels=KIND_LABELS, kinds=list(EventFileKind),
        by_kind={kind: [f for f in files if f.kind is kind] for kind in EventFileKind},
        sizes={f.id: megabytes(f.stored.size) for f in files},
        refusers=services.photo_refusers(event), limit_mb=services.upload_limit_mb(),
        accepted=services.accepted_by_kind(),
    ), status


def _event_file(event: Event, file_id: int) -> EventFile:
    found = services.find_event_file(event, file_id)
    if found is None:
        abort(404)
    return found


@bp.route("/admin/events/<int:event_id>/files", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
@accepts_upload
def event_files(event_id: int) -> ResponseReturnValue:
    """The event's files by kind, and the form to add one."""
    event = managed_event_or_abort(event_id)
    form = EventFileForm()
    if form.validate_on_submit():
        try:
            services.add_event_file(event, request.files.get(form.file.name),
                                    by=current_user, **form.values())
        except services.FileRefused as refused:
            show_rule_errors(form, refused.fields or {})
        else:
            flash(_("The file is saved."), "success")
            return redirect(url_for(".event_files", event_id=event.id))
    return _page(event, form, 422 if form.errors else 200)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A request far over the limit was not read: the page again, saying why (what else was
    typed could not be kept)."""
    event = db.session.get(Event, (request.view_args or {}).get("event_id", 0))
    if request.endpoint != "files.event_files" or event is None or \
            not current_user.is_authenticated or not can_manage_event(current_user, event):
        return error_response(413)
    form = EventFileForm(formdata=None)
    size = request.content_length or upload_request_limit()
    show_rule_errors(form, {"file": [too_large_message(size, services.upload_limit_mb())]})
    return _page(event, form, 413)


@bp.get("/admin/events/<int:event_id>/files/<int:file_id>")
@staff_required(*ORGANISERS)
def download(event_id: int, file_id: int) -> ResponseReturnValue:
    """One of the event's files, for its organisers."""
    event = managed_event_or_abort(event_id)
    return services.send_stored_file(_event_file(event, file_id).stored)


@bp.route("/admin/events/<int:event_id>/files/<int:file_id>/delete", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def delete_file(event_id: int, file_id: int) -> ResponseReturnValue:
    """Ask to confirm, then delete the file (its bytes go once that is saved)."""
    event = managed_event_or_abort(event_id)
    event_file = _event_file(event, file_id)
    if request.method == "POST":
        services.remove_event_file(event_file, current_user)
        flash(_("The file is deleted."), "success")
        return redirect(url_for(".event_files", event_id=event.id))
    return render_template("files/delete.html", event=event, event_file=event_file,
                           labels=KIND_LABELS)
