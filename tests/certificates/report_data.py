"""The plain data a report document is issued from, as commitments.annual would build it."""

LOREM = ("Nous avons réuni les producteurs du territoire, ouvert deux points de vente "
         "collectifs et formé les équipes de la restauration scolaire à l’approvisionnement "
         "local ; le bilan détaillé de chaque action figure dans le rapport en ligne. ")


def report_data(organisation_name: str = "Ateliers du Rhône", *, sections: int = 3,
                mode: str = "form", text_repeat: int = 3) -> dict:
    return {
        "organisation": {"name": organisation_name, "kind_label": "Entreprise",
                         "identifier": "SIREN 732 829 320", "commune": "Lyon"},
        "period": 2026,
        "submitted_on": "2026-12-02",
        "submitted_by": "Camille Durand",
        "mode": mode,
        "sections": [{
            "commitment": f"Engagement {n + 1} : achats locaux et circuits courts",
            "principles": ["Coopérer", "Agir localement"],
            "status": "en cours",
            "text": LOREM * text_repeat,
            "values": [{"name": "Part des achats locaux", "value": "42", "unit": "%",
                        "target": "60 %"},
                       {"name": "Fournisseurs partenaires", "value": "18", "unit": "",
                        "target": "25"}],
            "evidence": "https://exemple.fr/bilan.pdf",
            "partners": ["Lycée agricole de Cibeins"],
        } for n in range(sections)] if mode == "form" else [],
        "upload": {"filename": "rapport-rse-2026.pdf", "sha256": "ab" * 32, "pages": 48}
        if mode == "upload" else None,
    }
