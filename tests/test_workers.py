"""Worker processes: results in order, errors passed on, and no worker outlives its parent or a Ctrl-C."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.workers import Workers

ROOT = Path(__file__).resolve().parents[1]

# A parent that starts two workers on long tasks and prints their pids; the tests kill or interrupt it.
SCRIPT = """
import os, sys, time
sys.path.insert(0, {root!r})
from kg.workers import Workers

if __name__ == "__main__":  # the workers are spawned: they import this file too
    try:
        with Workers(2) as workers:
            results = workers.map(time.sleep, [30] * 4)
            time.sleep(1.0)  # let both workers start
            print(" ".join(str(pid) for pid in workers._executor._processes), flush=True)
            list(results)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def _gone(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def parent(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    line = process.stdout.readline()
    pids = [int(p) for p in line.split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids), (line, process.stderr.read())
    yield process, pids
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdout.close()
    process.stderr.close()


def test_results_in_order_and_errors_passed_on():
    with Workers(2) as workers:
        assert list(workers.map(math.sqrt, [16, 9, 4, 1, 0])) == [4.0, 3.0, 2.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="math domain error"):
        with Workers(2) as workers:
            list(workers.map(math.sqrt, [4, -1, 9]))


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_die_when_their_parent_is_killed(parent):
    process, pids = parent
    process.kill()  # SIGKILL: the parent runs no cleanup at all
    process.wait()
    assert _gone(pids, 3), [p for p in pids if _alive(p)]


def test_ctrl_c_stops_parent_and_workers_within_a_second(parent):
    process, pids = parent
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what a terminal does: the whole process group gets it
    assert process.wait(5) == 130
    assert time.monotonic() - start < 1.0
    assert _gone(pids, 1)
    assert "Traceback" not in process.stderr.read()  # the workers ignore SIGINT


def test_a_worker_killed_from_outside_is_an_error_not_a_hang():
    with pytest.raises(KGError, match="a worker process died"):
        with Workers(1) as workers:
            results = workers.map(time.sleep, [30, 30])
            pending = next(iter(workers._executor._processes.values()), None)
            deadline = time.monotonic() + 10
            while pending is None and time.monotonic() < deadline:  # the worker starts with the first task
                time.sleep(0.05)
                pending = next(iter(workers._executor._processes.values()), None)
            os.kill(pending.pid, signal.SIGKILL)
            list(results)
