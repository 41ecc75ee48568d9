"""The register's statistics page /registre/statistiques: the figures (stats.py), drawn on the
server as SVG charts (charts.py) and a map of the régions (region_map.py)."""
