"""Two gunicorn nodes, one RQ worker, one PostgreSQL and one Redis (issue 12, item 5): what is
done through one node holds on the other, and the periodic commands may run on every machine.
The tests run in this order and build on one another's state, as a deployment's day does."""

import time

from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage

from ..factories import PASSWORD
from .topology import approve, certificate_of, wait_until

ALPHA = "Alpha Coopérative"
WRONG = "pas le bon mot de passe"


def test_a_session_opened_on_a_works_on_b(topology, world, browser):
    visitor = browser()
    owner = world[ALPHA]["owner"]
    assert visitor.log_in(topology.nodes["a"], owner, PASSWORD).status_code == 302
    space = visitor.get(topology.nodes["b"] + "/espace/")
    assert space.status_code == 200 and ALPHA in space.text


def test_failed_log_ins_are_counted_once_for_both_nodes(topology, world, browser):
    """RATELIMIT_LOGIN_ACCOUNT is 5 per minute: three attempts on A and two on B use it up,
    each from an address of its own (the per-address limit never applies)."""
    account = world["Bêta Solidaire"]["owner"]
    nodes = ["a", "a", "a", "b", "b"]
    for node in nodes:
        answer = browser().log_in(topology.nodes[node], account, WRONG)
        assert answer.status_code == 200, node
    for node in ("a", "b"):
        refused = browser().log_in(topology.nodes[node], account, PASSWORD)
        assert refused.status_code == 429 and "Trop de tentatives" in refused.text


def test_a_signature_approved_on_a_shows_in_b_register(topology, world, moderator, browser):
    visitor, register = browser(), topology.nodes["b"] + "/registre"
    assert ALPHA not in visitor.get(register).text  # B's cached page, before
    assert approve(moderator, topology.nodes["a"], world[ALPHA]["signature"]).status_code == 302
    approved = time.monotonic()
    wait_until(lambda: ALPHA in visitor.get(register).text, 5,
               "the approval on A is not in B's register")
    # REGISTER_GENERATION_TTL is 1 s; the rest is the machine's own slowness, shared here.
    assert time.monotonic() - approved < 3


def test_an_attestation_issued_on_a_verifies_on_b(topology, world, cluster_app, moderator,
                                                  browser):
    signature_id = world[ALPHA]["signature"]
    certificate = wait_until(lambda: certificate_of(cluster_app, signature_id), 30,
                             "no attestation for the approved signature")
    status = browser().get(f"{topology.nodes['b']}/verifier/{certificate.number}")
    assert status.status_code == 200 and "Valide" in status.text
    pdf = moderator.get(f"{topology.nodes['a']}/moderation/attestations/"
                        f"{certificate.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    checked = browser().submit(topology.nodes["b"] + "/verifier", {}, files={
        "document": ("attestation.pdf", pdf.content, "application/pdf")})
    assert checked.status_code == 200
    assert "valide, apposée par" in checked.text and certificate.number in checked.text


def test_a_pdf_export_asked_on_a_is_made_by_the_worker_and_served_by_b(topology, browser):
    visitor = browser()
    asked = visitor.submit(topology.nodes["a"] + "/registre.pdf", {})
    assert asked.status_code == 303, asked.text[:300]
    token = asked.headers["Location"].rsplit("/", 1)[1]
    download = f"{topology.nodes['b']}/registre/exports/{token}/fichier"
    done = wait_until(lambda: (lambda r: r if r.status_code == 200 else None)(
        visitor.get(download)), 60, "the export job was not finished")
    assert done.headers["Content-Type"] == "application/pdf"
    assert done.content.startswith(b"%PDF")


def _waiting_in_outbox(cluster_app, count: int) -> list[str]:
    """`count` messages recorded as due, as if their first attempt had failed long enough
    ago."""
    recipients = [f"destinataire{n}@example.net" for n in range(count)]
    with cluster_app.app_context():
        for address in recipients:
            db.session.add(OutboxMessage(recipient=address, subject="Message en attente",
                                         body_text="Bonjour."))
        db.session.commit()
        db.session.remove()
    return recipients


def test_two_retry_loops_send_each_message_once(topology, cluster_app, smtp):
    recipients = _waiting_in_outbox(cluster_app, 16)
    smtp.delay = 0.15  # each run takes ~2.4 s to send them: the two loops overlap
    try:
        topology.flask_loops(("mail", "retry"), loops=2, runs=1)
    finally:
        smtp.delay = 0.0
    assert [smtp.received(address) for address in recipients] == [1] * len(recipients)


def test_the_audit_chain_written_by_every_node_verifies(topology):
    done = topology.flask("audit", "verify")
    assert "Journal d’audit intègre" in done.stdout
