"""Files with people's data are the app user's alone, whatever the umask: the instance folder
0700; the SQLite database (and its WAL), the secret key and backups 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from koosloome import create_app
from koosloome.backup import backup_database
from koosloome.extensions import db


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask of a careless shell: everything readable by everyone."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_instance_is_private(tmp_path, make_config, loose_umask):
    instance = tmp_path / "instance"
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=None, SECRET_KEY=None,
                                 INSTANCE_PATH=str(instance)))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            connection.execute(text("INSERT INTO probe VALUES (1)"))
        database = instance / "koosloome.sqlite3"
        assert _mode(instance) == 0o700
        assert _mode(database) == 0o600
        assert _mode(instance / "secret_key") == 0o600
        wal = instance / "koosloome.sqlite3-wal"
        assert wal.exists() and _mode(wal) == 0o600
        target = backup_database(app.config["SQLALCHEMY_DATABASE_URI"],
                                 tmp_path / "backups" / "nightly.backup")
        db.engine.dispose()
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700


def test_an_existing_world_readable_database_is_tightened(tmp_path, make_config, loose_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "koosloome.sqlite3"
    database.touch(mode=0o644)
    create_app(make_config(SQLALCHEMY_DATABASE_URI=None, INSTANCE_PATH=str(instance)))
    assert (_mode(instance), _mode(database)) == (0o700, 0o600)


def test_a_postgresql_backup_is_private(app, is_postgres, tmp_path, loose_umask):
    if not is_postgres:
        pytest.skip("PostgreSQL's pg_dump backup; the SQLite one is tested above")
    target = backup_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "pg.backup")
    assert _mode(target) == 0o600
