"""What came of a workshop (issue 19.1): a facilitator turns a board's ideas into actions
with an owner, target group, funding and next step, follows their status (a drop says why),
and anyone reads what came of it on a public page without personal data; the same in the
JSON API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.boards.models import BoardPhase
from koosloome.extensions import db
from koosloome.outcomes.models import Action, ActionStatus, FundingSource
from tests import factories


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def workshop(app):
    """A board with two ideas (the first voted for), one hidden, and its facilitator."""
    facilitator = factories.make_user(Role.FACILITATOR, "vpk")
    board = factories.make_board(created_by=facilitator, title="Rõuge päevakeskus")
    mari, _token = factories.join(board, "Mari")
    bus = factories.make_idea(board, mari, "Kogukonnabuss kord nädalas")
    tea = factories.make_idea(board, mari, "Teeõhtud rahvamajas")
    hidden = factories.make_idea(board, mari, "Mari Maasika telefon 5555 1234")
    hidden.hidden = True
    db.session.commit()
    return board, facilitator, bus, tea, hidden


def test_a_facilitator_turns_ideas_into_an_action_and_follows_it(client, login, workshop):
    board, facilitator, bus, tea, _hidden = workshop
    login(facilitator)
    page = _text(client.get(f"/admin/boards/{board.id}/actions?idea={bus.id}"))
    assert "Kogukonnabuss kord nädalas (0 häält)" in page
    assert "Mari Maasika telefon" not in page  # a hidden idea is no source
    saved = client.post(f"/admin/boards/{board.id}/actions", data={
        "title": "Vallabuss eakatele", "ideas": [str(bus.id), str(tea.id)],
        "owner": "Rõuge vallavalitsus", "target_group": "older", "status": "planned",
        "funding": "municipality", "next_step": "Arutada vallavalitsuses",
        "next_step_on": "2027-01-15"})
    assert saved.status_code == 302
    action = db.session.scalars(select(Action)).one()
    assert [idea.id for idea in action.ideas] == [bus.id, tea.id]
    assert action.funding is FundingSource.MUNICIPALITY
    # dropped without saying why: refused beside its field, nothing changed
    refused = client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Vallabuss eakatele", "target_group": "older", "status": "dropped"})
    assert refused.status_code == 422 and "Kirjuta, miks tegevusest loobuti" in _text(refused)
    db.session.expire_all()
    assert db.session.get(Action, action.id).status is ActionStatus.PLANNED
    assert client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Vallabuss eakatele", "target_group": "older", "status": "running",
        "funding": "municipality", "ideas": [str(bus.id)]}).status_code == 302
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.status is ActionStatus.RUNNING and [i.id for i in action.ideas] == [bus.id]
    # the edit page ticks the action's ideas, so saving it again keeps them
    edit = client.get(f"/admin/boards/{board.id}/actions/{action.id}").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{bus.id}"', edit)
    assert client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Vallabuss eakatele", "target_group": "older", "status": "dropped",
        "dropped_reason": "Vallal pole raha", "ideas": [str(bus.id)]}).status_code == 302
    assert client.post(f"/admin/boards/{board.id}/actions/{action.id}", data={
        "title": "Vallabuss eakatele", "target_group": "older", "status": "started",
        "ideas": [str(bus.id)]}).status_code == 302
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert [i.id for i in action.ideas] == [bus.id]
    assert action.dropped_reason == ""  # taken up again: the old reason goes
    changes = db.session.scalars(select(AuditLog.details).where(
        AuditLog.action.like("outcome.action.%")).order_by(AuditLog.id)).all()
    assert [(c["status_from"], c["status_to"]) for c in changes][:2] == [
        (None, "planned"), ("planned", "running")]


def test_the_public_page_says_what_came_of_it_without_personal_data(client, workshop):
    board, _facilitator, bus, _tea, hidden = workshop
    db.session.add_all([
        Action(board_id=board.id, title="Vallabuss eakatele", owner="Mari Maasikas",
               status=ActionStatus.RUNNING, funding=FundingSource.MUNICIPALITY,
               ideas=[bus, hidden], next_step="Sõiduplaan valmis", next_step_on=None),
        Action(board_id=board.id, title="Teeõhtud", status=ActionStatus.DROPPED,
               dropped_reason="Rahvamaja remonditakse kevadeni"),
    ])
    db.session.commit()
    # held back like the results until the board is closed
    assert "Vallabuss eakatele" not in _text(client.get(f"/b/{board.join_code}/outcomes"))
    board.phase = BoardPhase.CLOSED
    db.session.commit()
    page = _text(client.get(f"/b/{board.join_code}/outcomes"))
    assert "Vallabuss eakatele" in page and "Käib" in page and "Rahastus: Omavalitsus" in page
    assert "Miks loobuti: Rahvamaja remonditakse kevadeni" in page
    assert "“Kogukonnabuss kord nädalas”" in page
    assert "Mari Maasikas" not in page and "5555 1234" not in page
    assert client.get("/b/XXXXXX/outcomes").status_code == 404


def test_only_the_boards_facilitators_manage_its_actions(client, login, workshop):
    board, _facilitator, _bus, _tea, _hidden = workshop
    login(factories.make_user(Role.FACILITATOR, "tas"))
    assert client.get(f"/admin/boards/{board.id}/actions").status_code == 403
    assert client.post(f"/admin/boards/{board.id}/actions",
                       data={"title": "Võõras"}).status_code == 403
    assert db.session.scalar(select(func.count(Action.id))) == 0


def test_actions_in_the_api(client, workshop):
    board, facilitator, bus, _tea, hidden = workshop
    token = create_api_token(facilitator)
    other = create_api_token(factories.make_user(Role.FACILITATOR, "tas"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/boards/{board.join_code}/actions"
    created = client.post(url, headers=headers, json={
        "title": "Vallabuss eakatele", "owner": "Rõuge vallavalitsus", "idea_ids": [bus.id],
        "target_group": "older", "funding": "municipality", "next_step_on": "2027-01-15"})
    assert created.status_code == 201, created.get_json()
    action_id = created.get_json()["id"]
    assert client.post(url, headers={"Authorization": f"Bearer {other}"},
                       json={"title": "Võõras"}).status_code == 403
    for bad in ({"title": ""}, {"status": "finished"}, {"idea_ids": [hidden.id]},
                {"next_step_on": "15.01.2027"}, {"partner_id": 999999},
                {"owner_user_id": 999999}, {"status": "dropped"}, {"colour": "red"}):
        assert client.patch(f"{url}/{action_id}", headers=headers, json=bad) \
            .status_code == 422, bad
    changed = client.patch(f"{url}/{action_id}", headers=headers,
                           json={"status": "dropped", "dropped_reason": "Vald ei leidnud raha"})
    assert changed.status_code == 200 and changed.get_json()["status"] == "dropped"
    assert client.get(url).get_json()["actions"] == []  # not closed yet
    board.phase = BoardPhase.CLOSED
    db.session.commit()
    public = client.get(url).get_json()["actions"][0]
    assert public["status"] == "dropped" and "owner" not in public
    assert client.get(url, headers=headers).get_json()["actions"][0]["owner"] == \
        "Rõuge vallavalitsus"
    assert client.delete(f"{url}/{action_id}", headers=headers).status_code == 204
    assert client.get(url).get_json()["actions"] == []
