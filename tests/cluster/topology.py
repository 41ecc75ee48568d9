"""The processes of a deployment on several machines, on this one: PostgreSQL, Redis, an SMTP
server, two gunicorn nodes on two ports, one RQ worker, all with one production environment;
and a browser that talks to them over real HTTP."""

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from http.cookies import SimpleCookie
from pathlib import Path

import requests
from sqlalchemy import select

from bench.harness import free_port, gunicorn
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db

from ..pgcluster import PG_BIN, Cluster, _as_postgres

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


class Redis:
    """A redis-server of our own on a fixed port, so that a test can stop and restart it."""

    def __init__(self, directory: Path) -> None:
        self.port, self.directory, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        from redis import Redis as Client

        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: _answers(lambda: Client.from_url(self.url).ping()), 10,
                   "redis-server did not start")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _answers(probe) -> bool:
    try:
        probe()
        return True
    except Exception:
        return False


def wait_until(condition, seconds: float, failure: str):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(0.1)


def restart_postgresql(cluster: Cluster, mode: str = "fast") -> None:
    """pg_ctl restart: the same port and options; every open connection is cut."""
    # The new server writes to the log, not to pipes of ours that it would hold open.
    subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "-m", mode,
                                "-l", str(cluster.root / "log"), "-w", "restart"),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


class Topology:
    """Everything started once for the cluster tests; `env` is what every machine is given."""

    def __init__(self, tmp: Path, smtp) -> None:
        self.tmp, self.smtp = tmp, smtp
        self._stack = ExitStack()
        self.nodes: dict[str, str] = {}

    def start(self) -> "Topology":
        self.postgresql = Cluster().start()
        self._stack.callback(self.postgresql.stop)
        self.redis = Redis(self.tmp).start()
        self._stack.callback(self.redis.stop)
        self.env = self._environment(self.postgresql.create_database("charter_cluster"))
        self.flask("db", "upgrade")
        self.worker = self._start_worker()
        with ThreadPoolExecutor(2) as starting:  # the two nodes boot side by side
            servers = [gunicorn("charter_service:create_app()", self.env, workers=1)
                       for _ in range(2)]
            urls = list(starting.map(lambda server: server.__enter__(), servers))
        for name, server, url in zip(("a", "b"), servers, urls, strict=True):
            self._stack.push(server.__exit__)
            self.nodes[name] = url
        wait_until(lambda: "Listening on" in (self.tmp / "worker.log").read_text(), 60,
                   "the RQ worker did not start")
        return self

    def _environment(self, database_url: str) -> dict:
        from charter_service.certificates import keys

        signing = self.tmp / "signing"
        keys.generate(signing)
        return {
            "ENV_NAME": "production", "DATABASE_URL": database_url,
            "SECRET_KEY": "secret-key-shared-by-the-nodes", "AUDIT_KEY": "audit-key-shared",
            "SIGNING_KEY": str(signing / keys.KEY_FILE),
            "SIGNING_CERT": str(signing / keys.CERT_FILE),
            "REDIS_URL": self.redis.url, "JOBS_BACKEND": "rq",
            "MAIL_SERVER": self.smtp.host, "MAIL_PORT": str(self.smtp.port), "MAIL_TIMEOUT": "3",
            "PUBLIC_BASE_URL": "http://charte.test", "TRUSTED_PROXIES": "1",
            # Every register PDF is prepared by the worker.
            "EXPORT_PDF_INLINE_ROWS": "0", "BENCH_TMP": str(self.tmp),
        }

    def _start_worker(self) -> subprocess.Popen:
        log = open(self.tmp / "worker.log", "w")
        self._stack.callback(log.close)
        process = subprocess.Popen(
            [str(BIN / "rq"), "worker", "-u", self.redis.url, "--worker-class",
             "charter_service.worker.Worker", "charter"],
            cwd=ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        self._stack.callback(_end, process)
        return process

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(BIN / "flask"), "--app", "charter_service", *args],
                              cwd=ROOT, env={**os.environ, **self.env}, capture_output=True,
                              text=True, timeout=120)
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def flask_loops(self, args: tuple[str, ...], loops: int, runs: int) -> list[str]:
        """`loops` shell loops at once, each running the command `runs` times, as cron does
        on several machines; returns what each printed."""
        command = " ".join([str(BIN / "flask"), "--app", "charter_service", *args])
        script = f"for i in $(seq {runs}); do {command} || true; done"
        processes = [subprocess.Popen(["bash", "-c", script], cwd=ROOT,
                                      env={**os.environ, **self.env}, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                     for _ in range(loops)]
        return [process.communicate(timeout=180)[0] for process in processes]

    def redis_connection(self):
        from redis import Redis as Client

        return Client.from_url(self.redis.url)

    def current_job_id(self) -> str:
        """The job being run (the worker's own record may be gone with a restarted Redis)."""
        from rq.registry import StartedJobRegistry

        registry = StartedJobRegistry(self.env.get("JOBS_QUEUE", "charter"),
                                      connection=self.redis_connection())
        [job_id] = registry.get_job_ids()
        return job_id

    def horse_of_worker(self) -> int | None:
        """The work horse the worker forked for its current job, if any."""
        children = Path(f"/proc/{self.worker.pid}/task/{self.worker.pid}/children")
        pids = children.read_text().split()
        return int(pids[0]) if pids else None

    def stop(self) -> None:
        self._stack.close()


def _end(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


class Browser:
    """One visitor over HTTP, from its own address (X-Forwarded-For, TRUSTED_PROXIES=1), with
    its cookies sent to whichever node it talks to. Production cookies are `Secure` and the
    nodes speak plain HTTP here, so the cookies are kept by hand rather than by requests."""

    def __init__(self, address: str) -> None:
        self.address, self.cookies = address, {}
        self.http = requests.Session()

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-For": self.address, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.http.cookies.clear()
        response = self.http.request(method, url, headers=headers, allow_redirects=False,
                                     timeout=30, **kwargs)
        for header in response.raw.headers.getlist("Set-Cookie"):
            self._keep(header)
        return response

    def _keep(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def hidden(self, url: str, prefix: str = "") -> dict[str, str]:
        """The hidden fields (CSRF token, lock version…) of the page at `url` whose names
        start with `prefix` (the form's prefix, for a page of several forms)."""
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code)
        fields = {}
        for tag in INPUT.findall(page.text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if attributes.get("type") == "hidden" and attributes.get("name", "").startswith(
                    prefix):
                fields[attributes["name"]] = attributes.get("value", "")
        return fields

    def submit(self, page_url: str, data: dict, action: str | None = None, prefix: str = "",
               **kwargs) -> requests.Response:
        """POST a form of the page at `page_url` (to `action`, or to the page itself)."""
        fields = {**self.hidden(page_url, prefix), **data}
        return self.request("POST", action or page_url, data=fields, **kwargs)

    def log_in(self, node: str, email: str, password: str) -> requests.Response:
        return self.submit(node + "/compte/connexion", {"email": email, "password": password})



def approve(moderator, node: str, signature_id: int):
    page = f"{node}/moderation/signatures/{signature_id}"
    return moderator.submit(page, {"approuver-confirm": "1"}, action=f"{page}/approuver",
                            prefix="approuver-")


def certificate_of(cluster_app, signature_id: int) -> Certificate | None:
    with cluster_app.app_context():
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.signature_id == signature_id,
            Certificate.status == CertificateStatus.VALID))
        db.session.remove()
        return certificate
