"""Start gunicorn on a free loopback port, load it with wrk, report requests/s and latency."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int = 2):
    port = free_port()
    log = Path(env.get("BENCH_TMP", "/tmp")) / f"gunicorn-{port}.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--preload", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "info", app_spec],
            cwd=ROOT, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_workers(log, workers, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_workers(log: Path, workers: int, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.read_text().count("Booting worker") >= workers:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                time.sleep(0.5)
                return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start: {log.read_text()[-2000:]}")


def wrk(url: str, seconds: int = 5, connections: int = 16) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required for the benchmarks: apt-get install wrk")
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _latency(output, "50%")
    p99 = _latency(output, "99%")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": int(errors.group(1)) if errors else 0}


def _latency(output: str, label: str) -> float:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def row(name: str, result: dict, reference: float | None = None) -> str:
    ratio = f"{result['rps'] / reference:6.1%}" if reference else "     —"
    return (f"{name:<34} {result['rps']:>9.0f} req/s  p50 {result['p50_ms']:6.1f} ms  "
            f"p99 {result['p99_ms']:6.1f} ms  {ratio} of hello  non-2xx {result['non_2xx']}")
