"""Settings for gunicorn: `gunicorn -c python:charter_service.gunicorn_config …` (README)."""

import gc


def post_worker_init(worker) -> None:
    """Freeze what the worker holds once the app is built (about 200,000 objects: modules,
    templates, the app): it lives as long as the worker, and every full collection would scan
    it again, a pause of about 100 ms in the middle of a page on a small machine. Frozen, the
    collector scans only what requests create."""
    gc.freeze()
