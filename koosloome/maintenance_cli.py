"""The operators' commands of the hardening work: privacy purge, files sweep, backup,
restore."""

from __future__ import annotations

import click


def maintenance_commands() -> list[click.Command]:
    """Commands and groups for ``init_commands`` to register."""
    from koosloome.backup_cli import backup_command, restore_command
    from koosloome.files.cli import files_cli
    from koosloome.privacy.cli import privacy_cli

    return [privacy_cli, files_cli, backup_command, restore_command]
