"""100,000 fictional public commitments for the directory's benchmark: the register's
signatories (register_data.load), then bulk commitments with principles, SDGs, domains,
partners and progress updates, inserted with SQLAlchemy Core, then the directory rebuilt."""

import random
import time
from datetime import timedelta

from . import register_data
from .register_data import COMMITMENT_TITLES, SURNAMES, THEMES, TOWNS

BATCH = 5_000
SEED = 20_261_201
CATEGORIES = ["pratiques_responsables", "cooperation_economique", "innovation_societale",
              "mecenat"]
SCALES = ["local", "departemental", "regional", "national", "international"]
STATUSES = ["planned", "in_progress", "achieved", "abandoned"]
DOMAINS = ["economique", "social", "environnemental", "societal"]


def load(database_url: str, signatories: int, commitments: int) -> None:
    register_data.load(database_url, signatories)
    app = register_data._app(database_url)
    with app.app_context():
        from charter_service.directory import sync
        from charter_service.extensions import db

        start = time.perf_counter()
        _insert(commitments)
        db.session.commit()
        inserted = time.perf_counter() - start
        start = time.perf_counter()
        total = sync.rebuild()
        db.session.commit()
        rebuilt = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.connection().exec_driver_sql("ANALYZE")
            db.session.commit()
        db.engine.dispose()
    print(f"  {total:,} public commitments: insert {inserted:.1f} s, "
          f"directory rebuild {rebuilt:.1f} s")


def _insert(wanted: int) -> None:
    from sqlalchemy import func, insert, select

    from charter_service.charters.services import current_version
    from charter_service.commitments.models import (
        Commitment,
        CommitmentDomain,
        CommitmentPartner,
        CommitmentSdg,
        ProgressUpdate,
        commitment_principles,
    )
    from charter_service.commitments.queries import publicly_visible
    from charter_service.extensions import db
    from charter_service.signatures.models import Signature, gives_public_page

    version = current_version()
    principles = [p.id for p in version.principles]
    organisations = list(db.session.scalars(select(Signature.organisation_id)
                                            .where(gives_public_page())))
    missing = wanted - (db.session.scalar(select(func.count(Commitment.id))
                                          .where(publicly_visible())) or 0)
    next_id = (db.session.scalar(select(func.max(Commitment.id))) or 0) + 1
    rng = random.Random(SEED)  # noqa: S311  (fictional data, reproducible)
    now = register_data.datetime.now(register_data.UTC).replace(microsecond=0)
    for first in range(0, max(0, missing), BATCH):
        rows: dict = {"c": [], "p": [], "s": [], "d": [], "o": [], "u": []}
        for commitment_id in range(next_id + first, next_id + min(first + BATCH, missing)):
            _commitment(rng, now, commitment_id, organisations, principles, version.id, rows)
        for table, key in ((Commitment.__table__, "c"), (commitment_principles, "p"),
                           (CommitmentSdg.__table__, "s"), (CommitmentDomain.__table__, "d"),
                           (CommitmentPartner.__table__, "o"), (ProgressUpdate.__table__, "u")):
            if rows[key]:
                db.session.execute(insert(table), rows[key])
    if db.engine.dialect.name == "postgresql":
        for table in ("commitments", "commitment_partners", "progress_updates"):
            db.session.execute(db.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def _commitment(rng, now, commitment_id, organisations, principles, version_id, rows) -> None:
    organisation_id = rng.choice(organisations)
    start = (now - timedelta(days=rng.randrange(3 * 365))).date()
    theme, town = rng.choice(THEMES), rng.choice(TOWNS)
    rows["c"].append({
        "id": commitment_id, "organisation_id": organisation_id,
        "charter_version_id": version_id,
        "title": f"{rng.choice(COMMITMENT_TITLES)} : {theme} à {town}",
        "description": f"Un engagement pour la {theme} avec les habitants de {town} et "
                       f"les acteurs du {rng.choice(THEMES)}.",
        "category": rng.choice(CATEGORIES), "scale": rng.choice(SCALES),
        "status": rng.choice(STATUSES), "start_on": start, "end_on": None,
        "visibility": "public", "hidden_reason": "", "created_at": now, "updated_at": now})
    for principle_id in rng.sample(principles, rng.randint(1, 2)):
        rows["p"].append({"commitment_id": commitment_id, "principle_id": principle_id})
    for sdg in rng.sample(range(1, 18), rng.randint(1, 3)):
        rows["s"].append({"commitment_id": commitment_id, "sdg": sdg})
    for domain in rng.sample(DOMAINS, rng.randint(1, 2)):
        rows["d"].append({"commitment_id": commitment_id, "domain": domain})
    if rng.random() < 0.15:
        partner = rng.choice(organisations)
        if partner != organisation_id:
            rows["o"].append({"commitment_id": commitment_id, "organisation_id": partner,
                              "outside_name": None, "status": "confirmed",
                              "invited_at": now, "decided_at": now})
    if rng.random() < 0.2:
        rows["o"].append({"commitment_id": commitment_id, "organisation_id": None,
                          "outside_name": f"Collectif {rng.choice(SURNAMES)} de {town}",
                          "status": None, "invited_at": now, "decided_at": None})
    if rng.random() < 0.4:
        rows["u"].append({"commitment_id": commitment_id, "reported_on": now.date(),
                          "text": f"Avancement : {theme}, premiers résultats à {town}.",
                          "evidence_url": "", "created_at": now, "hidden_reason": ""})
