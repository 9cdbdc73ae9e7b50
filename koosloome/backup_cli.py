"""``flask --app koosloome backup PATH`` and ``flask --app koosloome restore PATH``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from koosloome.backup import BackupError, backup_database, restore_database
from koosloome.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the database to PATH (SQLite file copy, or pg_dump custom format)."""
    try:
        written = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup PATH. Stop the app first."""
    url = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace everything in {url} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old state or a lock
    try:
        restore_database(path, current_app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {url} from {path}.")
