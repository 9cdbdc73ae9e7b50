"""Files that hold people's data — the SQLite database, backups, e-mails kept as files, the
secret key — are readable by the app's own user only, whatever the umask: 0600 for files,
0700 for the folders made for them. Health data of older and disabled people must not be
readable by every account on the server."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner may enter (made if missing; parents as they are)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    _restrict(path, PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner may read (made empty if missing, kept if present).

    An existing file is never opened here: closing any descriptor of an SQLite database
    drops the POSIX locks the process's connections hold on it (SQLite's "disk I/O error")."""
    if not path.exists():
        # Made meanwhile by another process: it is tightened below all the same.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    _restrict(path, PRIVATE_FILE)
    return path


def _restrict(path: Path, mode: int) -> None:
    # A file made earlier under a looser umask is tightened too; one owned by someone else
    # (a shared folder) is left alone rather than stopping the app.
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:
        pass
