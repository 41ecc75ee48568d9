"""The buttons offered for a signature come from the state machine (allowed_transitions), for
the owner in the member's space and for a moderator: walked over every state, against tables
written here."""

import re

import pytest

from charter_service.accounts.models import Role
from charter_service.signatures.models import SignatureStatus as S
from charter_service.signatures.workflow import Actor, Transition, allowed_transitions

T = Transition
# state → (what the owner may do, what a moderator may do)
EXPECTED = {
    S.AWAITING_REPRESENTATIVE: (set(), set()),
    S.DECLINED: (set(), set()),
    S.PENDING: ({T.WITHDRAW}, {T.APPROVE, T.REJECT, T.REQUEST_CHANGES}),
    S.CHANGES_REQUESTED: ({T.RESUBMIT, T.WITHDRAW}, set()),
    S.APPROVED: ({T.WITHDRAW}, {T.SUSPEND}),
    S.SUSPENDED: ({T.WITHDRAW}, {T.REINSTATE}),
    S.REJECTED: (set(), set()),
    S.WITHDRAWN: (set(), set()),
}
# state → (the owner's buttons in /espace, the moderator's decision forms)
BUTTONS = {
    S.AWAITING_REPRESENTATIVE: (set(), set()),
    S.DECLINED: (set(), set()),
    S.PENDING: ({"retirer"}, {"approuver", "demander-des-modifications", "refuser"}),
    S.CHANGES_REQUESTED: ({"corriger", "retirer"}, set()),
    S.APPROVED: ({"retirer"}, {"suspendre"}),
    S.SUSPENDED: ({"retirer"}, {"retablir"}),
    S.REJECTED: (set(), set()),
    S.WITHDRAWN: (set(), set()),
}


def test_the_table_covers_every_state():
    assert set(EXPECTED) == set(BUTTONS) == set(S)


@pytest.mark.parametrize("status", list(S))
def test_allowed_transitions_per_state_and_actor(make, status):
    signature = make.signature(make.organisation(), make.version(), status=status)
    owner, moderator = EXPECTED[status]
    assert set(allowed_transitions(signature, Actor.OWNER)) == owner
    assert set(allowed_transitions(signature, Actor.MODERATOR)) == moderator
    assert set(allowed_transitions(signature)) == owner | moderator


@pytest.mark.parametrize("status", list(S))
def test_the_buttons_each_actor_sees(client, login, make, status):
    owner, member = make.user(), make.user()
    organisation = make.organisation(owner=owner, members=[member])
    signature = make.signature(organisation, make.version(), status=status)
    owner_buttons, moderator_forms = BUTTONS[status]
    links = re.compile(rf"/espace/organisations/{organisation.id}/signatures/{signature.id}"
                       r"/(corriger|retirer)\"")

    login(owner)
    assert set(links.findall(client.get("/espace/").get_data(as_text=True))) == owner_buttons
    login(member)
    assert links.findall(client.get("/espace/").get_data(as_text=True)) == []
    login(make.user(role=Role.MODERATOR))
    page = client.get(f"/moderation/signatures/{signature.id}").get_data(as_text=True)
    forms = re.findall(rf'action="/moderation/signatures/{signature.id}/([a-z-]+)"', page)
    assert set(forms) == moderator_forms
