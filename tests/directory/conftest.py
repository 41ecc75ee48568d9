from datetime import date

import pytest

from charter_service.commitments.models import Category, CommitmentStatus, Domain, Scale
from charter_service.organisations.models import OrganisationKind

from .directory_world import DirectoryWorld


@pytest.fixture
def world(make) -> DirectoryWorld:
    return DirectoryWorld(make)


@pytest.fixture
def three(read_only_world, make) -> dict[str, int]:
    """Three commitments that differ by every filter (A, B, C, newest first), built once per
    module: {letter: commitment id}."""
    return read_only_world(lambda app: _three(DirectoryWorld(make)))


def _three(world: DirectoryWorld) -> dict[str, int]:
    lumiere = world.signatory("Coopérative Lumière", kind=OrganisationKind.ENTREPRISE)
    ville = world.signatory("Ville de Saint-Étienne", kind=OrganisationKind.COLLECTIVITE,
                            departement="42")
    fondation = world.signatory("Fondation Bretagne", kind=OrganisationKind.FONDATION,
                                departement="35", region="53")
    a = world.commit(lumiere, "Énergie solaire citoyenne", description="Des toits en commun.",
                     category=Category.INNOVATION_SOCIETALE, scale=Scale.REGIONAL,
                     status=CommitmentStatus.IN_PROGRESS, sdgs=(7, 13),
                     domains=(Domain.ENVIRONNEMENTAL,), principles=(0,),
                     start_on=date(2026, 3, 1))
    world.partner(a, ville)
    world.report(a, "Douze toits équipés.", on=date(2026, 10, 1))
    b = world.commit(ville, "Achats locaux", description="Acheter aux producteurs du Forez.",
                     category=Category.COOPERATION_ECONOMIQUE, scale=Scale.LOCAL, sdgs=(8,),
                     domains=(Domain.ECONOMIQUE,), principles=(1,), start_on=date(2026, 2, 1))
    c = world.commit(fondation, "Mécénat de compétences", description="Tutorat.",
                     category=Category.MECENAT, scale=Scale.NATIONAL,
                     status=CommitmentStatus.ACHIEVED, sdgs=(4, 17), domains=(Domain.SOCIAL,),
                     principles=(2,), start_on=date(2026, 1, 1))
    world.outside_partner(c, "Lycée Chateaubriand")
    return {"A": a.id, "B": b.id, "C": c.id}
