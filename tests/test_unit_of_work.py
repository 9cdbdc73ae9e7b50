"""One unit of work per request: a view's writes are committed in one place after it returns,
rolled back when it raises or when a business rule refused something, and a commit that
fails answers 503; a refusal (DomainError) is answered in one place."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from koosloome.accounts.models import Organisation
from koosloome.errors import DomainError, back_to
from koosloome.extensions import db
from koosloome.unit_of_work import AfterCommit, unit_of_work


class TooLate(DomainError):
    status = 422
    code = "too_late"
    message = _l("Enter the last day")  # any translated text of the catalogue


def _add_organisation() -> None:
    db.session.add(Organisation(slug="uus", name="Uus partner", short_name="UP"))
    db.session.flush()


def _organisations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Organisation.id)).where(Organisation.slug == "uus"))


@pytest.fixture
def routes(app):
    """Test views, wrapped as create_app wraps every view."""

    def writes() -> str:
        _add_organisation()
        return "ok"

    def writes_then_fails() -> str:
        _add_organisation()
        raise RuntimeError("a bug after the write")

    def writes_then_is_refused() -> str:
        _add_organisation()
        raise TooLate()

    def writes_then_catches_a_refusal() -> str:
        _add_organisation()
        try:
            raise TooLate()
        except TooLate:
            return "the form again, with the error"

    @back_to("site.help_page")
    def refused_with_a_way_back() -> str:
        raise TooLate()

    def writes_then_renders_after_the_commit() -> AfterCommit:
        _add_organisation()
        organisation = db.session.scalars(select(Organisation).where(
            Organisation.slug == "uus")).one()

        def render() -> str:
            # Committed already (another connection sees it), and nothing reloaded for the page.
            with db.engine.connect() as other:
                seen = other.scalar(select(func.count(Organisation.id))
                                    .where(Organisation.slug == "uus"))
            return f"{seen} {organisation.name} {db.session().in_transaction()}"

        return AfterCommit(render)

    for path, view in (("/t/writes", writes), ("/t/fails", writes_then_fails),
                       ("/t/refused", writes_then_is_refused),
                       ("/api/t/refused", writes_then_is_refused),
                       ("/t/caught", writes_then_catches_a_refusal),
                       ("/t/back", refused_with_a_way_back),
                       ("/t/after", writes_then_renders_after_the_commit)):
        app.add_url_rule(path, endpoint=path, view_func=unit_of_work(view),
                         methods=["GET", "POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_every_view_of_the_app_is_wrapped(app):
    unwrapped = [endpoint for endpoint, view in app.view_functions.items()
                 if endpoint != "static" and not hasattr(view, "__wrapped__")]
    assert unwrapped == []


def test_a_view_that_returns_has_its_writes_committed(routes):
    assert routes.post("/t/writes").status_code == 200
    assert _organisations() == 1


def test_an_answer_made_after_the_commit_sees_it_done_and_reloads_nothing(routes):
    response = routes.post("/t/after")
    assert response.get_data(as_text=True) == "1 Uus partner False"
    assert _organisations() == 1


def test_a_view_that_raises_after_writing_leaves_nothing(routes):
    assert routes.post("/t/fails").status_code == 500
    assert _organisations() == 0


def test_a_refusal_is_answered_in_one_place_and_leaves_nothing(routes):
    page = routes.post("/t/refused")
    assert page.status_code == 422 and "Sisesta viimane päev" in page.get_data(as_text=True)
    api = routes.post("/api/t/refused", headers={"Accept-Language": "en"})
    assert api.status_code == 422
    assert api.get_json() == {"error": "too_late", "message": "Enter the last day"}
    assert _organisations() == 0


def test_a_refusal_caught_by_the_view_still_keeps_nothing(routes):
    response = routes.post("/t/caught")
    assert response.status_code == 200
    assert _organisations() == 0


def test_a_refusal_with_a_way_back_flashes_and_redirects(routes):
    response = routes.post("/t/back")
    assert response.status_code == 302 and response.headers["Location"] == "/help"
    assert "Sisesta viimane päev" in routes.get("/help").get_data(as_text=True)


def test_a_commit_that_fails_answers_503_not_a_saved_page(app, routes):
    def writes_and_the_database_goes() -> str:
        _add_organisation()
        session = db.session()

        def gone() -> None:
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

        session.commit = gone  # this request's session only
        return "saved"

    app.add_url_rule("/t/gone", endpoint="tgone", methods=["POST"],
                     view_func=unit_of_work(writes_and_the_database_goes))
    page = routes.post("/t/gone")
    assert page.status_code == 503
    assert "Teenus ei ole ajutiselt kättesaadav" in page.get_data(as_text=True)
    assert _organisations() == 0


def test_an_answer_with_an_error_status_keeps_nothing(app, routes):
    def writes_then_answers_403():
        _add_organisation()
        return {"error": "forbidden"}, 403

    app.add_url_rule("/t/403", endpoint="t403", view_func=unit_of_work(writes_then_answers_403),
                     methods=["POST"])
    assert routes.post("/t/403").status_code == 403
    assert _organisations() == 0


def test_a_request_that_only_reads_is_left_alone(app, routes):
    # A streamed export reads after the view has returned: committing would expire what
    # the view loaded and reload it row by row.
    def reads() -> str:
        db.session.scalar(select(func.count(Organisation.id)))
        app.config["SEEN_SESSION"] = db.session()
        return "read"

    app.add_url_rule("/t/reads", endpoint="treads", view_func=unit_of_work(reads))
    committed = []

    def count_commit(session):
        committed.append(session)

    session_factory = db.session.session_factory
    event.listen(session_factory, "after_commit", count_commit)
    try:
        routes.get("/t/reads")
    finally:
        event.remove(session_factory, "after_commit", count_commit)
    assert app.config["SEEN_SESSION"] not in committed


def test_insert_now_writes_one_row_as_a_flush_would(app, make_event):
    """The hot path's INSERT: the parent given as an object gives its key, column defaults
    land on the object, the object is in the session as if loaded, and the request counts
    as one that wrote (so it is committed)."""
    from koosloome.registrations.models import Registration, RegistrationNeed
    from koosloome.unit_of_work import WROTE, insert_now

    event = make_event()
    registration = Registration(event=event, status="confirmed", name="Mari", email="m@x.ee",
                                manage_nonce="n", manage_token_hash="h")
    registration.needs.append(RegistrationNeed(code="wheelchair"))
    db.session.info.pop(WROTE, None)
    insert_now(registration)
    db.session.flush()  # the needs, the usual way
    assert db.session.info.get(WROTE) is True
    assert registration in db.session and registration.id is not None
    assert registration.event_id == event.id and registration.seats == 1
    assert registration.created_at is not None and registration.companion is False
    registration_id = registration.id
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.get(Registration, registration_id)
    assert (stored.name, [need.code for need in stored.needs]) == ("Mari", ["wheelchair"])
