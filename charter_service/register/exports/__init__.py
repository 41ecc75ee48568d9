"""The register given away: the selection as CSV and JSON (streamed) and PDF (in chunks, in a
background job beyond a size), the open-data page with its Table Schema, and the Atom feed of
public status changes (read from the audit log)."""
