"""Server-side sessions: a cookie copied before log-out or a password change opens nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from charter_service import jobs
from charter_service.accounts import tokens
from charter_service.accounts.models import LoginSession
from charter_service.db_types import utcnow
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, log_in

SESSION, REMEMBER = "session", "remember_token"


@pytest.fixture
def member(make):
    return make.user("membre@example.org")


def _copy(source, target, *names):
    for name in names:
        target.set_cookie(name, source.get_cookie(name).value)
    return target


def _opens_the_space(browser) -> bool:
    return browser.get("/espace/").status_code == 200


def _logged_in(app, make, member, remember=True):
    browser = app.test_client()
    log_in(browser, member.email, make.password, **({"remember": "y"} if remember else {}))
    assert _opens_the_space(browser)
    return browser


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(LoginSession).order_by(LoginSession.id)).all()


def test_a_session_cookie_copied_before_log_out_is_refused_after(app, make, member):
    laptop = _logged_in(app, make, member, remember=False)
    thief = _copy(laptop, app.test_client(), SESSION)
    assert _opens_the_space(thief)

    laptop.post("/compte/deconnexion")

    assert not _opens_the_space(thief)
    assert not _opens_the_space(laptop)


def test_a_remember_cookie_copied_before_log_out_is_refused_after(app, make, member):
    laptop = _logged_in(app, make, member)
    thief = _copy(laptop, app.test_client(), REMEMBER)
    assert _opens_the_space(thief)  # through the remember cookie alone
    thief = _copy(laptop, app.test_client(), REMEMBER)

    laptop.post("/compte/deconnexion")

    assert not _opens_the_space(thief)


def test_log_out_ends_only_this_device(app, make, member):
    laptop, phone = _logged_in(app, make, member), _logged_in(app, make, member)

    laptop.post("/compte/deconnexion")

    assert not _opens_the_space(laptop)
    assert _opens_the_space(phone)
    assert [row.revoked_at is not None for row in _rows()] == [True, False]


def _change_password(browser, current):
    return browser.post("/compte/", data={
        "password-current_password": current, "password-password": NEW_PASSWORD,
        "password-password_confirm": NEW_PASSWORD, "password-submit": "y"})


def test_a_password_change_ends_every_other_session_and_every_copy(app, make, member):
    laptop, phone = _logged_in(app, make, member), _logged_in(app, make, member)
    copies = [_copy(laptop, app.test_client(), SESSION), _copy(laptop, app.test_client(), REMEMBER)]

    assert _change_password(laptop, make.password).status_code == 302

    assert _opens_the_space(laptop)
    assert not _opens_the_space(phone)
    assert not any(_opens_the_space(copy) for copy in copies)


def test_a_password_reset_ends_every_session(app, make, member):
    laptop, phone = _logged_in(app, make, member), _logged_in(app, make, member)
    token = tokens.make(tokens.RESET_PURPOSE,
                        {"uid": member.id, "fp": tokens.password_fingerprint(member)})
    borrowed = app.test_client()

    response = borrowed.post(f"/compte/reinitialiser/{token}", data={
        "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert _opens_the_space(borrowed)
    assert not _opens_the_space(laptop) and not _opens_the_space(phone)


def test_logging_in_again_ends_the_browser_s_previous_session(app, make, member):
    laptop = _logged_in(app, make, member, remember=False)
    before = _copy(laptop, app.test_client(), SESSION)

    log_in(laptop, member.email, make.password)

    assert _opens_the_space(laptop)
    assert not _opens_the_space(before)


def test_only_a_hash_of_the_session_key_is_stored(app, make, member):
    laptop = _logged_in(app, make, member, remember=False)
    with laptop.session_transaction() as session:
        key = session["_user_id"].partition(":")[2]
    [row] = _rows()
    assert len(key) >= 43 and key not in row.key_hash


def test_a_session_unused_for_30_days_ends(app, make, member):
    laptop = _logged_in(app, make, member)
    [row] = _rows()
    row.last_seen_at = utcnow() - timedelta(days=31)
    db.session.commit()

    assert not _opens_the_space(laptop)


def test_activity_is_recorded_at_most_every_few_minutes(app, make, member):
    laptop = _logged_in(app, make, member)
    [row] = _rows()
    row.last_seen_at = seen = utcnow() - timedelta(minutes=10)
    db.session.commit()

    assert _opens_the_space(laptop)
    jobs.wait_for_threads()  # recorded by a background job, out of the request
    [row] = _rows()
    assert row.last_seen_at > seen + timedelta(minutes=9)
    touched = row.last_seen_at
    assert _opens_the_space(laptop)
    jobs.wait_for_threads()
    assert _rows()[0].last_seen_at == touched
