"""Feedback surveys: answering by personal and anonymous link, paper answers, the summary."""

from __future__ import annotations

from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.extensions import db
from koosloome.feedback import services
from koosloome.feedback.models import FeedbackResponse, FeedbackSurvey
from tests.factories import organisation


def _open_survey(login, make_user, event):
    client = login(make_user(Role.ORGANISER, "vpk"))
    client.post(f"/admin/events/{event.id}/feedback/open")
    survey = db.session.scalars(select(FeedbackSurvey)).one()
    return client, survey


def _answers(survey, **by_key):
    ids = {q.key: q.id for q in survey.questions}
    return {f"q_{ids[key]}": value for key, value in by_key.items()}


def test_switching_on_adds_the_default_questions(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    _client, survey = _open_survey(login, make_user, event)
    assert [q.key for q in survey.questions] == [
        "usefulness", "most_useful", "differently", "recommend", "accessibility", "comments"]
    assert len(survey.code) == 6


def test_personal_link_answers_once_and_can_change(client, login, make_user, make_event,
                                                   make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event)
    staff, survey = _open_survey(login, make_user, event)
    staff.post("/logout")
    path = f"/r/{registration.manage_token}/feedback"
    form = client.get(path).get_data(as_text=True)
    assert "<legend>Kui kasulik oli sündmus sinu jaoks?" in form
    assert 'type="range"' not in form  # no sliders
    client.post(path, data=_answers(survey, usefulness="4", most_useful="Näited"))
    again = client.get(path).get_data(as_text=True)
    assert "Oled juba vastanud" in again and "Näited" in again
    client.post(path, data=_answers(survey, usefulness="5"))
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1
    _total, summaries = services.summarise(survey)
    assert summaries[0].answered == 1 and summaries[0].average == 5.0


def test_anonymous_link_out_of_range_and_closed_survey(client, login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    staff, survey = _open_survey(login, make_user, event)
    staff.post("/logout")
    bad = client.post(f"/f/{survey.code}", data=_answers(survey, usefulness="9"))
    assert bad.status_code == 422
    assert "Pole korrektne valik" in bad.get_data(as_text=True) or \
        "Vali number 1 kuni 5" in bad.get_data(as_text=True)
    client.post(f"/f/{survey.code.lower()}", data=_answers(survey, usefulness="3"))
    assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1
    survey.open = False
    db.session.commit()
    closed = client.get(f"/f/{survey.code}")
    assert closed.status_code == 410
    assert "Tagasisideküsitlus on suletud" in closed.get_data(as_text=True)


def test_service_refuses_values_out_of_range(make_event, make_user):
    event = make_event()
    survey = services.enable_survey(event, make_user())
    usefulness = survey.questions[0]
    access = survey.questions[4]
    try:
        services.submit(survey, {usefulness.id: 0, access.id: "maybe"},
                        services.ResponseSource.ANONYMOUS)
    except services.InvalidFeedback as invalid:
        assert set(invalid.errors) == {usefulness.id, access.id}
    else:
        raise AssertionError("accepted out-of-range values")


def test_small_groups_are_not_broken_down_and_texts_can_be_hidden(login, make_user,
                                                                  make_event):
    event = make_event(organisation=organisation("vpk"))
    staff, survey = _open_survey(login, make_user, event)
    for value in ("4", "5"):
        staff.post(f"/admin/events/{event.id}/feedback/paper",
                   data=_answers(survey, usefulness=value, comments="Mari Tamm oli tore"))
    html = staff.get(f"/admin/events/{event.id}/feedback").get_data(as_text=True)
    assert "Vähem kui 3 vastust: ei jaotata." in html
    assert "keskmine 4,5" in html
    staff.post(f"/admin/events/{event.id}/feedback/paper", data=_answers(survey, usefulness="3"))
    _total, summaries = services.summarise(survey)
    assert summaries[0].breakdown == [("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1)]
    text = summaries[5].texts[0]
    staff.post(f"/admin/feedback/answers/{text.id}/hide", data={"hidden": "1"})
    _total, summaries = services.summarise(survey)
    assert len(summaries[5].texts) == 1 and len(summaries[5].hidden_texts) == 1


def test_csv_summary_has_no_names_and_neutralises_formulas(login, make_user, make_event,
                                                           make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event, name="Salajane Nimi")
    staff, survey = _open_survey(login, make_user, event)
    services.submit(survey, {survey.questions[5].id: "=HYPERLINK(\"x\")"},
                    services.ResponseSource.PERSONAL, registration)
    db.session.commit()
    response = staff.get(f"/admin/events/{event.id}/feedback.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "Salajane Nimi" not in text
    assert "'=HYPERLINK" in text


def test_facilitators_cannot_see_feedback_admin(client, login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    login(make_user(Role.FACILITATOR, "vpk"))
    assert client.get(f"/admin/events/{event.id}/feedback").status_code == 403


def test_thank_you_carries_the_personal_feedback_link_and_reminder_the_programme(
    make_user, make_event, make_registration
):
    from datetime import timedelta

    from koosloome.events.models import AgendaItem
    from koosloome.messaging.kinds import MessageKind
    from koosloome.messaging.notify import notify
    from tests.mail.helpers import rendered

    event = make_event(feedback_url="https://forms.example/other")
    event.agenda = [AgendaItem(starts_at=event.starts_at + timedelta(minutes=30),
                               title_et="Arutelu laudades", room_et="Väike saal")]
    registration = make_registration(event)
    plain = rendered(notify(registration, MessageKind.THANK_YOU))
    assert "https://forms.example/other" in plain.body_text  # no survey of ours yet
    services.enable_survey(event, make_user())
    thanks = rendered(notify(registration, MessageKind.THANK_YOU))
    assert f"/r/{registration.manage_token}/feedback" in thanks.body_text
    reminder = rendered(notify(registration, MessageKind.REMINDER))
    assert "Arutelu laudades (Väike saal)" in reminder.body_text
    assert "Programm" in reminder.body_text and "Arutelu laudades" in reminder.body_html


def test_anonymous_link_has_a_qr_code(client, make_user, make_event):
    survey = services.enable_survey(make_event(), make_user())
    db.session.commit()
    response = client.get(f"/f/{survey.code}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    assert client.get("/f/NOPE00/qr.svg").status_code == 404
