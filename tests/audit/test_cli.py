import re

from charter_service.audit import services
from charter_service.extensions import db

from .conftest import sql


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def test_verify_reports_an_intact_log(app, log):
    result = _run(app, "verify")
    assert result.exit_code == 0
    assert result.output.strip() == "Journal d’audit intègre : 5 entrées vérifiées."


def test_verify_names_the_first_broken_entry_and_fails(app, log):
    sql('UPDATE audit_entries SET "after" = :v WHERE seq = 4', v='{"status":"approved"}')
    db.session.remove()
    result = _run(app, "verify")
    assert result.exit_code == 1
    assert result.output.startswith("Journal d’audit corrompu à l’entrée n° 4 : ")


def test_head_prints_an_anchor_that_verify_accepts_and_that_catches_truncation(app, log):
    printed = _run(app, "head").output.strip()
    assert re.fullmatch(r"5:[0-9a-f]{64}", printed)
    assert services.head() == (5, printed.split(":")[1])
    assert _run(app, "verify", "--anchor", printed).exit_code == 0

    sql("DELETE FROM audit_entries WHERE seq = 5")
    db.session.remove()
    assert _run(app, "verify").exit_code == 0
    result = _run(app, "verify", "--anchor", printed)
    assert result.exit_code == 1
    assert "entrée n° 5" in result.output


def test_a_malformed_anchor_is_refused_in_french(app, log):
    result = _run(app, "verify", "--anchor", "cinq")
    assert result.exit_code == 2
    assert "format attendu" in result.output


def test_head_of_an_empty_log(app):
    assert _run(app, "head").output.strip() == "Journal d’audit vide."
