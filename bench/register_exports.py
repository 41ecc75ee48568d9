"""Register exports: CSV of 100,000 rows (time, peak memory) and PDF of 10,000 rows (time, peak
RSS), each measured in a fresh process so that its peak RSS is its own.

`run(database_url)` fills register_entries with 100,000 synthetic rows when it holds fewer
(a bulk insert, straight into the read model) and prints the figures.
`python -m bench.register_exports DATABASE_URL` does the same on its own.
"""

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from itertools import islice

from .harness import ROOT, size

CSV_ROWS = size(100_000, 300)
PDF_ROWS = size(10_000, 100)
KINDS = ("collectivite", "entreprise", "association", "fondation", "academique", "autre")
PLACES = (("Lyon", "69", "84"), ("Saint-Étienne", "42", "84"), ("Rennes", "35", "53"),
          ("Marseille", "13", "93"), ("Ajaccio", "2A", "94"), ("Lille", "59", "32"))


def _app(database_url: str):
    from charter_service import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": "bench-only-secret", "RATELIMIT_ENABLED": False})


def _fill(database_url: str) -> int:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from charter_service.extensions import db
    from charter_service.register.readmodel.models import RegisterEntry

    app = _app(database_url)
    with app.app_context():
        upgrade()
        present = db.session.scalar(select(func.count()).select_from(RegisterEntry))
        if present >= CSV_ROWS:
            return present
        start = 10_000_000
        approved = datetime(2026, 1, 5, 10, tzinfo=UTC)
        for first in range(0, CSV_ROWS - present, 5000):
            rows = []
            for n in range(start + present + first,
                           start + present + min(first + 5000, CSV_ROWS - present)):
                commune, departement, region = PLACES[n % len(PLACES)]
                name = f"Organisation d'essai {n} {'« coopérative » ' * (n % 3)}{commune}"
                rows.append({
                    "organisation_id": n, "name": name, "sort_name": name.lower(),
                    "slug": f"bench-{n}", "kind": KINDS[n % len(KINDS)], "siren": None,
                    "commune": commune, "departement_code": departement, "region_code": region,
                    "charter_version": 1, "signature_id": n,
                    "signed_on": date(2026, 1, 5) + timedelta(days=n % 300),
                    "approved_at": approved, "certificate_number": f"CFA-2026-{n % 999999:06d}",
                    "public_commitments": n % 5, "search_text": name.lower()})
            db.session.execute(insert(RegisterEntry), rows)
            db.session.commit()
        return db.session.scalar(select(func.count()).select_from(RegisterEntry))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_csv(database_url: str) -> dict:
    """The /registre.csv response read to its end through the WSGI app."""
    app = _app(database_url)
    client = app.test_client()

    def download() -> tuple[int, int]:
        response = client.get("/registre.csv")
        rows = size = 0
        for chunk in response.response:
            size += len(chunk)
            rows += chunk.count(b"\r\n")
        response.close()
        return rows - 1, size

    client.get("/registre.csv?type=autre").close()  # warm up: imports, connection
    baseline = _peak_rss_mib()
    started = time.perf_counter()
    rows, size = download()
    elapsed = time.perf_counter() - started
    rss_peak = _peak_rss_mib()
    tracemalloc.start()  # a second pass, slower under tracing: the Python heap's peak
    download()
    peak_python = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"rows": rows, "seconds": elapsed, "mib": size / 2**20,
            "python_peak_mib": peak_python, "rss_peak_mib": rss_peak, "rss_before_mib": baseline}


def measure_pdf(database_url: str) -> dict:
    """10,000 rows of the register, read from the database and rendered as in the job."""
    from pypdf import PdfReader

    from charter_service.register import queries
    from charter_service.register.exports import pdf

    app = _app(database_url)
    with app.app_context():
        selection = queries.Selection()
        header = pdf.header_data(selection, PDF_ROWS, now=datetime.now(UTC),
                                 source_url="http://localhost/registre")
        started, cpu = time.perf_counter(), time.process_time()
        data = pdf.render_rows(islice(queries.iter_rows(selection), PDF_ROWS), PDF_ROWS, header)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": PDF_ROWS, "pages": len(PdfReader(BytesIO(data)).pages), "seconds": elapsed,
            "cpu_seconds": cpu, "mib": len(data) / 2**20, "rss_peak_mib": _peak_rss_mib()}


def _in_child(kind: str, database_url: str) -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.register_exports", "--measure", kind,
                             database_url], cwd=ROOT, check=True, capture_output=True, text=True,
                            env={**os.environ, "SECRET_KEY": "bench-only-secret"}).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(database_url: str) -> None:
    engine = database_url.split(":", 1)[0].split("+", 1)[0]
    total = _fill(database_url)
    print(f"Register exports ({engine}, {total} rows in register_entries)")
    csv = _in_child("csv", database_url)
    print(f"  CSV of {csv['rows']} rows, streamed: {csv['seconds']:.2f} s, {csv['mib']:.1f} MiB "
          f"sent, Python peak {csv['python_peak_mib']:.1f} MiB, process peak RSS "
          f"{csv['rss_peak_mib']:.0f} MiB (before the export {csv['rss_before_mib']:.0f} MiB)"
          f"  [goal < 5 s, constant memory]")
    result = _in_child("pdf", database_url)
    print(f"  PDF of {result['rows']} rows ({result['pages']} pages): {result['seconds']:.2f} s "
          f"({result['cpu_seconds']:.2f} s of CPU), "
          f"{result['mib']:.2f} MiB, process peak RSS {result['rss_peak_mib']:.0f} MiB"
          f"  [goal < 15 s, < 250 MiB]")


if __name__ == "__main__":
    if sys.argv[1] == "--measure":
        measure = measure_csv if sys.argv[2] == "csv" else measure_pdf
        print(json.dumps(measure(sys.argv[3])))
    else:
        run(sys.argv[1])
