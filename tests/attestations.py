"""Attestations in tests: one small pre-signed stand-in PDF unless the test is marked `real_pdf`.

Rendering and signing an attestation costs ~100 ms, and most tests that approve a signature
never open its PDF. Theirs is a stand-in, written and signed by pyHanko once per worker, that
is unlike a real attestation in every way a test can look: its text says it is a stand-in and
names no organisation, it is not A4 and not PDF/A, embeds no font, carries a number that no
certificate has, and is signed with a key pair no test app trusts. A test that reads an
attestation (text, fonts, signature, QR code, verification by upload) and lacks the marker
fails on it instead of passing on a fake.
"""

from io import BytesIO
from pathlib import Path

import pytest

from charter_service.certificates import keys, render, report_layout, signing

STAND_IN_NUMBER = "CFA-0000-000000"
STAND_IN_LINES = ("Attestation factice des tests.",
                  "Un test qui lit le PDF d’une attestation porte la marque pytest.mark.real_pdf.")

_stand_in: dict = {}
_real_sign = signing.sign  # the fixture below replaces signing.sign


def _one_page_pdf(lines) -> bytes:
    """A minimal PDF: one 420 x 200 pt page of Helvetica text (not embedded)."""
    content = ("BT /F1 10 Tf 12 TL 20 170 Td "
               + " T* ".join(f"({line}) Tj" for line in lines) + " ET").encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] "
               b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out = BytesIO(b"%PDF-1.7\n")
    out.seek(0, 2)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def stand_in_pdf(directory: Path) -> bytes:
    """The stand-in attestation of this worker, made on first use."""
    if "pdf" not in _stand_in:
        keys.generate(directory)
        identity = signing.load_identity(str(directory / keys.KEY_FILE),
                                         str(directory / keys.CERT_FILE))
        _stand_in["pdf"] = _real_sign(_one_page_pdf(STAND_IN_LINES), identity,
                                       number=STAND_IN_NUMBER, box=render.SIGNATURE_BOX)
    return _stand_in["pdf"]


@pytest.fixture(autouse=True)
def _stand_in_attestations(request, monkeypatch, tmp_path_factory):
    """Issuing an attestation or a report document stores the stand-in, except in tests
    marked `real_pdf`."""
    if request.node.get_closest_marker("real_pdf"):
        return
    directory = tmp_path_factory.getbasetemp() / "stand-in-signing"
    monkeypatch.setattr(render, "render_fitted", lambda data: (stand_in_pdf(directory), data))
    # The « rapport annuel d’alliance » too: the same stand-in (report_layout.py).
    monkeypatch.setattr(report_layout, "render_fitted", lambda data: stand_in_pdf(directory))
    monkeypatch.setattr(signing, "sign", lambda pdf, *args, **kwargs: pdf)
