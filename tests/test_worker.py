"""The RQ worker builds the app once per worker process, not once per job, and the README's
`rq worker` command runs the jobs."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from rq.job import Job, JobStatus

from charter_service import jobs, worker

README = Path(__file__).resolve().parents[1] / "README.md"
JOB = "charter_service.accounts.mail_jobs:send_password_reset"


@pytest.fixture
def rq_app(app, redis_url, database_url, monkeypatch):
    """`app` on the rq backend; the worker builds its own app from the environment."""
    for name, value in {"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "SECRET_KEY": "test-secret-key-not-for-production",
                        "PUBLIC_BASE_URL": "http://localhost"}.items():
        monkeypatch.setenv(name, value)
    app.config.update(JOBS_BACKEND="rq", REDIS_URL=redis_url)
    jobs.queue(app).empty()
    yield app
    worker.forget_app()


def _enqueue_two(app) -> list[str]:
    return [jobs.enqueue(JOB, f"personne{n}@example.org") for n in range(2)]


def _finished(app, job_ids: list[str]) -> bool:
    connection = jobs.redis_connection(app)
    return all(Job.fetch(job_id, connection=connection).get_status() == JobStatus.FINISHED
               for job_id in job_ids)


def test_two_jobs_in_one_worker_build_the_app_once(rq_app, monkeypatch, tmp_path):
    builds = tmp_path / "builds"  # a file: each job runs in a forked work horse
    build = worker.create_app

    def counted_build():
        with builds.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return build()

    monkeypatch.setattr(worker, "create_app", counted_build)
    job_ids = _enqueue_two(rq_app)
    rq_worker = worker.Worker([jobs.queue(rq_app)], connection=jobs.redis_connection(rq_app))
    assert rq_worker.work(burst=True)
    assert _finished(rq_app, job_ids)
    assert builds.read_text().splitlines() == [str(os.getpid())]


def test_the_readme_worker_command_runs_the_jobs(rq_app):
    command = re.search(r"^(rq worker .+ charter)$", README.read_text(), re.M).group(1)
    argv = shlex.split(command.replace('"$REDIS_URL"', rq_app.config["REDIS_URL"]))
    rq = Path(sys.executable).with_name("rq")
    job_ids = _enqueue_two(rq_app)
    done = subprocess.run([str(rq), *argv[1:], "--burst"], capture_output=True, text=True,
                          timeout=120, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert _finished(rq_app, job_ids)
