"""`make bench`: figures for the quality bars of DESIGN.md, measured in one run on this machine.

`python -m bench --smoke` runs every benchmark at tiny sizes, on SQLite only, for the suite
(tests/test_bench.py): its figures mean nothing, but a benchmark that no longer runs fails.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _prepare_database(tmp: Path) -> dict:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "BENCH_TMP": str(tmp),
    }
    from .harness import ROOT

    flask = [sys.executable, "-m", "flask", "--app", "charter_service"]
    for command in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(flask + command, cwd=ROOT, env={**os.environ, **env}, check=True,
                       capture_output=True)
    return env


def main() -> None:
    arguments = argparse.ArgumentParser(prog="python -m bench")
    arguments.add_argument("--smoke", action="store_true", help="tiny sizes, SQLite only")
    if arguments.parse_args().smoke:
        os.environ["BENCH_SMOKE"] = "1"  # read by harness.size, when the modules are imported
    from . import (
        accounts,
        approvals,
        certificates,
        directory,
        moderation,
        pages,
        register,
        submissions,
    )

    with tempfile.TemporaryDirectory(prefix="charter-bench-") as folder:
        tmp = Path(folder)
        pages.run(_prepare_database(tmp))
    accounts.run()
    certificates.run()
    submissions.run()
    approvals.run()
    register.run()
    directory.run()
    moderation.run()


if __name__ == "__main__":
    main()
