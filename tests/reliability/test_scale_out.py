"""Scale-out (issue 9, part 3; issue 20.6), run in CI: bench/scale_out.py with a small rush.
Two gunicorn instances on one PostgreSQL and one Redis take registrations (API and HTML form,
GET on one instance, POST on the other), then two outbox workers deliver the confirmations to
one SMTP server: seats exact, nothing stored twice or lost, rate limits shared, every e-mail
once. Instances and workers reach PostgreSQL through PgBouncer in transaction-pooling mode,
as in production (docs/deploy/pgbouncer.ini), with fewer server connections than threads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.reliability.conftest import require_pgbouncer

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "scale_out.py"


def test_two_instances_and_two_outbox_workers_stay_exact_through_pgbouncer(
    database_url, is_postgres
):
    if not is_postgres:
        pytest.skip("the scale-out runs on PostgreSQL (SQLite is one machine's file)")
    require_pgbouncer()
    server = make_url(database_url).set(database="postgres")
    env = {**os.environ,
           "BENCH_POSTGRES_URL": server.render_as_string(hide_password=False)}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--capacity", "20", "--people", "80", "--clients", "16",
         "--pgbouncer", "--pool-size", "4"],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    assert "through PgBouncer (transaction pooling, 4 server connections)" in report
    assert "- PgBouncer (transaction pooling" in report, report[-6000:]
    assert "## Checks\n- all exact" in report, report[-6000:]
