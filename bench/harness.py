"""Start gunicorn on a free loopback port, load it with wrk, report requests/s and latency."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def size(full, smoke):
    """A size of the benchmarks: `smoke` under `python -m bench --smoke` (BENCH_SMOKE=1, which
    child processes inherit), so that the suite runs every benchmark quickly."""
    return smoke if os.environ.get("BENCH_SMOKE") == "1" else full


SECONDS = size(5, 1)  # each wrk run


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
            [str(BIN / "gunicorn"), "-c", "python:charter_service.gunicorn_config", "--preload",
             "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--graceful-timeout", "5", "--log-level", "info", app_spec],
            cwd=ROOT, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_workers(log, workers, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a loaded machine: workers still finishing
            process.kill()
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


# Appended to every wrk script: exact percentiles from wrk's own histogram, in microseconds.
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("percentile %d %d\\n", p, latency:percentile(p)))
  end
end
"""


def wrk(url: str, seconds: int = SECONDS, connections: int = 16, script: str = "",
        timeout: int = 2) -> dict:
    """Requests/s, p50/p90/p95/p99 (ms), non-2xx and timed-out counts; `script` is extra wrk
    Lua (for example a `request` function varying the URL). Requests slower than `timeout`
    seconds are left out of the percentiles: raise it where slow answers are expected."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required for the benchmarks: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-wrk-") as lua:
        lua.write(script + PERCENTILES_LUA)
        lua.flush()
        completed = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
             "--latency", "-s", lua.name, url],
            capture_output=True, text=True, check=False,
        )
    output = completed.stdout
    if completed.returncode or "Requests/sec" not in output:
        raise RuntimeError(f"wrk failed on {url}: {completed.stderr or output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {int(p): int(us) / 1000
                   for p, us in re.findall(r"^percentile (\d+) (\d+)$", output, re.MULTILINE)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return {"rps": rps, "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "p50_ms": percentiles[50], "p90_ms": percentiles[90],
            "p95_ms": percentiles[95], "p99_ms": percentiles[99],
            "non_2xx": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def row(name: str, result: dict, reference: float | None = None) -> str:
    ratio = f"{result['rps'] / reference:6.1%}" if reference else "     —"
    return (f"{name:<34} {result['rps']:>9.0f} req/s  p50 {result['p50_ms']:6.1f} ms  "
            f"p99 {result['p99_ms']:6.1f} ms  {ratio} of hello  non-2xx {result['non_2xx']}")


def judged(name: str, figure: str, goal: str, passed: bool) -> str:
    """One line of a quality bar: the figure measured, the goal, PASS or FAIL."""
    return f"{'PASS' if passed else 'FAIL'}  {name:<46} {figure:<34} goal: {goal}"


def databases(name: str, postgresql: bool):
    """(engine, database URL, a scratch folder): a SQLite file, then, if `postgresql`, a
    database in a throwaway PostgreSQL cluster (tests/pgcluster.py), stopped afterwards."""
    sys.path.insert(0, str(ROOT))
    from tests.pgcluster import Cluster

    with tempfile.TemporaryDirectory(prefix=f"charter-bench-{name}-") as directory:
        yield "SQLite", f"sqlite:///{Path(directory) / f'{name}.sqlite3'}", Path(directory)
    if not postgresql:
        return
    with tempfile.TemporaryDirectory(prefix=f"charter-bench-{name}-") as directory:
        cluster = Cluster().start()
        try:
            yield "PostgreSQL", cluster.create_database(name), Path(directory)
        finally:
            cluster.stop()


def measured_on_each_database(name: str, measure, postgresql: bool) -> list[tuple[str, bool]]:
    """measure(engine, url, scratch folder) → [(figure, passed)] on each database of
    `databases`, then one line: how many figures passed, in how long, and which failed."""
    start = time.perf_counter()
    results = []
    for engine, url, tmp in databases(name, postgresql):
        results += measure(engine, url, tmp)
    failed = [figure for figure, passed in results if not passed]
    print(f"{name.capitalize()} bench: {len(results) - len(failed)}/{len(results)} PASS "
          f"in {time.perf_counter() - start:.0f} s"
          + (f"; FAIL: {', '.join(failed)}" if failed else ""))
    return results


# Read from a file of URLs; each thread walks its own stride through it, so no URL repeats.
VARIED_LUA = """
local paths = {}
for line in io.lines("%(file)s") do paths[#paths + 1] = line end
local threads = 0
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local n = 0
request = function()
  local index = (offset + n * 2) %% #paths + 1
  n = n + 1
  return wrk.format(nil, paths[index])
end
"""


def warm(base: str, path: str, requests: int = 8, headers: dict | None = None) -> float:
    """Concurrent requests, so that every worker (each with its own cache) has answered the
    URL once; returns the slowest, the cost of a cold page."""
    def timed(_) -> float:
        start = time.perf_counter()
        request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
        return time.perf_counter() - start

    with ThreadPoolExecutor(requests) as pool:
        return max(pool.map(timed, range(requests))) * 1000


def drain(base: str, deadline: float = 90) -> None:
    """Wait until both workers are idle: after wrk stops, a sync worker still answers the
    requests already queued, which would slow down the next measurement."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if warm(base, "/static/app.css", requests=2) < 50:
            return
    print(f"    (workers still busy after {deadline:.0f} s)")


def hello(env: dict) -> float:
    with gunicorn("bench.hello:app", env) as base:
        return wrk(base + "/")["rps"]
