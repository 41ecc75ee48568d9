"""Uploaded logos: checked by content, then re-encoded so nothing of the original file is served."""

import warnings
from io import BytesIO

from flask_babel import format_number
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("PNG", "JPEG")
MAX_SIDE = 800
STORED_MIME = "image/png"


class LogoRejected(ValueError):
    pass


def normalise_logo(data: bytes, *, max_bytes: int, max_pixels: int) -> bytes:
    """PNG bytes of the uploaded image, at most MAX_SIDE px wide and high, without metadata."""
    if len(data) > max_bytes:
        raise LogoRejected(_("Le logo pèse %(size)s Ko ; la limite est de %(limit)s Ko.",
                             size=format_number(len(data) // 1024),
                             limit=format_number(max_bytes // 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _check(data, max_pixels)
            return _reencode(data)
    except LogoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LogoRejected(_too_large(max_pixels)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise LogoRejected(_("Ce fichier n’est pas une image PNG ou JPEG lisible.")) from exc


def _check(data: bytes, max_pixels: int) -> None:
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
        if image.format not in ACCEPTED_FORMATS:
            raise LogoRejected(_("Ce fichier n’est pas une image PNG ou JPEG lisible."))
        width, height = image.size
        if width * height > max_pixels:
            raise LogoRejected(_too_large(max_pixels))
        image.verify()


def _reencode(data: bytes) -> bytes:
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        image.info = {}
        output = BytesIO()
        image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _too_large(max_pixels: int) -> str:
    return _("L’image est trop grande : %(limit)s pixels au plus (largeur × hauteur).",
             limit=format_number(max_pixels))
