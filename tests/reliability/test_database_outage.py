"""When the database goes away the app answers a translated 503 (and /healthz says so); when
it comes back the app recovers by itself, without a restart (``pool_pre_ping``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from koosloome.accounts.partners import ensure_partners
from koosloome.extensions import db

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
PG_BIN = next((d for d in PG_BIN_DIRS if (d / "initdb").exists() and (d / "pg_ctl").exists()),
              None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ThrowawayPostgres:
    """A PostgreSQL server of our own in a temporary folder, which a test may stop and start."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, *args: str) -> None:
        assert PG_BIN is not None
        # initdb and postgres refuse to run as root: run them as the postgres user then.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*prefix, str(PG_BIN / args[0]), *args[1:]],
                                capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, args[0], result.stdout,
                                                result.stderr + self._log())

    def _log(self) -> str:
        log = self.data.parent / "server.log"
        return log.read_text() if log.exists() else ""

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off")
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                 str(self.data.parent / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """Skipped only when the PostgreSQL server binaries are missing."""
    if PG_BIN is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
    folder = Path(tempfile.mkdtemp(prefix="koosloome-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = ThrowawayPostgres(folder / "data", _free_port())
    server._pg("initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust", "--no-sync")
    server.start()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # the test may have stopped it
        server.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _prepare(app) -> None:
    with app.app_context():
        db.create_all()
        ensure_partners()
        db.session.commit()


def _assert_up(client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200


def _assert_down(client) -> None:
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "unreachable"}
    page = client.get("/")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Teenus ei ole ajutiselt kättesaadav" in html
    assert "Traceback" not in html and "psycopg" not in html


def test_postgresql_going_away_gives_503_and_the_app_recovers_when_it_returns(
    make_app, throwaway_postgres
):
    app = make_app(SQLALCHEMY_DATABASE_URI=throwaway_postgres.url)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    _prepare(app)
    client = app.test_client()
    _assert_up(client)  # the pool now holds connections to the server

    throwaway_postgres.stop()
    _assert_down(client)
    _assert_down(client)  # and stays a clean 503, not a 500, on later requests

    throwaway_postgres.start()
    _assert_up(client)  # same app, same pool: no restart needed


def test_sqlite_file_going_away_gives_503_and_the_app_recovers_when_it_returns(
    make_app, tmp_path
):
    folder = tmp_path / "data"
    folder.mkdir()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/koosloome.sqlite3")
    _prepare(app)
    client = app.test_client()
    _assert_up(client)

    # An open SQLite connection keeps its file; new connections (a new worker) cannot reach it.
    folder.rename(tmp_path / "elsewhere")
    with app.app_context():
        db.engine.dispose()
    _assert_down(client)

    (tmp_path / "elsewhere").rename(folder)
    _assert_up(client)
