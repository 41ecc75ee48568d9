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


BENCHMARKS = ["pages", "accounts", "certificates", "submissions", "approvals", "register",
              "directory", "moderation"]


def main() -> None:
    arguments = argparse.ArgumentParser(prog="python -m bench")
    arguments.add_argument("--smoke", action="store_true", help="tiny sizes, SQLite only")
    arguments.add_argument("only", nargs="*", choices=[[], *BENCHMARKS], metavar="benchmark",
                           help=f"run only these, of: {', '.join(BENCHMARKS)} (default: all)")
    parsed = arguments.parse_args()
    if parsed.smoke:
        os.environ["BENCH_SMOKE"] = "1"  # read by harness.size, when the modules are imported
    chosen = parsed.only or BENCHMARKS
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

    if "pages" in chosen:
        with tempfile.TemporaryDirectory(prefix="charter-bench-") as folder:
            pages.run(_prepare_database(Path(folder)))
    modules = {"accounts": accounts, "certificates": certificates, "submissions": submissions,
               "approvals": approvals, "register": register, "directory": directory,
               "moderation": moderation}
    for name in BENCHMARKS[1:]:
        if name in chosen:
            modules[name].run()


if __name__ == "__main__":
    main()
