"""``make run`` on another host or port keeps every link alive: manage links, invites, QR
codes and the board's join link point where the server listens, unless BASE_URL is set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Stands in for ``flask`` in each step of ``make run``: prints the link base it was given.
PRINT_BASE_URL = (f"{sys.executable} -c "
                  "'import os; print(\"<\" + os.environ[\"KOOSLOOME_BASE_URL\"] + \">\")'")


def _run_links(*assignments: str, base_url: str | None = None) -> set[str]:
    env = {key: value for key, value in os.environ.items() if key != "KOOSLOOME_BASE_URL"}
    if base_url:
        env["KOOSLOOME_BASE_URL"] = base_url
    result = subprocess.run(
        ["make", "-s", "run", f"FLASK={PRINT_BASE_URL}", *assignments],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False, env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The server and the worker print side by side: their lines may run into each other.
    return set(re.findall(r"<(https?://[^<>]+)>", result.stdout))


@pytest.mark.parametrize(("assignments", "expected"), [
    ((), "http://127.0.0.1:5000"),
    (("PORT=5101",), "http://127.0.0.1:5101"),
    (("HOST=0.0.0.0", "PORT=8080"), "http://127.0.0.1:8080"),
    (("HOST=192.168.1.20",), "http://192.168.1.20:5000"),
])
def test_make_run_derives_the_link_base_from_host_and_port(assignments, expected):
    assert _run_links(*assignments) == {expected}  # the server and the outbox worker alike


def test_a_base_url_that_is_set_wins():
    assert _run_links("PORT=5101", base_url="https://koosloome.example.ee") == {
        "https://koosloome.example.ee"}
