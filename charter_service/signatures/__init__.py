"""Signatures: the signing journey and the state machine of a signature."""
