"""The SQLite writer gate: one writer at a time across threads and processes."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from koosloome.sqlite_gate import WriterGate


def test_threads_take_turns(tmp_path):
    """Twelve threads start at once on a new gate (its first use sets it up, once)."""
    gate = WriterGate(tmp_path / "db.sqlite3")
    inside: list[int] = []
    overlaps: list[int] = []

    def writer(number: int) -> None:
        gate_pass = gate.acquire(10)
        assert gate_pass is not None
        inside.append(number)
        if len(inside) > 1:
            overlaps.append(number)
        time.sleep(0.005)
        inside.remove(number)
        gate.release(gate_pass)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [] and inside == []


def test_a_thread_that_cannot_get_in_is_told_so_after_the_timeout(tmp_path):
    gate = WriterGate(tmp_path / "db.sqlite3")
    first = gate.acquire(1)
    assert first is not None
    assert gate.acquire(0.05) is None
    gate.release(first)
    again = gate.acquire(0.05)
    assert again is not None
    gate.release(again)


def test_a_second_engine_on_the_same_file_waits_and_is_told_so(tmp_path):
    """Two gates in one process (two apps on one database) exclude each other like two
    processes, and a waiter gives up after its timeout instead of hanging."""
    one, two = WriterGate(tmp_path / "db.sqlite3"), WriterGate(tmp_path / "db.sqlite3")
    held = one.acquire(1)
    assert held is not None
    assert two.acquire(0.05) is None
    one.release(held)
    second = two.acquire(1)
    assert second is not None
    two.release(second)


def _hold(path: str, ready, done) -> None:
    gate = WriterGate(path)
    gate_pass = gate.acquire(5)
    ready.set()
    done.wait(5)
    gate.release(gate_pass)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_another_process_waits_for_the_holder(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    context = multiprocessing.get_context("fork")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(path, ready, done))
    holder.start()
    try:
        assert ready.wait(10)
        gate = WriterGate(path)
        got_in = threading.Event()

        def enter() -> None:
            gate_pass = gate.acquire(5)
            got_in.set()
            gate.release(gate_pass)

        waiter = threading.Thread(target=enter)
        waiter.start()
        assert not got_in.wait(0.3)  # the other process holds the gate
        done.set()
        assert got_in.wait(5)
        waiter.join()
    finally:
        done.set()
        holder.join(10)
