"""Backups of the database and restoring them: SQLite's online backup API, or PostgreSQL's
``pg_dump`` custom format and ``pg_restore``.

Both work while the app is running: SQLite's backup API copies a consistent snapshot page by
page (WAL included), and pg_dump reads one consistent snapshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import URL, make_url

from koosloome.private_files import private_file, private_folder


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment that carries it
    (so that it never shows in the process list)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(  # noqa: S603  (fixed program, arguments are not a shell string)
        [executable, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_database(database_url: str, target: Path) -> Path:
    """Write a backup of the database at ``database_url`` to ``target`` (written atomically:
    a half-written backup never takes the name)."""
    url = make_url(database_url)
    target = target.resolve()
    if not target.parent.exists():
        private_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)  # a backup holds everyone's data: 0600 before a byte is written
    try:
        if url.get_backend_name() == "sqlite":
            source_file = _sqlite_file(url)
            if not source_file.exists():
                raise BackupError(f"no database file at {source_file}")
            with closing(sqlite3.connect(source_file)) as source, closing(
                sqlite3.connect(partial)
            ) as copy:
                source.backup(copy)
        elif url.get_backend_name() == "postgresql":
            dsn, env = _libpq(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", f"--dbname={dsn}"], env)
        else:
            raise BackupError(f"cannot back up a {url.get_backend_name()} database")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_database(source: Path, database_url: str) -> None:
    """Replace the contents of the database at ``database_url`` with the backup ``source``."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target_file = _sqlite_file(url)
        target_file.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup:
            try:
                intact = backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError:
                intact = False
            if not intact:
                raise BackupError(f"{source} is not an intact SQLite database")
            with closing(sqlite3.connect(target_file)) as target:
                backup.backup(target)
    elif url.get_backend_name() == "postgresql":
        dsn, env = _libpq(url)
        # One transaction: a failed restore leaves the database as it was.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={dsn}", str(source)], env)
    else:
        raise BackupError(f"cannot restore into a {url.get_backend_name()} database")
