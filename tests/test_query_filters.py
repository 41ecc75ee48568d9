"""Every view that reads the query string: a blank, unknown, huge, negative or non-numeric value
is ignored or explained, never a 500."""

import pytest

from charter_service.accounts.models import Role
from charter_service.commitments.models import Commitment
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus

from .commitments.helpers import Signatories, add_commitment, commitment_form, text

# blank, unknown, huge, negative, non-numeric, a digit int() refuses (²), an impossible date
VALUES = ["+", "", "inconnu", "9" * 40, "x" * 3000, "-1", "abc", "%C2%B2", "2026-13-45"]

REGISTER = ["q", "type", "region", "departement", "odd", "categorie", "depuis", "jusqu_a",
            "tri", "page"]
DIRECTORY = ["q", "principe", "odd", "categorie", "domaine", "echelle", "statut", "type",
             "region", "departement", "conjoint", "version", "page"]
# (endpoint, who looks at it, path, query-string parameters it reads)
ENDPOINTS = [
    ("moderation queue", "moderator", "/moderation/", ["type", "region", "statut", "apres"]),
    ("moderation journal", "moderator", "/moderation/journal",
     ["action", "objet", "du", "au", "avant"]),
    ("register", None, "/registre", REGISTER),
    ("register csv", None, "/registre.csv", REGISTER),
    ("register json", None, "/registre.json", REGISTER),
    ("directory", None, "/engagements", DIRECTORY),
    ("directory csv", None, "/engagements.csv", DIRECTORY),
    ("directory json", None, "/engagements.json", DIRECTORY),
    ("api signatories", None, "/api/v1/signatories", [*REGISTER, "per_page"]),
    ("api commitments", None, "/api/v1/commitments",
     ["principle", "categorie", "odd", "region", "organisation", "page", "per_page"]),
    ("admin roles", "admin", "/admin/roles", ["email"]),
    ("admin diff", "admin", "/admin/charte/diff", ["de", "a"]),
    ("certificate lookup", None, "/verifier", ["numero"]),
    ("partner search", "owner", "{base}/{commitment}/partenaires", ["q"]),
    ("language choice", None, "/charte", ["lang"]),
    ("log-in return address", None, "/compte/connexion", ["next"]),
]


@pytest.fixture
def world(make, login, client):
    version = make.version(number=1, principles=3)
    signatory = Signatories(make, version).new(name="Alpha Coopérative",
                                               status=SignatureStatus.APPROVED)
    commitment = add_commitment(signatory)
    users = {"moderator": make.user(role=Role.MODERATOR), "admin": make.user(role=Role.ADMIN),
             "owner": signatory.owner}
    return {"users": users, "base": signatory.base, "commitment": commitment.id}


def _query_strings(params):
    for value in VALUES:
        yield "&".join(f"{name}={value}" for name in params)  # all at once, as in the issue
        for name in params:
            yield f"{name}={value}"


@pytest.mark.parametrize("endpoint, role, path, params", ENDPOINTS,
                         ids=[endpoint[0] for endpoint in ENDPOINTS])
def test_query_values_never_answer_5xx(client, login, world, endpoint, role, path, params):
    if role:
        login(world["users"][role])
    path = path.format(base=world["base"], commitment=world["commitment"])
    failures = []
    for query in _query_strings(params):
        response = client.get(f"{path}?{query}")
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {path}?{query[:60]}")
        elif path.startswith("/api/") and response.status_code >= 400:
            assert response.json["error"]["message"], query
    assert not failures, "\n".join(failures)


def test_a_blank_filter_is_ignored_in_the_moderation_queue(client, login, world, make):
    login(world["users"]["moderator"])
    response = client.get("/moderation/?type=+&region=+&statut=+")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/signatories", "/api/v1/commitments"])
def test_blank_api_filters_are_ignored(client, world, path):
    blank = client.get(f"{path}?categorie=&odd=+&region=&page=&per_page=")
    assert blank.status_code == 200
    assert blank.json["items"] == client.get(path).json["items"]


def test_an_unknown_api_filter_is_explained(client, world):
    response = client.get("/api/v1/signatories?type=inconnu")
    assert response.status_code == 422
    assert "Type d’organisation inconnu" in str(response.json["error"]["fields"])


@pytest.mark.parametrize("lock_version", ["²", "٣", "-1", "9" * 40])
def test_a_forged_lock_version_is_refused_not_500(client, login, make, lock_version):
    owner = make.user()
    organisation = make.organisation(owner=owner)
    signature = make.signature(organisation, make.version(), status=SignatureStatus.PENDING)
    login(owner)
    response = client.post(
        f"/espace/organisations/{organisation.id}/signatures/{signature.id}/retirer",
        data={"lock_version": lock_version, "confirm": "y", "reason": "Fusion."})
    assert response.status_code < 500
    db.session.expire_all()
    assert db.session.get(Signature, signature.id).status == SignatureStatus.PENDING


def test_a_forged_indicator_id_is_refused_not_500(client, login, world):
    login(world["users"]["owner"])
    version = db.session.get(Commitment, world["commitment"]).charter_version
    response = client.post(f"{world['base']}/{world['commitment']}/modifier",
                           data=commitment_form(version, **{"indicators-0-id": "²"}))
    assert response.status_code == 200
    assert "Cet indicateur n’appartient pas à cet engagement." in text(response)
