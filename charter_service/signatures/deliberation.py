"""A deliberation PDF is opened by moderators: accept only a plain document, serve it inert.

pikepdf (qpdf) reads every object of the file, those packed in object streams included, and
every dictionary is searched for what a viewer could run or open by itself: JavaScript, launch
and other actions, additional actions (/AA), embedded files, rich media, XFA forms. Plain links
(/URI) and "open at this page" destinations are allowed: word processors write them everywhere.
"""

import re
from io import BytesIO

import pikepdf
from flask import send_file
from flask_babel import lazy_gettext as _l

_JS = _l("JavaScript")
_FILES = _l("fichiers joints")
_MEDIA = _l("contenu multimédia")
# Keys whose mere presence makes a document active, wherever they appear.
ACTIVE_KEYS = {"/JS": _JS, "/JavaScript": _JS, "/AA": _l("actions automatiques"),
               "/EmbeddedFiles": _FILES, "/EF": _FILES, "/RichMediaContent": _MEDIA,
               "/RichMediaSettings": _MEDIA, "/XFA": _l("formulaire XFA")}
# Action types (/S) a viewer would carry out beyond showing the document.
ACTIVE_ACTIONS = {"/JavaScript": _JS, "/Launch": _l("lancement de programme"),
                  "/SubmitForm": _l("envoi de formulaire"), "/ImportData": _l("import de données"),
                  "/GoToR": _l("ouverture d’un autre fichier"), "/GoToE": _FILES,
                  "/Rendition": _MEDIA, "/RichMediaExecute": _MEDIA, "/Movie": _MEDIA,
                  "/Sound": _MEDIA}
ACTIVE_ANNOTATIONS = {"/FileAttachment": _FILES, "/RichMedia": _MEDIA, "/Movie": _MEDIA,
                      "/Sound": _MEDIA, "/Screen": _MEDIA, "/3D": _l("contenu 3D")}
ACTIVE_TYPES = {"/EmbeddedFile": _FILES}
OPEN_ACTION = _l("action à l’ouverture")
TOO_DEEP = _l("structure trop imbriquée")
RAW_ACTIVE = _l("JavaScript, actions ou fichiers joints")
# The same names written in the file outside any stream, in case another reader than qpdf
# would see objects that qpdf does not (an old revision, a damaged cross-reference table).
_RAW_ACTIVE = re.compile(rb"/(?:JavaScript|JS|AA|Launch|EmbeddedFiles?|RichMedia\w*|XFA|"
                         rb"SubmitForm|ImportData|GoToR|GoToE)(?=[\s/<>\[\]()%]|$)")
_STREAM_BODY = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)

NOT_A_PDF = _l("Le fichier doit être un document PDF lisible.")
ENCRYPTED = _l("Ce PDF est protégé par un mot de passe : déposez une version sans protection.")
ACTIVE = _l("Ce PDF contient du contenu actif (%(what)s), refusé pour la sécurité de l’équipe "
            "de modération. Déposez une version imprimée en PDF (« Imprimer » puis « Enregistrer "
            "au format PDF ») ou une version numérisée.")


class RefusedDeliberation(ValueError):
    """The upload cannot be kept; the message says why, in French, for the form field."""


def check(data: bytes) -> None:
    """Raise RefusedDeliberation unless `data` is a readable PDF without active content."""
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise RefusedDeliberation(str(NOT_A_PDF))
            found = _active_in(pdf)
    except pikepdf.PasswordError as exc:
        raise RefusedDeliberation(str(ENCRYPTED)) from exc
    except pikepdf.PdfError as exc:
        raise RefusedDeliberation(str(NOT_A_PDF)) from exc
    if found is None and _RAW_ACTIVE.search(_STREAM_BODY.sub(b"", data)):
        found = RAW_ACTIVE
    if found is not None:
        raise RefusedDeliberation(str(ACTIVE) % {"what": found})


def _active_in(pdf: pikepdf.Pdf):
    for obj in [pdf.trailer, *pdf.objects]:
        found = _walk(obj, depth=0)
        if found is not None:
            return found
    if "/OpenAction" in pdf.Root and isinstance(pdf.Root.OpenAction, pikepdf.Dictionary):
        return OPEN_ACTION
    return None


def _walk(obj, depth: int):
    """Search one object and its direct children; indirect ones are searched on their own."""
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        found = _active_dictionary(obj)
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        found, children = None, list(obj)
    else:
        return None
    if found is not None or depth > 64:
        return found or TOO_DEEP
    for child in children:
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
            found = _walk(child, depth + 1)
            if found is not None:
                return found
    return None


def _active_dictionary(dictionary: pikepdf.Dictionary):
    """What a viewer could run or open from this dictionary (a French label), else None."""
    for key in dictionary.keys():
        if key in ACTIVE_KEYS:
            return ACTIVE_KEYS[key]
    kind = dictionary.get("/Type")
    if isinstance(kind, pikepdf.Name) and str(kind) in ACTIVE_TYPES:
        return ACTIVE_TYPES[str(kind)]
    action = dictionary.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in ACTIVE_ACTIONS:
        return ACTIVE_ACTIONS[str(action)]
    subtype = dictionary.get("/Subtype")
    if isinstance(subtype, pikepdf.Name) and str(subtype) in ACTIVE_ANNOTATIONS \
            and dictionary.get("/Type", pikepdf.Name.Annot) == pikepdf.Name.Annot:
        return ACTIVE_ANNOTATIONS[str(subtype)]
    return None


def send(pdf: bytes, filename: str | None):
    """The stored file as a download that no browser renders in our origin."""
    response = send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=filename or "deliberation.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
