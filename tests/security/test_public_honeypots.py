"""Every public form carries the honeypot; a filled one stores nothing and sends nothing,
an empty one lets people through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.boards.models import BoardParticipant, Idea
from koosloome.extensions import db
from koosloome.feedback.models import FeedbackResponse, FeedbackSurvey
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Registration
from tests.factories import make_board, make_event, make_registration, make_user, organisation

BOT = {"homepage": "http://spam.example"}


@dataclass
class PublicForm:
    """A public form: how to reach it and what a person would send."""

    path: str
    data: dict[str, Any]
    counted: Any  # the model whose rows a submission adds
    sends_mail: bool = False


def _registration(client) -> PublicForm:
    event = make_event()
    return PublicForm(f"/events/{event.slug}/register",
                      {"name": "Mari Tamm", "email": "mari@example.ee", "language": "et",
                       "consent_privacy": "y"}, Registration, sends_mail=True)


def _lost_link(client) -> PublicForm:
    make_registration(make_event(), email="mari@example.ee")
    return PublicForm("/lost-link", {"email": "mari@example.ee"}, OutgoingEmail,
                      sends_mail=True)


def _board_join(client) -> PublicForm:
    board = make_board()
    return PublicForm(f"/b/{board.join_code}/join", {"display_name": "Mari"}, BoardParticipant)


def _board_idea(client) -> PublicForm:
    board = make_board()
    client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
    return PublicForm(f"/b/{board.join_code}/ideas",
                      {"column": str(board.columns[0].id), "text": "Ühine aiamaa"}, Idea)


def _feedback(client) -> PublicForm:
    event = make_event(organisation=organisation("vpk"))
    client.post("/login", data={"email": make_user(Role.ORGANISER, "vpk").email,
                                "password": "correct horse battery"})
    client.post(f"/admin/events/{event.id}/feedback/open")
    client.post("/logout")
    survey = db.session.scalars(select(FeedbackSurvey)).one()
    first = survey.questions[0]
    return PublicForm(f"/f/{survey.code}", {f"q_{first.id}": "4"}, FeedbackResponse)


def _forgot_password(client) -> PublicForm:
    user = make_user(Role.ORGANISER, "vpk")
    return PublicForm("/forgot-password", {"email": user.email}, OutgoingEmail,
                      sends_mail=True)


FORMS = {
    "registration": _registration,
    "lost link": _lost_link,
    "board join": _board_join,
    "board idea": _board_idea,
    "anonymous feedback": _feedback,
    "forgotten password": _forgot_password,
}


def _rows(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name", FORMS)
def test_public_form_renders_the_honeypot(client, name):
    form = FORMS[name](client)
    html = client.get(form.path).get_data(as_text=True) if "/ideas" not in form.path else (
        client.get(form.path.rsplit("/ideas", 1)[0]).get_data(as_text=True))
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="homepage"' in html and 'tabindex="-1"' in html


@pytest.mark.parametrize("name", FORMS)
def test_a_filled_honeypot_stores_and_sends_nothing(client, name):
    form = FORMS[name](client)
    before = _rows(form.counted), _rows(OutgoingEmail)
    response = client.post(form.path, data={**form.data, **BOT})
    assert response.status_code < 500
    assert "spam.example" not in response.get_data(as_text=True)
    assert (_rows(form.counted), _rows(OutgoingEmail)) == before

    person = client.post(form.path, data=form.data)
    assert person.status_code in (200, 302), person.get_data(as_text=True)[:2000]
    assert _rows(form.counted) == before[0] + 1
    if form.sends_mail:
        assert _rows(OutgoingEmail) > before[1]
