"""The board pages run a fixed number of SQL statements, however many ideas and votes."""

from __future__ import annotations

from sqlalchemy import insert

from koosloome.boards.models import BoardParticipant, BoardPhase, Idea, Vote
from koosloome.db import utcnow
from koosloome.extensions import db
from tests.factories import join, make_idea
from tests.sql_counter import counting_statements


def _fill(board, ideas: int, votes_per_idea: int) -> None:
    """Bulk-insert ideas across the columns and votes from many participants."""
    now = utcnow()
    voters = max(votes_per_idea, 1)
    db.session.execute(insert(BoardParticipant), [
        {"board_id": board.id, "display_name": f"Osaleja {i}", "proxy": False, "joined_at": now}
        for i in range(voters)
    ])
    participant_ids = [p.id for p in db.session.query(BoardParticipant).filter_by(
        board_id=board.id)]
    columns = [column.id for column in board.columns]
    db.session.execute(insert(Idea), [
        {"board_id": board.id, "column_id": columns[i % len(columns)], "text": f"Mõte {i}",
         "participant_id": participant_ids[i % len(participant_ids)], "anonymous": False,
         "hidden": i % 50 == 0, "hidden_reason": "", "pinned": False,
         "created_at": now, "updated_at": now}
        for i in range(ideas)
    ])
    idea_ids = [idea.id for idea in db.session.query(Idea).filter_by(board_id=board.id)]
    db.session.execute(insert(Vote), [
        {"board_id": board.id, "idea_id": idea_id, "participant_id": participant_ids[v],
         "slot": 0, "created_at": now}
        for idea_id in idea_ids for v in range(votes_per_idea)
    ])
    db.session.commit()


def _statements(app, client, path: str) -> int:
    with counting_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_board_pages_run_the_same_queries_for_1_and_500_ideas(app, client, make_board,
                                                              login):
    small = make_board(phase=BoardPhase.VOTING)
    big = make_board(phase=BoardPhase.VOTING)
    mari, _ = join(small)
    make_idea(small, mari)
    _fill(big, ideas=500, votes_per_idea=10)  # 5 000 votes
    counts = {}
    for board in (small, big):
        client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
        counts[board.id] = (
            _statements(app, client, f"/b/{board.join_code}"),
            _statements(app, client, f"/b/{board.join_code}/live"),
        )
    assert counts[small.id] == counts[big.id]
    assert counts[big.id][0] <= 12, counts
    from tests.boards.test_pages import board_creator

    login(board_creator(big))
    assert _statements(app, client, f"/admin/boards/{small.id}") == \
        _statements(app, client, f"/admin/boards/{big.id}")
    assert _statements(app, client, f"/b/{small.join_code}/results") == \
        _statements(app, client, f"/b/{big.join_code}/results")


def test_no_change_poll_is_one_small_query(app, client, make_board):
    board = make_board(phase=BoardPhase.VOTING)
    _fill(board, ideas=40, votes_per_idea=3)
    path = f"/b/{board.join_code}/live"
    client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
    etag = client.get(path).headers["ETag"]
    with counting_statements() as statements:
        response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, statements
    assert "idea" not in selects[0] and "vote" not in selects[0]


def test_a_poll_after_a_change_reads_the_state_once(app, client, make_board):
    """The shortcut's look-up is handed to the view (not read twice) when Flask answers."""
    board = make_board(phase=BoardPhase.VOTING)
    _fill(board, ideas=40, votes_per_idea=3)
    path = f"/b/{board.join_code}/live"
    client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
    etag = client.get(path).headers["ETag"]

    def selects(headers: dict[str, str]) -> list[str]:
        with counting_statements() as statements:
            assert client.get(path, headers=headers).status_code == 200
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    assert selects({"If-None-Match": etag + "-old"}) == selects({})
