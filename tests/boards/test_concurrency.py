"""A participant's votes never exceed the budget, even when sent in parallel.

Each thread uses its own test client, so each request has its own app context, session and
database connection, exactly as under a threaded server (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from koosloome.boards.models import BoardPhase, Vote
from koosloome.extensions import db
from tests.factories import join, make_idea

THREADS = 12


def _parallel(app, requests) -> list[int]:
    # The test's own thread must not hold SQLite's write lock while the threads run.
    db.session.commit()
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(send) -> None:
        client = FlaskClient(app, use_cookies=True)
        try:
            barrier.wait()
            status = send(client)
        except BaseException as error:
            with lock:
                errors.append(error)
            return
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(send,)) for send in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # End the test's own read transaction so it sees what the threads committed.
    db.session.rollback()
    return statuses


@pytest.mark.parametrize("multiple", [False, True])
def test_parallel_api_votes_stay_within_the_budget(app, make_board, multiple):
    board = make_board(votes_per_participant=3, phase=BoardPhase.VOTING,
                       multiple_votes_per_idea=multiple)
    mari, token = join(board)
    ideas = [make_idea(board, mari, f"Mõte {i}") for i in range(THREADS)]
    # Plain values only from here: threads have no app context.
    targets = [ideas[0].id] * THREADS if multiple else [idea.id for idea in ideas]
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/boards/{board.join_code}/votes"
    participant_id = mari.id
    statuses = _parallel(app, [
        (lambda client, idea_id=idea_id: client.post(url, json={"idea_id": idea_id},
                                                     headers=headers).status_code)
        for idea_id in targets
    ])
    assert sorted(statuses) == [201] * 3 + [409] * (THREADS - 3)
    count = db.session.scalar(
        select(func.count(Vote.id)).where(Vote.participant_id == participant_id)
    )
    assert count == 3


def test_parallel_page_votes_on_one_idea_give_one_vote(app, make_board, client):
    board = make_board(votes_per_participant=3, phase=BoardPhase.VOTING)
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author)
    # Plain values first: threads have no app context, and after a request through the test
    # client the main thread keeps SQLite write intent (its next transaction would lock).
    code, idea_id = board.join_code, idea.id
    client.post(f"/b/{code}/join", data={"display_name": "Mari"})
    cookie = client.get_cookie(f"kb_{code}", path=f"/b/{code}")
    assert cookie is not None

    def send(other: FlaskClient) -> int:
        other.set_cookie(cookie.key, cookie.value, path=f"/b/{code}")
        return other.post(f"/b/{code}/ideas/{idea_id}/vote",
                          headers={"X-Requested-With": "fetch"}).status_code

    statuses = _parallel(app, [send] * THREADS)
    assert sorted(statuses) == [200] + [409] * (THREADS - 1)
    assert db.session.scalar(select(func.count(Vote.id))) == 1
