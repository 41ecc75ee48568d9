"""The annual report (« bilan annuel »): one per organisation and year, a section per
commitment, saved as a draft as members go, previewed, then submitted (or replaced by an
uploaded PDF). Its routes join the `commitments` blueprint (views.py, partner_views.py)."""
