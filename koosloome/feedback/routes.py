"""Answering a survey (personal link, anonymous link) and the organisers' side of it."""

from __future__ import annotations

import csv
import io

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import managed_event_or_abort as _event
from koosloome.accounts.permissions import staff_required
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.extensions import db, limiter
from koosloome.feedback import services
from koosloome.feedback.forms import FeedbackQuestionForm, feedback_form
from koosloome.feedback.models import (
    FeedbackAnswer,
    FeedbackKind,
    FeedbackSurvey,
    ResponseSource,
)
from koosloome.i18n import current_language
from koosloome.ratelimits import limit_code_lookups
from koosloome.registrations.links import registration_for_token
from koosloome.spreadsheet import neutralise

bp = Blueprint("feedback", __name__)
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _answer_page(survey: FeedbackSurvey, source: ResponseSource, registration=None,
                 action: str = "") -> ResponseReturnValue:
    """Show the form, or store the answers; the same for the personal and anonymous link."""
    if not survey.takes_answers():
        return render_template("feedback/closed.html", event=survey.event), 410
    existing = services.existing_response(survey, registration) if registration else None
    if request.method == "GET" and existing is not None:
        data = {f"q_{a.question_id}": (str(a.value) if not isinstance(a.value, str) else a.value)
                for a in existing.answers}
        form = feedback_form(survey, current_language(), formdata=None, data=data)
    else:
        form = feedback_form(survey, current_language())
    if form.validate_on_submit():
        try:
            services.submit(survey, form.answers(), source, registration)
        except services.InvalidFeedback as invalid:
            for question_id, message in invalid.errors.items():
                form[f"q_{question_id}"].errors = [message]
        else:
            return render_template("feedback/thanks.html", event=survey.event,
                                   again=existing is not None)
    return render_template("feedback/form.html", survey=survey, event=survey.event, form=form,
                           action=action, changing=existing is not None), \
        422 if form.errors else 200


@bp.route("/r/<token>/feedback", methods=["GET", "POST"])
def personal(token: str) -> ResponseReturnValue:
    """The registration's own feedback link (one answer, changeable while open)."""
    registration = registration_for_token(token)
    if registration is None:
        abort(404)
    survey = services.survey_for_event(registration.event)
    if survey is None:
        abort(404)
    return _answer_page(survey, ResponseSource.PERSONAL, registration)


@bp.route("/f/<code>", methods=["GET", "POST"])
@limit_code_lookups
@limiter.limit("20 per minute", methods=["POST"])
def anonymous(code: str) -> ResponseReturnValue:
    """The short link shown on the screen at the end of a seminar."""
    survey = services.survey_by_code(code)
    if survey is None:
        abort(404)
    return _answer_page(survey, ResponseSource.ANONYMOUS)


@bp.get("/f/<code>/qr.svg")
@limit_code_lookups
def qr_code(code: str) -> Response:
    """The anonymous link as a QR code, for the screen at the end of a seminar."""
    survey = services.survey_by_code(code)
    if survey is None:
        abort(404)
    url = f"{current_app.config['BASE_URL']}/f/{survey.code}"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=2,
                                    title=_("Feedback link"))
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


# --- Organisers ---------------------------------------------------------------------------


def _survey(event: Event) -> FeedbackSurvey:
    survey = services.survey_for_event(event)
    if survey is None:
        abort(404)
    return survey


@bp.get("/admin/events/<int:event_id>/feedback")
@staff_required(*ORGANISERS)
def overview(event_id: int) -> str:
    """Switch the survey on or off, its links, and the summary."""
    event = _event(event_id)
    survey = services.survey_for_event(event)
    total, summaries = services.summarise(survey) if survey else (0, [])
    return render_template("feedback/admin.html", event=event, survey=survey, total=total,
                           summaries=summaries, question_form=FeedbackQuestionForm(),
                           is_open=survey is not None and survey.takes_answers())


@bp.post("/admin/events/<int:event_id>/feedback/open")
@staff_required(*ORGANISERS)
def open_survey(event_id: int) -> ResponseReturnValue:
    """Switch the survey on (or reopen it)."""
    services.enable_survey(_event(event_id), current_user)
    flash(_("The feedback survey is open."), "success")
    return redirect(url_for(".overview", event_id=event_id))


@bp.post("/admin/events/<int:event_id>/feedback/close")
@staff_required(*ORGANISERS)
def close_survey(event_id: int) -> ResponseReturnValue:
    """Stop taking answers."""
    services.close_survey(_survey(_event(event_id)), current_user)
    flash(_("The feedback survey is closed."), "success")
    return redirect(url_for(".overview", event_id=event_id))


@bp.post("/admin/events/<int:event_id>/feedback/questions")
@staff_required(*ORGANISERS)
def add_question(event_id: int) -> ResponseReturnValue:
    """Add an organiser's own question."""
    survey = _survey(_event(event_id))
    form = FeedbackQuestionForm()
    if form.validate_on_submit():
        services.add_question(survey, FeedbackKind(form.kind.data), form.label_et.data or "",
                              form.label_en.data or "")
        flash(_("The question is added."), "success")
    else:
        flash(_("Write the question in Estonian."), "error")
    return redirect(url_for(".overview", event_id=event_id))


@bp.route("/admin/events/<int:event_id>/feedback/paper", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def paper(event_id: int) -> ResponseReturnValue:
    """Type in answers from a paper form (also after the survey closed)."""
    event = _event(event_id)
    survey = _survey(event)
    form = feedback_form(survey, current_language())
    if form.validate_on_submit():
        try:
            services.submit(survey, form.answers(), ResponseSource.PAPER)
        except services.InvalidFeedback as invalid:
            for question_id, message in invalid.errors.items():
                form[f"q_{question_id}"].errors = [message]
        else:
            flash(_("The answers are saved. You can type in the next form."), "success")
            return redirect(url_for(".paper", event_id=event_id))
    return render_template("feedback/paper.html", event=event, survey=survey, form=form), \
        422 if form.errors else 200


@bp.post("/admin/feedback/answers/<int:answer_id>/hide")
@staff_required(*ORGANISERS)
def hide_answer(answer_id: int) -> ResponseReturnValue:
    """Hide or show again a free-text answer."""
    answer = db.session.get(FeedbackAnswer, answer_id)
    if answer is None:
        abort(404)
    event = _event(answer.response.survey.event_id)
    services.set_hidden(answer, request.form.get("hidden") == "1", current_user)
    return redirect(url_for(".overview", event_id=event.id) + "#texts")


@bp.get("/admin/events/<int:event_id>/feedback.csv")
@staff_required(*ORGANISERS)
def export_csv(event_id: int) -> Response:
    """The summary as CSV (never names)."""
    survey = _survey(_event(event_id))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in services.summary_rows(survey, current_language()):
        writer.writerow([neutralise(cell) for cell in row])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition(f"feedback-{event_id}.csv")},
    )

