"""The installed wheel (the README's deployment) carries the top-level folders and finds them."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Both tests read one built wheel: in one worker, it is built once (~3 s).
pytestmark = pytest.mark.xdist_group("packaging")

# Run inside the unpacked wheel, away from the checkout: the app must find its templates, its
# PDF templates and its migrations where the wheel put them.
_INSTALLED_CHECK = """
import sys
from pathlib import Path
from flask_migrate import upgrade
import charter_service
from charter_service import create_app, paths
from charter_service import rendering

site = Path(sys.argv[1]).resolve()
package = Path(charter_service.__file__).resolve().parent
assert package.parent == site, package
for folder in (paths.TEMPLATES_DIR, paths.PDF_TEMPLATES_DIR, paths.MIGRATIONS_DIR):
    assert folder.parent == package, folder
app = create_app({"ENV_NAME": "testing", "TESTING": True,
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[2],
                  "SECRET_KEY": "packaging", "SIGNING_DIR": sys.argv[3]})
with app.app_context():
    upgrade()
page = app.test_client().get("/compte/connexion")
assert page.status_code == 200 and "Mot de passe" in page.get_data(as_text=True), page.status
assert rendering.jinja().get_template("certificate.html").filename.startswith(str(package))
print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (built,) = out.glob("charter_service-*.whl")
    return built


def test_the_wheel_carries_templates_pdf_templates_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("charter_service/templates/base.html",
                     "charter_service/templates/mail/account_confirm.txt",
                     "charter_service/pdf_templates/certificate.html",
                     "charter_service/pdf_templates/register.css",
                     "charter_service/pdf_templates/fonts/NotoSans-Regular.ttf",
                     "charter_service/migrations/env.py",
                     "charter_service/static/app.css",
                     "charter_service/translations/en/LC_MESSAGES/messages.mo"):
        assert expected in names, expected
    tracked = subprocess.run(["git", "ls-files", "templates", "pdf_templates", "migrations"],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    missing = [name for name in tracked if f"charter_service/{name}" not in names]
    assert not missing, missing


def test_an_installed_wheel_finds_its_folders_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    done = subprocess.run([sys.executable, "-c", _INSTALLED_CHECK, str(site),
                           str(tmp_path / "db.sqlite3"), str(tmp_path / "signing")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
