"""Fixtures: an app per test from the factory, a clean database per test, factories.

The database is SQLite in a temporary folder, or PostgreSQL when KOOSLOOME_TEST_DATABASE_URL
is set (``.ci/run`` runs the suite both ways). The schema is created once per session; after
each test every table is emptied.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text

from config import TestConfig
from koosloome import create_app
from koosloome.accounts.partners import ensure_partners
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from tests import factories

TEST_DATABASE_URL = os.environ.get("KOOSLOOME_TEST_DATABASE_URL")


def _test_config(**overrides: Any) -> dict[str, Any]:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database: PostgreSQL when configured, else a temporary SQLite file."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "koosloome-test.sqlite3")


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    """True when the suite runs against PostgreSQL."""
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session")
def fresh_database(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """``fresh_database("browser")`` → the URL of a new, empty database of the suite's kind
    (a temporary SQLite file, or a PostgreSQL database dropped at the end of the session)."""
    created: list[str] = []
    url = make_url(database_url)
    server = None
    if database_url.startswith("postgresql"):
        server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def create(suffix: str) -> str:
        if server is None:
            return "sqlite:///" + str(tmp_path_factory.mktemp(suffix) / f"{suffix}.sqlite3")
        name = f"{url.database}_{suffix}"
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    yield create
    if server is not None:
        with server.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def _schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    app = create_app(
        _test_config(
            SQLALCHEMY_DATABASE_URI=database_url,
            INSTANCE_PATH=str(tmp_path_factory.mktemp("instance")),
        )
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row, children first (faster than TRUNCATE on PostgreSQL for tiny tables)."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def make_config(database_url: str, tmp_path: Any) -> Callable[..., dict[str, Any]]:
    """Build a test configuration with overrides (for tests that create their own app)."""

    def build(**overrides: Any) -> dict[str, Any]:
        base = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
        base.update(overrides)
        return _test_config(**base)

    return build


class IsolatedContextClient(FlaskClient):
    """Each request gets its own app context (own ``g``, own database session), as in
    production, even though the test itself runs inside the fixture's app context.

    After each request that may write (not GET or HEAD) the client does the outbox worker's
    first step, rendering the messages the request queued unrendered
    (``messaging.delivery.render_pending``), as a running worker would within seconds; tests
    then read finished messages."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # End the test's own transaction around the request: what the test wrote is committed
        # for the request to see, and afterwards the test reads the request's writes (SQLite
        # in WAL mode would otherwise keep showing the test its older snapshot).
        db.session.commit()
        try:
            with self.application.app_context():
                response = super().open(*args, **kwargs)
                if response.request.method not in ("GET", "HEAD"):
                    db.session.remove()  # what the request left uncommitted, as teardown would
                    render_pending()
                return response
        finally:
            db.session.commit()


@pytest.fixture
def app(_schema: None, make_config: Callable[..., dict[str, Any]]) -> Iterator[Flask]:
    """A fresh application with both partner organisations, inside an app context."""
    application = create_app(make_config())
    application.test_client_class = IsolatedContextClient
    with application.app_context():
        ensure_partners()
        db.session.commit()
        yield application
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The test client; Estonian unless a test asks otherwise."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``flask`` commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture
def make_event(app: Flask) -> Callable[..., Any]:
    """``make_event(capacity=3, ...)`` → a committed, published event."""
    return factories.make_event


@pytest.fixture
def venue(app: Flask) -> Any:
    """A committed venue (Võru's Kannel) for events made through forms or the API."""
    made = factories.make_venue()
    factories.db.session.commit()
    return made


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """``make_user(Role.ADMIN, "tas")`` → a committed staff user."""
    return factories.make_user


@pytest.fixture
def make_registration(app: Flask) -> Callable[..., Any]:
    """``make_registration(event, status=...)`` → a committed registration."""
    return factories.make_registration


@pytest.fixture
def make_board(app: Flask) -> Callable[..., Any]:
    """``make_board(votes_per_participant=2, phase=BoardPhase.VOTING)`` → a committed board."""
    return factories.make_board


@pytest.fixture
def login(client: FlaskClient) -> Callable[[Any], FlaskClient]:
    """``login(user)`` signs ``user`` in on the test client (password ``correct horse battery``)."""

    def sign_in(user: Any) -> FlaskClient:
        response = client.post(
            "/login", data={"email": user.email, "password": "correct horse battery"}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def make_project(app: Flask) -> Callable[..., Any]:
    """``make_project()`` → the seed's project record, committed."""
    return factories.make_project
