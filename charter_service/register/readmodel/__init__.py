"""The register's read model: one denormalised row per signatory (RegisterEntry), kept in step
with the source rows by the domain signals (subscribers.py → sync.py), its full-text search,
its generation and the cache keyed by it; ExportJob, the register's other table.

Imports nothing else from the register: the page, the exports and the statistics read it.
"""
