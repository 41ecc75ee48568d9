"""The RQ side of background jobs (jobs/ is the web side).

`rq worker --worker-class charter_service.worker.Worker charter` builds the app once, when the
worker starts; each job then runs in a work horse forked from it, which inherits the app instead
of building its own. Under another worker class the app is built by the first job of each
process: once per worker with `rq.worker.SimpleWorker`, once per job with rq's forking default.
"""

import os

from flask import Flask
from rq.worker import Worker as RQWorker

from . import create_app, jobs
from .extensions import db

_app: Flask | None = None
_built_in: int | None = None  # the process that built `_app`


def worker_app() -> Flask:
    """The app of this worker process, built from its environment the first time."""
    global _app, _built_in
    if _app is None:
        _app, _built_in = create_app(), os.getpid()
    return _app


def run_in_worker(func_path: str, *args):
    """Entry point of an RQ job. In a forked work horse, database connections are the horse's
    own: none is taken over from the parent, and the horse closes its own before it exits."""
    app = worker_app()
    forked = os.getpid() != _built_in
    if forked:
        with app.app_context():
            db.engine.dispose(close=False)
    try:
        return jobs.run_in_app(app, func_path, *args)
    finally:
        if forked:
            with app.app_context():
                db.engine.dispose()


def forget_app() -> None:
    """Close the app's database connections and drop it; the next job builds one again (tests,
    whose in-process workers read a new environment for each test)."""
    global _app, _built_in
    if _app is not None:
        with _app.app_context():
            db.engine.dispose()
    _app = _built_in = None


class Worker(RQWorker):
    """rq's forking worker, with the app built before the first fork."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        worker_app()
