"""``flask --app koosloome backup PATH`` and ``flask --app koosloome restore PATH``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import make_url

from koosloome.backup import BackupError, backup_database, restore_database
from koosloome.extensions import db


def _database_url() -> str:
    """The database to back up or restore, reached without a connection pooler.

    pg_dump and pg_restore set session settings (``search_path`` to '' among them; a restore
    keeps them after its COMMIT). Through PgBouncer's transaction pooling the server
    connection then goes back to the pool with them, and the app's next transaction there
    finds none of its tables."""
    config = current_app.config
    if config["DATABASE_DIRECT_URL"]:
        return config["DATABASE_DIRECT_URL"]
    if config["DATABASE_POOLER"]:
        raise click.ClickException(
            f"The database is reached through {config['DATABASE_POOLER']}: set "
            "KOOSLOOME_DATABASE_DIRECT_URL to the same database without the pooler "
            "(PostgreSQL's own port), and backups and restores will use it.")
    return config["SQLALCHEMY_DATABASE_URI"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the database to PATH (SQLite file copy, or pg_dump custom format)."""
    try:
        written = backup_database(_database_url(), path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup PATH. Stop the app first."""
    target = _database_url()
    url = make_url(target).render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace everything in {url} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old state or a lock
    try:
        restore_database(path, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {url} from {path}.")
