import threading

from sqlalchemy.exc import IntegrityError, OperationalError

from charter_service.audit import services
from charter_service.extensions import db

THREADS, APPENDS = 4, 5


def test_concurrent_appends_keep_one_contiguous_chain(app):
    """PostgreSQL serialises appends with an advisory lock; on SQLite a fork fails on the
    unique seq, the caller's transaction rolls back and the caller may try again."""
    start, lock = threading.Barrier(THREADS), threading.Lock()
    retries, errors = [0], []

    def worker(n: int) -> None:
        with app.app_context():
            try:
                start.wait()
                for i in range(APPENDS):
                    while True:
                        try:
                            services.record("test.append", "thread", n, actor=None,
                                            before={"i": i}, after={"i": i + 1})
                            db.session.commit()
                            break
                        except (IntegrityError, OperationalError):
                            db.session.rollback()
                            with lock:
                                retries[0] += 1
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert services.verify() == services.VerificationResult(ok=True, checked=THREADS * APPENDS)
    if db.engine.dialect.name == "postgresql":
        assert retries[0] == 0
