"""The public wording of a signature's suspension or withdrawal, chosen from a list.

Stored on the revoked attestation (`Certificate.revocation_label`), shown by the verification
page, the API and the register; the moderator's own words never are.
"""

import enum

from flask_babel import lazy_gettext as _l


class RevocationLabel(enum.StrEnum):
    """The public wording of a revocation, chosen from this list: the only thing the
    verification page, the API and the register say about why. The moderator's own words go to
    the organisation (`Certificate.revocation_message`) and are never published."""

    SUSPENDED = "suspended"
    SUSPENDED_FOR_REVIEW = "suspended_for_review"
    SUSPENDED_AT_REQUEST = "suspended_at_request"
    WITHDRAWN_AT_REQUEST = "withdrawn_at_request"

    @property
    def transition(self) -> str:
        """The signature transition this wording describes."""
        return "withdraw" if self is RevocationLabel.WITHDRAWN_AT_REQUEST else "suspend"

    @classmethod
    def for_transition(cls, transition: str) -> list["RevocationLabel"]:
        """The wordings a transition may use, its default first."""
        return [label for label in cls if label.transition == transition]

    def wording(self, date: str) -> str:
        """The French sentence, for a date already written out (« 1er décembre 2026 »)."""
        return str(_WORDINGS[self]) % {"date": date}


_WORDINGS = {
    RevocationLabel.SUSPENDED: _l("Signature suspendue par la Fondation des Territoires le "
                                  "%(date)s."),
    RevocationLabel.SUSPENDED_FOR_REVIEW: _l("Signature suspendue le %(date)s, le temps d’une "
                                             "vérification par la Fondation des Territoires."),
    RevocationLabel.SUSPENDED_AT_REQUEST: _l("Signature suspendue à la demande de "
                                             "l’organisation le %(date)s."),
    RevocationLabel.WITHDRAWN_AT_REQUEST: _l("Signature retirée à la demande de l’organisation "
                                             "le %(date)s."),
}
