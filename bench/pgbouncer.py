"""PgBouncer in front of a PostgreSQL server, for the benchmarks and the tests.

    with PgBouncer("postgresql+psycopg://postgres@127.0.0.1:5432/postgres") as bouncer:
        url = bouncer.url("koosloome_scale")   # the same user and password, through the pooler
        bouncer.admin("SHOW POOLS")            # PgBouncer's console, as a list of dicts

    python bench/pgbouncer.py [--server URL] [--pool-size N]   # run one until Ctrl-C

Runs Debian's /usr/sbin/pgbouncer as a child process with the [pgbouncer] settings of
docs/deploy/pgbouncer.ini (transaction pooling and the pool sizes production uses; keyword
arguments override them), except what is local to the run: a free port on 127.0.0.1, no unix
socket, trust authentication of the server URL's user (its password, if any, in the auth file
logs PgBouncer in to PostgreSQL), and a wildcard database entry, so that every database of the
server is reachable under its own name. Its files live in a temporary folder; ``stop`` (or
leaving the ``with`` block) ends it. PgBouncer refuses to run as root: as root it is started
with ``-u postgres`` (or ``nobody``) and the folder is handed to that user.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "docs" / "deploy" / "pgbouncer.ini"
BINARY = Path("/usr/sbin/pgbouncer")
INSTALL_HINT = "apt-get install -y pgbouncer"


def binary() -> Path | None:
    """Debian's pgbouncer, or one on PATH; None when it is not installed."""
    if BINARY.exists():
        return BINARY
    found = shutil.which("pgbouncer")
    return Path(found) if found else None


def example_settings() -> dict[str, str]:
    """The [pgbouncer] section of docs/deploy/pgbouncer.ini."""
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"))
    parser.read(EXAMPLE)
    return dict(parser["pgbouncer"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> str | None:
    """The user PgBouncer switches to when started by root (it refuses to run as root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("pgbouncer refuses to run as root, and there is no postgres user")


class PgBouncer:
    """One PgBouncer process on a free loopback port in front of ``server_url``'s server."""

    def __init__(self, server_url: str, **settings: Any) -> None:
        from sqlalchemy import make_url

        self.server = make_url(server_url)
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="koosloome-pgbouncer-"))
        self.settings = {**example_settings(), **self._local(), **{
            key: str(value) for key, value in settings.items()}}
        self.process: subprocess.Popen[bytes] | None = None
        self._log = self.folder / "pgbouncer.log"

    def _local(self) -> dict[str, str]:
        user = self.server.username or "postgres"
        return {
            "listen_addr": "127.0.0.1", "listen_port": str(self.port), "unix_socket_dir": "",
            "auth_type": "trust", "auth_file": str(self.folder / "userlist.txt"),
            "admin_users": user, "stats_users": user, "logfile": "", "pidfile": "",
        }

    def _write_files(self) -> Path:
        user = self.server.username or "postgres"
        password = (self.server.password or "").replace('"', '""')
        (self.folder / "userlist.txt").write_text(f'"{user}" "{password}"\n')
        lines = ["[databases]",
                 f"* = host={self.server.host or '127.0.0.1'} port={self.server.port or 5432}",
                 "", "[pgbouncer]"]
        lines += [f"{key} = {value}" for key, value in self.settings.items()]
        config = self.folder / "pgbouncer.ini"
        config.write_text("\n".join(lines) + "\n")
        return config

    def start(self) -> PgBouncer:
        """Write the configuration, start PgBouncer and wait until it accepts connections."""
        program = binary()
        if program is None:
            raise RuntimeError(f"pgbouncer is not installed ({INSTALL_HINT})")
        config = self._write_files()
        command = [str(program), str(config)]
        user = _run_as()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            command[1:1] = ["-u", user]
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited:\n{self.log_tail()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"pgbouncer not listening after {timeout} s:\n{self.log_tail()}")

    def url(self, database: str | None = None) -> str:
        """The server URL's user, password and driver, through PgBouncer, to ``database``
        (default: the server URL's)."""
        url = self.server.set(host="127.0.0.1", port=self.port)
        if database is not None:
            url = url.set(database=database)
        return url.render_as_string(hide_password=False)

    def admin(self, command: str) -> list[dict[str, Any]]:
        """Run ``SHOW …`` on PgBouncer's console (it speaks only the simple query protocol)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, dbname="pgbouncer",
                             user=self.server.username or "postgres",
                             password=self.server.password, autocommit=True,
                             cursor_factory=psycopg.ClientCursor) as connection:
            cursor = connection.execute(command)
            names = [column.name for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def pool(self, database: str) -> dict[str, Any]:
        """``SHOW POOLS``' row for ``database`` (empty before its first client)."""
        return next((row for row in self.admin("SHOW POOLS") if row["database"] == database),
                    {})

    def log_tail(self, lines: int = 30) -> str:
        """The end of PgBouncer's log."""
        text = self._log.read_text(errors="replace") if self._log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Immediate shutdown (SIGTERM), then remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PgBouncer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def main() -> None:
    """Run one PgBouncer in front of a server until Ctrl-C (for trying things by hand)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--pool-size", type=int, default=None,
                        help="default_pool_size (default: docs/deploy/pgbouncer.ini's)")
    args = parser.parse_args()
    extra = {} if args.pool_size is None else {"default_pool_size": args.pool_size}
    with PgBouncer(args.server, **extra) as bouncer:
        print(f"PgBouncer on {bouncer.url()} (Ctrl-C stops it)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    sys.exit(main())
