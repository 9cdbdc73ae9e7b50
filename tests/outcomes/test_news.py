"""News of what came of a workshop (issue 19.1): participants who ask for it when they join
a board get a short e-mail, in their language, when an action from its ideas moves on; one
link stops it and deletes the address at once."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.boards.models import BoardParticipant, BoardPhase
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.outcomes.models import Action, ActionStatus
from tests import factories


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _join(app, board, language: str, **data: str):
    visitor = app.test_client()
    visitor.set_cookie("lang", language)
    return visitor, visitor.post(f"/b/{board.join_code}/join",
                                 data={"display_name": "Anne", **data})


def test_joining_with_the_box_ticked_needs_an_address_and_keeps_the_consent(app):
    board = factories.make_board(title="Rõuge päevakeskus")
    _visitor, refused = _join(app, board, "et", updates="y")
    assert refused.status_code == 400
    assert "Sisesta uudiste jaoks e-posti aadress või võta linnuke ära" in _text(refused)
    assert db.session.scalars(select(BoardParticipant)).all() == []
    _visitor, without = _join(app, board, "et", updates_email="ei@example.ee")
    assert without.status_code == 302
    _visitor, joined = _join(app, board, "en", updates="y", updates_email="anne@example.org")
    assert joined.status_code == 302
    people = db.session.scalars(select(BoardParticipant).order_by(BoardParticipant.id)).all()
    assert people[0].updates_email is None  # an address without the box is not kept
    assert (people[1].updates_email, people[1].updates_language) == ("anne@example.org", "en")
    assert people[1].updates_consent_at is not None


def test_an_action_that_moves_on_is_news_for_those_who_asked_once_the_board_is_closed(
        app, client, login):
    facilitator = factories.make_user(Role.FACILITATOR, "vpk")
    board = factories.make_board(created_by=facilitator, title="Rõuge päevakeskus")
    _join(app, board, "en", updates="y", updates_email="anne@example.org")
    factories.join(board, "Mari")  # joined without asking for news
    login(facilitator)
    client.post(f"/admin/boards/{board.id}/actions", data={
        "title": "Vallabuss eakatele", "target_group": "older", "status": "planned"})
    action = db.session.scalars(select(Action)).one()
    running = {"title": "Vallabuss eakatele", "target_group": "older", "status": "running",
               "next_step": "Sõiduplaan valda"}
    client.post(f"/admin/boards/{board.id}/actions/{action.id}", data=running)
    assert db.session.scalars(select(OutgoingEmail)).all() == []  # the board is still open
    board.phase = BoardPhase.CLOSED
    db.session.commit()
    client.post(f"/admin/boards/{board.id}/actions/{action.id}", data=running)  # unchanged
    assert db.session.scalars(select(OutgoingEmail)).all() == []
    client.post(f"/admin/boards/{board.id}/actions/{action.id}",
                data={**running, "status": "done"})
    render_pending()
    (news,) = db.session.scalars(select(OutgoingEmail)).all()
    assert news.to_address == "anne@example.org"
    assert news.subject == "What came of the ideas: Vallabuss eakatele"
    assert "Now: Done" in news.body_text and f"/b/{board.join_code}/outcomes" in news.body_text
    assert db.session.get(Action, action.id).status is ActionStatus.DONE


def test_the_stop_link_asks_first_then_forgets_the_address_at_once(app, client, login):
    facilitator = factories.make_user(Role.FACILITATOR, "vpk")
    board = factories.make_board(created_by=facilitator, title="Rõuge päevakeskus")
    _join(app, board, "et", updates="y", updates_email="anne@example.org")
    board.phase = BoardPhase.CLOSED
    action = Action(board_id=board.id, title="Teeõhtud", status=ActionStatus.PLANNED)
    db.session.add(action)
    db.session.commit()
    login(facilitator)
    client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Teeõhtud", "target_group": "both", "status": "dropped",
        "dropped_reason": "Ruumi polnud"})
    render_pending()
    (news,) = db.session.scalars(select(OutgoingEmail)).all()
    assert "Miks: Ruumi polnud" in news.body_text
    link = re.search(r"http\S+/news/\S+", news.body_text).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    visitor = app.test_client()
    page = visitor.get(f"/{path}")
    assert "anne@example.org" in _text(page)
    person = db.session.scalars(select(BoardParticipant)).one()
    assert person.updates_email == "anne@example.org"  # opening the link stops nothing
    assert visitor.get(f"/{path[:-3]}xyz").status_code == 200  # a wrong link tells nothing
    stopped = visitor.post(f"/{path}")
    assert "Sinu aadress on kustutatud" in _text(stopped)
    db.session.expire_all()
    person = db.session.scalars(select(BoardParticipant)).one()
    assert (person.updates_email, person.updates_nonce, person.updates_consent_at) == (
        None, None, None)
    client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Teeõhtud", "target_group": "both", "status": "planned"})
    assert len(db.session.scalars(select(OutgoingEmail)).all()) == 1  # no more news


def test_erasing_the_registration_forgets_the_news_address_too(app, client):
    event = factories.make_event()
    registration = factories.make_registration(event, email="anne@example.org")
    board = factories.make_board(title="Rõuge päevakeskus", event=event)
    _visitor, joined = _join(app, board, "et", updates="y", updates_email="anne@example.org",
                            r=registration.manage_token)
    assert joined.status_code == 302
    person = db.session.scalars(select(BoardParticipant)).one()
    assert person.updates_email == "anne@example.org" and person.registration_id
    copy = json.loads(client.get(f"/r/{registration.manage_token}/data.json").data)
    assert copy["news_of_workshop_outcomes"][0]["email"] == "anne@example.org"
    assert client.post(f"/r/{registration.manage_token}/erase").status_code in (200, 302)
    db.session.expire_all()
    person = db.session.scalars(select(BoardParticipant)).one()
    assert (person.updates_email, person.updates_nonce, person.display_name) == (None, None, "")
