import pytest

from charter_service.signatures.models import SignatureStatus

from .helpers import Signatories


@pytest.fixture
def version(make):
    return make.version(number=1, principles=3)


@pytest.fixture
def signatories(make, version):
    """signatories.new(status=...) → an organisation with an owner, signed on `version`."""
    return Signatories(make, version)


@pytest.fixture
def alpha(signatories):
    return signatories.new(name="Alpha Coopérative", status=SignatureStatus.APPROVED)


@pytest.fixture
def beta(signatories):
    return signatories.new(name="Béta Solidaire", status=SignatureStatus.APPROVED)

