"""A register of 100,000 fictional signatories for the benchmarks: the demo data, then bulk rows
(organisations, one approved signature each, public commitments for some) inserted with
SQLAlchemy Core, then the register's read model rebuilt from them."""

import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from stdnum import luhn

from .harness import ROOT

BATCH = 5_000
SEED = 20_261_123
# One word in ~500 names: a selective search term for the benchmark.
RARE_WORD = "Yssingeaux"

SAINTS = ["Saint-Étienne", "Saint-Émilion", "Saint-Jean", "Saint-Pierre", "Saint-Martin",
          "Saint-Denis", "Saint-Germain", "Saint-Hilaire", "Saint-Laurent", "Saint-André",
          "Sainte-Marie", "Sainte-Foy", "Sainte-Geneviève", "Saint-Genès", "Saint-Aubin"]
SAINT_SUFFIXES = ["de-Montluc", "du-Bois", "des-Prés", "sur-Loire", "en-Forez", "d'Arves",
                  "le-Vieux", "la-Forêt", "de-Rivière", "lès-Bains", "du-Désert", "sur-Mer"]
TOWNS = ["Bourg-en-Bresse", "Château-Thierry", "Pézenas", "Mâcon", "Besançon", "Orléans",
         "Épinal", "Évreux", "Agen", "Nîmes", "Béziers", "Cléry", "Fontenay", "Montbéliard",
         "Villeneuve", "Neufchâtel", "La Châtre", "Lons-le-Saunier", "Périgueux", "Gérardmer",
         "Vénissieux", "Tournon", "Aurillac", "Rodez", "Millau", "Quimperlé", "Ploërmel",
         "Vitré", "Fougères", "Sées", "Honfleur", "Étretat", "Aigues-Mortes", "Crest",
         "Die", "Gap", "Briançon", "Embrun", "Digne", "Menton", "Grasse", "Hyères", "Brioude",
         "Le Puy-en-Velay", "Thiers", "Riom", "Issoire", "Moulins", "Vichy", "Nevers"]
THEMES = ["patrimoine", "écologie", "solidarité", "jeunesse", "numérique", "culture",
          "sport", "économie sociale", "insertion", "mobilité", "alimentation", "énergie",
          "logement", "santé", "éducation", "biodiversité", "artisanat", "tourisme",
          "forêt", "rivière", "montagne", "littoral", "vélo", "théâtre", "musique"]
SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Bérard",
            "Faure", "Rousseau", "Blanc", "Guérin", "Müller", "Lemaître", "Chevalier", "Gautier",
            "Roux", "Fournier", "Mercier", "Dupré", "Lambert", "Bonnet", "François", "Noël"]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Hélène", "Jérôme", "Amélie", "Noémie",
               "François", "Zoé", "Maël", "Léa", "Joël", "Agnès", "Benoît", "Céline", "Anaïs"]
TRADES = ["Boulangerie", "Menuiserie", "Ateliers", "Transports", "Imprimerie", "Brasserie",
          "Fromagerie", "Conseil", "Ingénierie", "Bâtiment", "Éditions", "Laboratoires",
          "Jardins", "Énergies", "Numérique", "Scierie", "Coutellerie", "Verrerie"]
STREETS = ["rue de la Mairie", "place de l'Église", "chemin du Moulin", "avenue Pasteur"]
FUNCTIONS = ["Maire", "Présidente", "Président", "Directrice générale", "Gérant",
             "Secrétaire générale", "Trésorier", "Directeur"]
COMMITMENT_TITLES = ["Achats locaux", "Mécénat de compétences", "Accueil d'apprentis",
                     "Réduction des déchets", "Sobriété énergétique", "Chantier d'insertion",
                     "Tiers-lieu partagé", "Soutien aux associations", "Mobilité douce"]


def load(database_url: str, n: int = 100_000) -> dict:
    """Migrate, load the demo, add n signatories, rebuild the register; returns timings (s)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-only-secret",
           "RATELIMIT_STORAGE_URI": "memory://"}
    timings = {}
    start = time.perf_counter()
    flask = [sys.executable, "-m", "flask", "--app", "charter_service"]
    for command in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True,  # noqa: S603
                       capture_output=True)
    timings["migrate_demo"] = time.perf_counter() - start
    app = _app(database_url)
    with app.app_context():
        from charter_service.extensions import db

        start = time.perf_counter()
        _insert(n)
        db.session.commit()
        timings["insert"] = time.perf_counter() - start
        start = time.perf_counter()
        _rebuild()
        db.session.commit()
        timings["rebuild"] = time.perf_counter() - start
        start = time.perf_counter()
        statuses = _statuses()
        timings["statuses"] = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: statistics, and the visibility map
            # that lets PostgreSQL answer counts from the indexes alone.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.connection().exec_driver_sql("ANALYZE")
            db.session.commit()
        db.engine.dispose()
    print(f"  loaded {n:,} signatories into {database_url.split(':')[0]}: "
          f"migrate + demo {timings['migrate_demo']:.1f} s, insert {timings['insert']:.1f} s, "
          f"register rebuild {timings['rebuild']:.1f} s (due dates included)")
    print(f"  reporting statuses of the {sum(statuses.values()):,} register rows, counted in SQL "
          f"from the stored due dates: {timings['statuses'] * 1000:.0f} ms "
          f"({', '.join(f'{code} {count:,}' for code, count in sorted(statuses.items()))})")
    return timings


def _statuses() -> dict[str, int]:
    """{status code: rows}, as the register's « Bilan » filter counts them."""
    from sqlalchemy import func, select

    from charter_service.commitments.progress import local_today
    from charter_service.commitments.reporting import status_case
    from charter_service.extensions import db
    from charter_service.register.readmodel.models import RegisterEntry

    status = status_case(RegisterEntry.report_due_on, local_today())
    missing = db.session.scalar(select(func.count()).select_from(RegisterEntry)
                                .where(RegisterEntry.report_due_on.is_(None)))
    assert not missing, f"{missing} register rows without a due date"
    return dict(db.session.execute(select(status, func.count()).group_by(status)).all())


def _app(database_url: str):
    from charter_service import create_app

    os.environ.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    url = database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-secret"})


def _rebuild() -> None:
    try:
        from charter_service.register.readmodel.sync import rebuild
    except ImportError:
        print("  (charter_service.register.readmodel.sync.rebuild not available: not rebuilt)")
        return
    rebuild()


def _insert(n: int) -> None:
    from sqlalchemy import func, insert, select

    from charter_service.accounts.models import Role, User
    from charter_service.charters.services import current_version
    from charter_service.commitments.models import Commitment, CommitmentSdg
    from charter_service.extensions import db
    from charter_service.organisations.models import Organisation, OrganisationNameGram
    from charter_service.organisations.names import gram_rows
    from charter_service.signatures.models import Signature

    version = current_version()
    sha256 = version.sha256()
    moderator_id = db.session.scalar(select(User.id).where(User.role == Role.MODERATOR))
    next_ids = {table: (db.session.scalar(select(func.max(model.id))) or 0) + 1
                for table, model in (("organisations", Organisation), ("signatures", Signature),
                                     ("commitments", Commitment))}
    rng = random.Random(SEED)  # noqa: S311  (fictional data, reproducible)
    now = datetime.now(UTC).replace(microsecond=0)
    factory = _RowFactory(rng, now, version.id, sha256, moderator_id, next_ids)
    for first in range(0, n, BATCH):
        organisations, signatures, commitments, sdgs = [], [], [], []
        for index in range(first, min(first + BATCH, n)):
            factory.signatory(index, organisations, signatures, commitments, sdgs)
        grams = [gram for o in organisations
                 for gram in gram_rows(o["id"], o["name_key"], o["departement_code"])]
        for model, rows in ((Organisation, organisations), (OrganisationNameGram, grams),
                            (Signature, signatures), (Commitment, commitments),
                            (CommitmentSdg, sdgs)):
            if rows:
                db.session.execute(insert(model.__table__), rows)
    if db.engine.dialect.name == "postgresql":
        for table in ("organisations", "signatures", "commitments"):
            db.session.execute(db.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"))


class _RowFactory:
    """Rows for one signatory at a time, from a seeded generator: the same data every run."""

    def __init__(self, rng: random.Random, now: datetime, version_id: int, sha256: str,
                 moderator_id: int | None, next_ids: dict[str, int]) -> None:
        from charter_service.organisations import geo

        self.rng = rng
        self.now = now
        self.version_id = version_id
        self.sha256 = sha256
        self.moderator_id = moderator_id
        self.ids = next_ids
        self.departements = list(geo.departements().values())

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def commune(self) -> str:
        rng = self.rng
        if rng.random() < 0.002:
            return RARE_WORD
        if rng.random() < 0.3:
            return f"{rng.choice(SAINTS)}-{rng.choice(SAINT_SUFFIXES)}"
        return rng.choice(TOWNS)

    def name(self, kind: str, commune: str) -> str:
        rng = self.rng
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        theme = rng.choice(THEMES)
        place = self.commune() if rng.random() < 0.5 else commune
        choices = {
            "collectivite": [f"Commune de {commune}", f"Communauté de communes du Pays de {place}",
                             f"Syndicat intercommunal de {place}", f"Ville de {commune}"],
            "entreprise": [f"Société {rng.choice(SURNAMES)} & Fils",
                           f"{rng.choice(TRADES)} {rng.choice(SURNAMES)}",
                           f"SAS {rng.choice(TRADES)} de {place}",
                           f"SARL {rng.choice(TRADES)} du {rng.choice(THEMES).capitalize()}"],
            "association": [f"Association Les Amis de {place}",
                            f"Association {theme} et territoire de {place}",
                            f"Amicale {person}", f"Comité des fêtes de {place}"],
            "fondation": [f"Fondation {person}", f"Fondation pour la {theme} de {place}"],
            "academique": [f"Université de {place}", f"Lycée {person}",
                           f"Institut de recherche en {theme}", f"École de {theme} de {place}"],
            "autre": [f"Coopérative {theme} de {place}", f"SCIC {rng.choice(TRADES)} de {place}",
                      f"GIP {theme} {place}"],
        }[kind]
        return rng.choice(choices)

    def signatory(self, index: int, organisations: list, signatures: list, commitments: list,
                  sdgs: list) -> None:
        from charter_service.organisations.identifiers import slugify
        from charter_service.organisations.names import normalised_name

        rng = self.rng
        kind = rng.choices(["collectivite", "entreprise", "association", "fondation",
                            "academique", "autre"], weights=[25, 30, 30, 5, 5, 5])[0]
        departement = rng.choice(self.departements)
        commune = self.commune()
        name = self.name(kind, commune)
        organisation_id = self._id("organisations")
        signed_at = self.now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
        decided_at = min(signed_at + timedelta(hours=rng.randrange(2, 240)), self.now)
        organisations.append({
            "id": organisation_id, "name": name, "name_key": normalised_name(name),
            "slug": f"{slugify(name)}-{index + 1}",
            "kind": kind, **_identifiers(kind, index, departement.code),
            "address": f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
            "postcode": _postcode(departement.code, rng), "commune": commune,
            "departement_code": departement.code, "region_code": departement.region_code,
            "website": "", "description": "", "created_at": signed_at - timedelta(days=2),
            "updated_at": signed_at,
        })
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        signatures.append({
            "id": self._id("signatures"), "organisation_id": organisation_id,
            "charter_version_id": self.version_id, "status": "approved",
            "signatory_name": f"{first} {last}", "signatory_function": rng.choice(FUNCTIONS),
            "signatory_email": f"{slugify(first)}.{slugify(last)}.{index}@example.org",
            "authority_attested": True, "principles_accepted": True,
            "version_sha256": self.sha256, "signed_at": signed_at, "decided_at": decided_at,
            "decided_by_id": self.moderator_id, "reason": "", "lock_version": 1,
        })
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 3)):
                self._commitment(organisation_id, signed_at, commitments, sdgs)

    def _commitment(self, organisation_id: int, signed_at: datetime, commitments: list,
                    sdgs: list) -> None:
        rng = self.rng
        commitment_id = self._id("commitments")
        start = (signed_at + timedelta(days=rng.randrange(0, 60))).date()
        commitments.append({
            "id": commitment_id, "organisation_id": organisation_id,
            "charter_version_id": self.version_id, "title": rng.choice(COMMITMENT_TITLES),
            "description": "", "category": rng.choice(["pratiques_responsables",
                                                       "cooperation_economique",
                                                       "innovation_societale", "mecenat"]),
            "scale": rng.choice(["local", "departemental", "regional", "national"]),
            "start_on": start, "end_on": None, "status": "in_progress",
            "visibility": "public" if rng.random() < 0.85 else "private",
            "hidden_reason": "", "created_at": signed_at, "updated_at": signed_at,
        })
        for sdg in sorted(rng.sample(range(1, 18), rng.randint(1, 3))):
            sdgs.append({"commitment_id": commitment_id, "sdg": sdg})


def _identifiers(kind: str, index: int, departement: str) -> dict:
    """Unique by construction (the demo's SIRENs start with 8, its RNAs are W<dép>1…)."""
    if kind == "association":
        return {"siren": None, "siret": None, "rna": f"W9Z{index:07d}"}
    body = f"4{index:07d}"
    siren = body + luhn.calc_check_digit(body)
    siret = None
    if kind == "entreprise":
        siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
    return {"siren": siren, "siret": siret, "rna": None}


def _postcode(departement: str, rng: random.Random) -> str:
    if departement in ("2A", "2B"):
        return f"20{rng.randrange(0, 1000):03d}"
    if len(departement) == 3:
        return f"{departement}{rng.randrange(0, 100):02d}"
    return f"{departement}{rng.randrange(0, 1000):03d}"


def _check(database_url: str) -> None:
    """Sanity checks on a loaded database: every SIREN valid, every region consistent."""
    from sqlalchemy import select
    from stdnum.fr import siren as stdnum_siren

    from charter_service.extensions import db
    from charter_service.organisations import geo
    from charter_service.organisations.models import Organisation

    with _app(database_url).app_context():
        rows = db.session.execute(select(Organisation.siren, Organisation.departement_code,
                                         Organisation.region_code)).all()
        bad = [r for r in rows if (r.siren and not stdnum_siren.is_valid(r.siren))
               or geo.region_of(r.departement_code) != r.region_code]
        print(f"  {len(rows):,} organisations, {len(bad)} inconsistent")
        db.engine.dispose()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/register.sqlite3"
        load(url, int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
        _check(url)
