"""Background jobs: `enqueue("package.module:function", *args)` runs the function elsewhere.

Backends (config JOBS_BACKEND): "rq" (production: RQ on Redis at REDIS_URL, run by
`rq worker -u $REDIS_URL --worker-class charter_service.worker.Worker charter`, which builds
the app once per worker: charter_service/worker.py), "thread" (the default for `make run`: a
small thread pool in the web process), "sync" (at once, in the caller's thread; tests). The
function always runs in an application context of its own; what it produces it keeps in the
database, so any web worker can report on it.

`after_commit(...)` enqueues only once the caller's transaction has committed (nothing if it
rolls back): the job then sees what the transaction wrote, and a request never waits for it.
"""

import importlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

BACKENDS = ("thread", "rq", "sync")
# An RQ job that fails, or whose work horse dies (killed, out of memory, its machine gone), is
# queued again this many times: a job keeps its state in the database and may run twice.
RQ_RETRIES = 3
_executors: dict[int, ThreadPoolExecutor] = {}
_pending: set[Future] = set()
_executors_lock = threading.Lock()


def resolve(func_path: str):
    module, _, name = func_path.partition(":")
    if not module.startswith("charter_service.") or not name:
        raise ValueError(f"not a job function: {func_path}")
    return getattr(importlib.import_module(module), name)


def run_in_app(app: Flask, func_path: str, *args):
    """The function in a fresh application context (its own database session)."""
    with app.app_context():
        return resolve(func_path)(*args)


def _executor(app: Flask) -> ThreadPoolExecutor:
    with _executors_lock:
        key = id(app)
        if key not in _executors:
            _executors[key] = ThreadPoolExecutor(
                max_workers=app.config["JOBS_THREADS"], thread_name_prefix="charter-job")
        return _executors[key]


def redis_connection(app: Flask | None = None):
    from redis import Redis

    config = (app or current_app).config
    return Redis.from_url(config["REDIS_URL"], **config.get("JOBS_REDIS_OPTIONS", {}))


def queue(app: Flask | None = None):
    from rq import Queue

    app = app or current_app
    return Queue(app.config["JOBS_QUEUE"], connection=redis_connection(app))


def enqueue(func_path: str, *args) -> str:
    """Runs `func_path(*args)` in the background; returns the backend's job id."""
    resolve(func_path)  # fail now, in the caller, on a wrong name
    app = current_app._get_current_object()
    backend = app.config["JOBS_BACKEND"]
    if backend == "sync":
        run_in_app(app, func_path, *args)
        return "sync"
    if backend == "thread":
        future = _executor(app).submit(run_in_app, app, func_path, *args)
        _pending.add(future)
        future.add_done_callback(_log_failure(app))
        return f"thread-{id(future)}"
    if backend == "rq":
        from rq import Retry

        job = queue(app).enqueue("charter_service.worker.run_in_worker", func_path, *args,
                                 job_timeout=app.config["JOBS_TIMEOUT"], result_ttl=3600,
                                 failure_ttl=24 * 3600, retry=Retry(max=RQ_RETRIES))
        return job.id
    raise ValueError(f"unknown JOBS_BACKEND: {backend}")


def _log_failure(app: Flask):
    def done(future) -> None:
        _pending.discard(future)
        error = future.exception()
        if error is not None:
            app.logger.error("background job failed", exc_info=error)
    return done


def wait_for_threads(timeout: float = 60) -> None:
    """Block until the thread backend's jobs submitted so far have finished (tests)."""
    wait(set(_pending), timeout=timeout)


_AFTER_COMMIT = "charter_jobs_after_commit"


def after_commit(func_path: str, *args) -> None:
    """Enqueue `func_path(*args)` when the current transaction of the app's session commits.

    If the queue cannot be reached then (Redis down), the failure is logged and the committed
    work stands: whoever relies on the job keeps its state in the database and has a command
    that picks up what was left (`flask mail retry`, for example)."""
    from ..extensions import db

    resolve(func_path)
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any statement still drops the job
    session.info.setdefault(_AFTER_COMMIT, []).append(
        (current_app._get_current_object(), func_path, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: SQLAlchemy says "commit", the transaction goes on
    for app, func_path, args in session.info.pop(_AFTER_COMMIT, []):
        with app.app_context():
            try:
                enqueue(func_path, *args)
            except Exception:  # the queue is down: the database holds what is left to do
                app.logger.exception("could not enqueue %s after commit", func_path)


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    """After a commit the list is already empty; after a rollback of the outermost
    transaction, what it asked for is dropped with it."""
    if transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)
