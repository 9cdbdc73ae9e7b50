"""The operators' commands of the hardening work: privacy purge, backup, restore."""

from __future__ import annotations

import click


def maintenance_commands() -> list[click.Command]:
    """Commands and groups for ``init_commands`` to register."""
    from koosloome.backup_cli import backup_command, restore_command
    from koosloome.privacy.cli import privacy_cli

    return [privacy_cli, backup_command, restore_command]
