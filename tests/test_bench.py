"""`make bench` cannot rot: its smoke mode (tiny sizes, SQLite) runs every benchmark."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import require

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.sqlite_run_only  # the smoke mode makes its own SQLite databases
def test_every_benchmark_runs_in_smoke_mode(tmp_path):
    for tool in ("wrk", "redis-server"):
        require(shutil.which(tool) is not None, f"{tool} is not installed")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("BENCH_SMOKE", None)
    completed = subprocess.run([sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=600, check=False)
    output = completed.stdout
    assert completed.returncode == 0, output[-3000:] + completed.stderr[-3000:]
    for heading in ("hello-world (reference)", "Account pages", "Attestations, warm process",
                    "Downloads under gunicorn", "concurrent submissions, SQLite",
                    "Register page, SQLite, 300 signatories", "Register exports",
                    "Register bench:", "Anonymous public pages, warm",
                    "approvals, 2 moderators, SQLite: slowest answer"):
        assert heading in output, heading
    assert " 0 lost, 0 duplicated, 0 server errors" in output
