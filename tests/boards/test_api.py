"""The boards' JSON API: staff token for creating and facilitating, participant tokens."""

from __future__ import annotations

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.boards.models import BoardPhase
from koosloome.boards.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS
from koosloome.extensions import db
from tests.factories import make_idea


def _staff(make_user, role=Role.FACILITATOR, org="vpk"):
    user = make_user(role, org)
    token = create_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_workshop_end_to_end_through_the_api(client, make_user):
    staff = _staff(make_user)
    created = client.post("/api/v1/boards", json={
        "title": "Töötuba", "question": "Kuidas?", "votes_per_participant": 2,
    }, headers=staff)
    assert created.status_code == 201, created.json
    code = created.json["code"]
    column = created.json["columns"][1]["id"]
    joined = client.post(f"/api/v1/boards/{code}/participants", json={"display_name": "Mari"})
    assert joined.status_code == 201
    me = {"Authorization": f"Bearer {joined.json['token']}"}
    idea = client.post(f"/api/v1/boards/{code}/ideas", json={"column_id": column,
                                                              "text": "Buss"}, headers=me)
    assert idea.status_code == 201
    client.post(f"/api/v1/boards/{code}/phase", json={"phase": "voting"}, headers=staff)
    vote = client.post(f"/api/v1/boards/{code}/votes", json={"idea_id": idea.json["id"]},
                       headers=me)
    assert vote.status_code == 201 and vote.json["votes_left"] == 1
    board = client.get(f"/api/v1/boards/{code}", headers=me).json
    assert board["phase"] == "voting" and board["columns"][1]["ideas"][0]["votes"] == 1
    assert board["votes_left"] == 1
    back = client.delete(f"/api/v1/boards/{code}/votes/{vote.json['id']}", headers=me)
    assert back.status_code == 200 and back.json["votes_left"] == 2


def test_api_refuses_what_the_pages_refuse(client, make_board, make_user):
    board = make_board(votes_per_participant=1, phase=BoardPhase.VOTING)
    code = board.join_code
    joined = client.post(f"/api/v1/boards/{code}/participants", json={}).json
    me = {"Authorization": f"Bearer {joined['token']}"}
    from koosloome.boards.models import BoardParticipant

    other = db.session.get(BoardParticipant, joined["participant"]["id"])
    first, second = make_idea(board, other, "A"), make_idea(board, other, "B")
    assert client.post(f"/api/v1/boards/{code}/votes", json={"idea_id": first.id},
                       headers=me).status_code == 201
    refused = client.post(f"/api/v1/boards/{code}/votes", json={"idea_id": second.id},
                          headers=me)
    assert refused.status_code == 409 and refused.json["error"] == "budget_exhausted"
    posted = client.post(f"/api/v1/boards/{code}/ideas",
                         json={"column_id": board.columns[0].id, "text": "x"}, headers=me)
    assert posted.json["error"] == "wrong_phase"
    assert client.get("/api/v1/boards/ZZZZZZ").status_code == 404
    assert client.get(f"/api/v1/boards/{code}").status_code == 401
    assert client.post(f"/api/v1/boards/{code}/votes", json={"idea_id": "x"},
                       headers=me).status_code == 422


def test_facilitator_actions_need_a_facilitator_of_the_board(client, make_board, make_user):
    board = make_board()
    code = board.join_code
    outsider = _staff(make_user, Role.FACILITATOR, "tas")
    assert client.post(f"/api/v1/boards/{code}/phase", json={"phase": "voting"},
                       headers=outsider).status_code == 403
    assert client.post(f"/api/v1/boards/{code}/phase",
                       json={"phase": "voting"}).status_code == 401
    admin = _staff(make_user, Role.ADMIN)
    from koosloome.boards.models import BoardParticipant

    mari = BoardParticipant(board=board, display_name="Mari")
    db.session.add(mari)
    db.session.commit()
    a, b = make_idea(board, mari, "A"), make_idea(board, mari, "B")
    theme = client.post(f"/api/v1/boards/{code}/themes", json={"name": "Liikumine"},
                        headers=admin)
    assert theme.status_code == 201
    assert client.post(f"/api/v1/boards/{code}/ideas/{a.id}/theme",
                       json={"theme_id": theme.json["id"]}, headers=admin).status_code == 200
    assert client.post(f"/api/v1/boards/{code}/ideas/{a.id}/move",
                       json={"column_id": board.columns[2].id}, headers=admin).status_code == 200
    merged = client.post(f"/api/v1/boards/{code}/ideas/{b.id}/merge",
                         json={"into_idea_id": a.id}, headers=admin)
    assert merged.json == {"merged_into": a.id, "votes_returned": 0}
    assert client.post(f"/api/v1/boards/{code}/ideas/{a.id}/hide", json={},
                       headers=admin).status_code == 422
    hidden = client.post(f"/api/v1/boards/{code}/ideas/{a.id}/hide", json={"reason": "Kordus"},
                         headers=admin)
    assert hidden.json["columns"][2]["ideas"][0]["hidden"] is True
    assert client.post(f"/api/v1/boards/{code}/ideas/{a.id}/unhide",
                       headers=admin).status_code == 200


def test_openapi_documents_every_board_endpoint(app):
    documented = {(path, method) for path, item in OPENAPI_PATHS.items() for method in item}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("boards_api."):
            path = rule.rule.replace("/api/v1", "").replace("<code>", "{code}")
            path = path.replace("<int:idea_id>", "{idea_id}").replace("<int:vote_id>", "{vote_id}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, (path, method)
    assert "Board" in OPENAPI_SCHEMAS


def test_a_board_is_linked_only_to_an_event_of_the_creators_partner(client, make_user,
                                                                     make_event):
    """Regression: any staff token could link a board to the other partner's event, which
    then offered that board to the other partner's participants on their manage pages."""
    from koosloome.boards.models import Board

    vpk_event = make_event()
    body = {"title": "Töötuba", "question": "Kuidas?", "event_id": vpk_event.id}
    for role in (Role.FACILITATOR, Role.ORGANISER):
        refused = client.post("/api/v1/boards", json=body,
                              headers=_staff(make_user, role, "tas"))
        assert refused.status_code == 422, refused.json
        assert "event_id" in refused.json["fields"]
    assert db.session.query(Board).count() == 0
    for role, org in ((Role.FACILITATOR, "vpk"), (Role.ADMIN, "tas")):
        created = client.post("/api/v1/boards", json=body, headers=_staff(make_user, role, org))
        assert created.status_code == 201 and created.json["event_id"] == vpk_event.id


def test_posting_an_idea_without_a_token_is_refused_before_the_body_is_read(client,
                                                                            make_board):
    """Regression: a request without credentials got 422 for its body instead of 401."""
    code = make_board().join_code
    for body in ({}, {"column_id": "x"}):
        response = client.post(f"/api/v1/boards/{code}/ideas", json=body)
        assert response.status_code == 401 and response.json["error"] == "unauthorized"
