"""Every GET page of the URL map, 320 px wide, with the demo data: nothing scrolls sideways
(WCAG 1.4.10, reflow). Each page is visited as the person who can see it; a rule this module
can neither fill nor names as skipped fails the test, so that a new page joins it."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter_service.accounts import tokens
from charter_service.accounts.models import User
from charter_service.admin import drafts
from charter_service.certificates.models import Certificate
from charter_service.charters.services import current_version
from charter_service.commitments import partners
from charter_service.commitments.annual import services as annual
from charter_service.commitments.models import (
    Commitment,
    CommitmentStatus,
    PartnerStatus,
    ProgressUpdate,
)
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.organisations import members
from charter_service.organisations.models import MemberRole, Organisation
from charter_service.register.readmodel.models import ExportJob
from charter_service.signatures import handover, representative
from charter_service.signatures.models import Signature, SignatureStatus

pytestmark = pytest.mark.browser

WIDTH = 320
OWNER = "helene.marchand@demo.example.org"
LOGINS = {"member": OWNER, "moderator": "moderateur@demo.example.org",
          "admin": "admin@demo.example.org"}
NOT_HTML = (".pdf", ".csv", ".json", ".atom", "/fichier", "/logo")
# GET rules that are not an HTML page of their own, or only send elsewhere.
SKIPPED = {
    "static": "files of the stylesheet",
    "accounts.export": "the person's data as a JSON download",
    "admin.index": "redirects to the charter versions",
    "charters.current": "redirects to the current version's page",
    "moderation.deliberation": "a PDF download",
    "signatures.deliberation": "a PDF download",
    "commitments.annual_current": "redirects to this year's annual report",
    "commitments.annual_document": "a PDF download",
    "commitments.annual_evidence": "a PDF download",
    "commitments.moderation_report_document": "a PDF download",
    "commitments.moderation_report_evidence": "a PDF download",
}
# The pages below /compte/ that a visitor sees; the others are the member's.
VISITOR_ACCOUNT_PAGES = {"accounts.login", "accounts.signup", "accounts.forgot_password",
                         "accounts.resend_confirmation", "accounts.confirm",
                         "accounts.reset_password"}
ROLE_BY_PREFIX = (("/moderation/", "moderator"), ("/admin/", "admin"), ("/espace/", "member"),
                  ("/compte/", "member"))
# More states of a few pages, with the query strings that change what they show.
EXTRA_PAGES = [
    ("visitor", "/registre?q=commune&type=collectivite&region=84&tri=date"),
    ("visitor", "/engagements?principe=P1"),
    ("moderator", "/moderation/?type=inconnu"),
]

# Measured with every <details> open: what it folds must fit too.
OVERFLOW = """() => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const clipped = (node) => {
    for (let a = node.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('');
  let worst = null;
  const consider = (el, right, node = el) => {
    if (right <= width + 0.5 || clipped(node)) return;
    if (!worst || right > worst.right + 0.5
        || (Math.abs(right - worst.right) <= 0.5 && worst.el.contains(el))) worst = {el, right};
  };
  for (const el of document.body.querySelectorAll('*'))
    consider(el, el.getBoundingClientRect().right);
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    range.selectNodeContents(node);
    consider(node.parentElement, range.getBoundingClientRect().right, node);
  }
  if (!worst) return {scrollWidth, element: '(none found)'};
  const path = [];
  for (let a = worst.el; a && a !== document.body; a = a.parentElement) path.unshift(name(a));
  return {scrollWidth, right: Math.round(worst.right), element: path.slice(-4).join(' > '),
          text: worst.el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)};
}"""


@dataclass
class DemoWorld:
    """What the rules' arguments are filled with: the owner's organisation and its objects."""
    values: dict
    by_endpoint: dict


def _first(statement):
    return db.session.scalars(statement.limit(1)).first()


def _export_job() -> str:
    job = ExportJob(token="reflow-" + "x" * 36, format="pdf", query_args="{}", generation=0,
                    filename="registre.pdf")
    db.session.add(job)
    return job.token


def _representative_link() -> str:
    """A signature prepared for its representative, in an organisation whose last one ended."""
    ended = _first(select(Signature).where(Signature.status == SignatureStatus.WITHDRAWN))
    organisation = ended.organisation
    signature = representative.prepare(organisation, current_version(), {
        "signatory_name": "Noémie Représentante", "signatory_function": "Présidente",
        "signatory_email": "noemie.representante@demo.example.org"},
        organisation.memberships[0].user)
    return tokens.make(representative.PURPOSE, {"sid": signature.id,
                                                "nonce": signature.link_nonce,
                                                "email": signature.signatory_email})


def _handover_link(owner) -> str:
    """A successor named for an approved signature of the owner's organisation."""
    signature = _first(select(Signature).join(Signature.organisation).where(
        Signature.status == SignatureStatus.APPROVED,
        Organisation.memberships.any(user_id=owner.id)))
    handover.ask(signature, {"signatory_name": "Hugo Successeur", "signatory_function": "Maire",
                             "signatory_email": "hugo.successeur@demo.example.org"},
                 owner, signature.lock_version)
    return tokens.make(handover.PURPOSE, {"sid": signature.id, "nonce": signature.successor_nonce,
                                          "email": signature.successor_email})


def _annual_reports(organisation, owner) -> dict:
    """This year's draft of the owner's organisation, last year's submitted, and a report of
    another signatory that names it as a confirmed partner."""
    year = local_date(utcnow()).year
    annual.open_report(organisation, year, owner)
    _submitted(organisation, year - 1, owner)
    joint = _first(select(Commitment).join(
        Signature, Signature.organisation_id == Commitment.organisation_id).where(
        Signature.status == SignatureStatus.APPROVED, Commitment.organisation_id != organisation.id,
        Commitment.hidden_at.is_(None), Commitment.status != CommitmentStatus.ABANDONED))
    author = joint.organisation.memberships[0].user
    partner = next((p for p in joint.partners if p.organisation_id == organisation.id), None)
    if partner is None:
        partner = partners.invite_partner(joint, organisation.id, author)
    if partner.status != PartnerStatus.CONFIRMED:
        partners.decide(partner, True, owner)
    report = _submitted(joint.organisation, year, author, joint)
    return {"commitments.annual_report": {"period": year},
            "commitments.annual_preview": {"period": year},
            "commitments.moderation_report": {"period": year - 1},
            "commitments.partner_report": {"report_id": report.id}}


def _submitted(organisation, period, user, commitment=None):
    report = annual.open_report(organisation, period, user)
    db.session.flush()
    section = next(s for s in report.sections
                   if commitment is None or s.commitment_id == commitment.id)
    annual.save_section(section, annual.SectionData(revision=0, text="Ce que nous avons fait."),
                        user)
    annual.submit(report, user)
    return report


def _demo_world(app) -> DemoWorld:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    owner = db.session.scalar(select(User).where(User.email == OWNER))
    organisation = owner.memberships[0].organisation
    signature = _first(select(Signature).where(Signature.organisation == organisation))
    commitment = _first(select(Commitment).where(Commitment.organisation == organisation))
    update = _first(select(ProgressUpdate).where(ProgressUpdate.commitment == commitment))
    update.created_by, update.created_at = owner, utcnow()  # still correctable by its author
    certificate = _first(select(Certificate).where(Certificate.signature == signature))
    pending = _first(select(Signature).where(Signature.status == SignatureStatus.PENDING))
    other = pending.organisation
    invitation = members.invite(other, owner.email, MemberRole.MEMBER,
                                other.memberships[0].user)
    published = current_version().number
    draft = drafts.copy_published(db.session.scalar(select(User).where(
        User.email == LOGINS["admin"])))
    values = {"organisation_id": organisation.id, "signature_id": signature.id,
              "commitment_id": commitment.id, "update_id": update.id, "number": published,
              "slug": organisation.slug, "user_id": owner.id}
    by_endpoint = {
        "certificates.status": {"number": certificate.number},
        "moderation.signature": {"signature_id": pending.id},
        "moderation.merge_organisations": {"a": organisation.id, "b": other.id},
        "admin.edit_version": {"number": draft.number},
        "admin.publish": {"number": draft.number},
        "admin.diff": {"a": published, "b": draft.number},
        "accounts.confirm": {"token": tokens.make(tokens.CONFIRM_PURPOSE,
                                                  {"uid": owner.id, "email": owner.email})},
        "accounts.reset_password": {"token": tokens.make(
            tokens.RESET_PURPOSE, {"uid": owner.id, "fp": tokens.password_fingerprint(owner)})},
        "organisations.accept_invitation": {"token": members._serializer().dumps(invitation.id)},
        "register.export_job": {"token": _export_job()},
        "representative.page": {"token": _representative_link()},
        "handover.page": {"token": _handover_link(owner)},
        **_annual_reports(organisation, owner),
    }
    db.session.commit()
    return DemoWorld(values, by_endpoint)


def _role(rule) -> str:
    if rule.endpoint in VISITOR_ACCOUNT_PAGES:
        return "visitor"
    return next((role for prefix, role in ROLE_BY_PREFIX if rule.rule.startswith(prefix)),
                "visitor")


def _pages(app, world: DemoWorld) -> tuple[list[tuple[str, str]], list[str]]:
    """(role, path) for every GET page of the URL map, and the rules left uncovered."""
    pages, uncovered = [], []
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if rule.rule.startswith("/api/") or rule.rule.endswith(NOT_HTML):
            continue
        values = {**world.values, **world.by_endpoint.get(rule.endpoint, {})}
        missing = rule.arguments - values.keys()
        if missing:
            uncovered.append(f"{rule.endpoint} ({rule.rule}): no value for {sorted(missing)}")
            continue
        query = world.by_endpoint.get(rule.endpoint, {}).keys() - rule.arguments
        path = adapter.build(rule.endpoint, {name: values[name]
                                             for name in rule.arguments | query})
        pages.append((_role(rule), path))
    return pages + EXTRA_PAGES, uncovered


@pytest.fixture
def world(app) -> DemoWorld:
    return _demo_world(app)


@pytest.fixture
def tabs(world, browser, live_server, sign_in):
    """One context per role, 320 px wide, in French; the staff and the owner logged in."""
    contexts = {}
    for role in ("visitor", *LOGINS):
        context = browser.new_context(viewport={"width": WIDTH, "height": 640}, locale="fr-FR",
                                      base_url=live_server)
        context.set_default_timeout(10_000)
        if role in LOGINS:
            sign_in(context, db.session.scalar(select(User).where(User.email == LOGINS[role])))
        contexts[role] = context
    yield {role: context.new_page() for role, context in contexts.items()}
    for context in contexts.values():
        context.close()


def test_every_page_reflows_at_320_px(app, world, tabs):
    pages, uncovered = _pages(app, world)
    assert not uncovered, ("GET rules this test does not visit: fill their arguments in "
                           "_demo_world or name them in SKIPPED:\n" + "\n".join(uncovered))
    problems = []
    for role, path in pages:
        tab = tabs[role]
        response = tab.goto(path)
        if response.status != 200:
            problems.append(f"{path} as {role}: status {response.status}")
            continue
        overflow = tab.evaluate(OVERFLOW)
        if overflow:
            problems.append(f"{path} as {role}: {overflow['scrollWidth']} px wide, widest "
                            f"{overflow['element']} (right edge {overflow.get('right')} px, "
                            f"« {overflow.get('text', '')} »)")
    assert not problems, f"{len(problems)} of {len(pages)} pages at {WIDTH} px:\n" + "\n".join(
        problems)


@pytest.fixture
def open_phone(browser, live_server, app):
    """open_phone(javascript): a visitor's phone, 390 px wide, on the demo. The service sends no
    script; axe-core needs JavaScript to run."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    contexts = []

    def open_tab(javascript: bool):
        context = browser.new_context(viewport={"width": 390, "height": 800}, locale="fr-FR",
                                      base_url=live_server, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def test_register_filters_fold_behind_one_control_on_a_phone(open_phone, axe):
    phone = open_phone(javascript=False)
    phone.goto("/registre?type=collectivite&region=84")
    fold = phone.locator("summary")
    expect(fold).to_have_text("Filtrer (2)")
    expect(phone.get_by_label("Région")).to_be_hidden()
    expect(phone.get_by_label("Nom ou commune")).to_be_visible()
    first = phone.locator(".register-list li").first.bounding_box()
    assert first["y"] < 1100, first  # the filters took ~1,550 px before the first result

    fold.click()
    expect(phone.get_by_label("Région")).to_be_visible()
    expect(phone.get_by_label("Région")).to_have_value("84")

    phone.goto("/engagements")
    expect(phone.locator("summary")).to_have_text("Filtrer")
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.goto("/engagements?domaine=environnemental")
    expect(phone.locator("summary")).to_be_hidden()
    expect(phone.get_by_label("Domaine")).to_be_visible()

    with_script = open_phone(javascript=True)
    with_script.goto("/registre?type=collectivite&region=84")
    with_script.locator("summary").click()
    axe(with_script)


LABEL_SIZES = """() => [...document.querySelectorAll('.chart-frame svg text')]
  .filter((text) => text.getClientRects().length)
  .map((text) => ({size: text.getScreenCTM().a * parseFloat(getComputedStyle(text).fontSize),
                   text: text.textContent}))"""


def test_chart_labels_stay_legible_at_320_px(open_phone, axe):
    phone = open_phone(javascript=True)
    phone.set_viewport_size({"width": WIDTH, "height": 800})
    phone.goto("/registre/statistiques")
    labels = phone.evaluate(LABEL_SIZES)
    assert len(labels) > 50
    small = [label for label in labels if label["size"] < 12]
    assert not small, small[:5]
    axe(phone)
