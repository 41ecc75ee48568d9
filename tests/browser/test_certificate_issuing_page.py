"""An attestation still « en cours de préparation », as a visitor of /verifier/<number> sees it
in Chromium: a verdict of its own (neutral, the brand's blue: not yet valid, nothing wrong),
readable and accessible."""

import pytest

from charter_service.accounts.models import Role
from charter_service.certificates import render
from charter_service.certificates.models import Certificate
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply

pytestmark = pytest.mark.browser

BRAND = "rgb(31, 58, 138)"  # --brand in app.css


@pytest.fixture
def in_progress(make, monkeypatch):
    """An approval whose attestation is not rendered yet (its job has not run)."""
    def not_yet(data):
        raise RuntimeError("the job has not run yet")

    monkeypatch.setattr(render, "render_fitted", not_yet)
    signature = make.signature(make.organisation(owner=make.user(), name="Ateliers du Rhône"),
                               make.version())
    apply(signature, Transition.APPROVE, actor=make.user(role=Role.MODERATOR))
    db.session.commit()
    return db.session.scalars(db.select(Certificate.number)).one()


def test_the_verdict_in_progress_has_its_own_neutral_style(page, axe, screenshot, in_progress):
    page.goto(f"/verifier/{in_progress}")
    verdict = page.locator(".verdict-issuing")
    assert "En cours de préparation" in verdict.inner_text()
    style = verdict.evaluate("e => { const s = getComputedStyle(e);"
                             " return [s.borderLeftColor, s.backgroundColor]; }")
    assert style == [BRAND, "rgb(238, 242, 251)"]
    axe(page)
    screenshot(page, "certificates-status-issuing")
