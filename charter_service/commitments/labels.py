"""French labels for the commitment enums, shared by forms, pages and e-mails."""

from flask_babel import lazy_gettext as _l

from .models import Category, CommitmentStatus, Domain, PartnerStatus, Scale, Visibility

CATEGORY_LABELS = {
    Category.PRATIQUES_RESPONSABLES: _l("Pratiques responsables"),
    Category.COOPERATION_ECONOMIQUE: _l("Coopération économique"),
    Category.INNOVATION_SOCIETALE: _l("Innovation sociétale"),
    Category.MECENAT: _l("Mécénat"),
}
DOMAIN_LABELS = {
    Domain.ECONOMIQUE: _l("Économique"),
    Domain.SOCIAL: _l("Social"),
    Domain.ENVIRONNEMENTAL: _l("Environnemental"),
    Domain.SOCIETAL: _l("Sociétal"),
}
SCALE_LABELS = {
    Scale.LOCAL: _l("Locale"),
    Scale.DEPARTEMENTAL: _l("Départementale"),
    Scale.REGIONAL: _l("Régionale"),
    Scale.NATIONAL: _l("Nationale"),
    Scale.INTERNATIONAL: _l("Internationale"),
}
STATUS_LABELS = {
    CommitmentStatus.PLANNED: _l("Prévu"),
    CommitmentStatus.IN_PROGRESS: _l("En cours"),
    CommitmentStatus.ACHIEVED: _l("Réalisé"),
    CommitmentStatus.ABANDONED: _l("Abandonné"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public : visible sur la page publique de l'organisation"),
    Visibility.PRIVATE: _l("Privé : visible seulement par les membres de l'organisation"),
}
PARTNER_STATUS_LABELS = {
    PartnerStatus.INVITED: _l("invitation en attente"),
    PartnerStatus.CONFIRMED: _l("partenariat confirmé"),
    PartnerStatus.DECLINED: _l("invitation déclinée"),
    None: _l("partenaire extérieur (non signataire)"),
}
