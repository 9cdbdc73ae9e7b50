"""``flask backup`` and ``flask restore``: a backup restored into a fresh database holds
exactly what the original held."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, select

from koosloome import create_app
from koosloome.accounts.models import Role
from koosloome.backup import BackupError, backup_database, restore_database
from koosloome.extensions import db
from koosloome.privacy.services import RetentionPolicy, purge


def _contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the models, in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [tuple(row) for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def some_data(make_event, make_user, make_registration):
    """A little of everything: staff, events, registrations, audit entries."""
    make_user(Role.ADMIN, name="Anu Admin")
    event = make_event(title_et="Kaasava kogukonna seminar", capacity=2)
    make_registration(event, name="Mari Maasikas", allergies="pähklid")
    make_registration(event, name="Jüri Jõgi", phone="+372 5555 1111", email=None)
    purge(event.starts_at, RetentionPolicy(30, 84))  # writes audit rows with JSON details
    db.session.commit()


def test_backup_then_restore_into_a_fresh_database_gives_the_same_contents(
    app, runner, some_data, fresh_database, tmp_path, make_config
):
    original_url = app.config["SQLALCHEMY_DATABASE_URI"]
    backup_file = tmp_path / "backups" / "koosloome.backup"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    assert backup_file.stat().st_size > 0
    assert not backup_file.with_name("koosloome.backup.partial").exists()

    fresh_url = fresh_database("restore")
    restored_app = create_app(make_config(SQLALCHEMY_DATABASE_URI=fresh_url))
    with restored_app.app_context():
        result = restored_app.test_cli_runner().invoke(args=["restore", str(backup_file)],
                                                       input="y\n")
        assert result.exit_code == 0, result.output
        assert "Restored" in result.output
        db.engine.dispose()

    original = _contents(original_url)
    assert original["registration"] and original["audit_log"] and original["staff_user"]
    assert _contents(fresh_url) == original


def test_restore_asks_before_replacing_everything(app, runner, some_data, tmp_path):
    backup_file = tmp_path / "koosloome.backup"
    backup_database(app.config["SQLALCHEMY_DATABASE_URI"], backup_file)
    result = runner.invoke(args=["restore", str(backup_file)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, fresh_database, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError):
        restore_database(junk, fresh_database("junk"))


def test_backup_of_a_missing_sqlite_file_fails_clearly(tmp_path):
    with pytest.raises(BackupError, match="no database file"):
        backup_database(f"sqlite:///{tmp_path}/missing.sqlite3", tmp_path / "out.backup")
    assert not (tmp_path / "out.backup").exists()


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_behind_a_pooler_backup_and_restore_need_the_direct_url(make_config, tmp_path, command):
    # pg_dump's and pg_restore's session settings would stay on a pooled server connection
    # (tests/reliability/test_pgbouncer.py shows it); nothing connects before the refusal.
    pooled = create_app(make_config(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://koosloome@127.0.0.1:6432/koosloome",
        DATABASE_POOLER="pgbouncer"))
    target = tmp_path / "koosloome.backup"
    if command == "restore":
        target.write_bytes(b"a backup")
    arguments = [command, "--yes", str(target)] if command == "restore" else [command, str(target)]
    with pooled.app_context():
        result = pooled.test_cli_runner().invoke(args=arguments)
    assert result.exit_code == 1
    assert "set KOOSLOOME_DATABASE_DIRECT_URL" in result.output
    assert not target.with_name("koosloome.backup.partial").exists()
