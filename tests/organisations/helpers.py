"""Form data and images for the organisation tests."""

import html
import struct
import zlib
from io import BytesIO

from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from charter_service.extensions import db
from charter_service.organisations.models import Organisation

CREATE_URL = "/espace/organisations/nouvelle"


def organisation_form(**overrides) -> dict:
    data = {
        "name": "Les Amis du Rhône", "kind": "association", "identifier": "",
        "rna": "W691234567", "address": "1 place Bellecour", "postcode": "69002",
        "commune": "Lyon", "departement": "69", "website": "https://amis-du-rhone.example.org",
        "description": "Une association lyonnaise.",
    }
    data.update(overrides)
    return data


def organisation_count() -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def only_organisation() -> Organisation:
    return db.session.scalars(select(Organisation)).one()


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def png(size=(64, 32), mode="RGBA", comment: str | None = None) -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    info = None
    if comment:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", comment)
    output = BytesIO()
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def jpeg_with_exif(size=(1600, 1200), description="secret-gps-48.8566N") -> bytes:
    image = Image.new("RGB", size, (20, 90, 160))
    exif = Image.Exif()
    exif[0x010E] = description  # ImageDescription
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif, quality=70)
    return output.getvalue()


def gif() -> bytes:
    output = BytesIO()
    Image.new("P", (16, 16)).save(output, format="GIF")
    return output.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that announces huge dimensions in a few bytes: a decompression bomb's header."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(data: bytes, filename: str):
    return (BytesIO(data), filename)
