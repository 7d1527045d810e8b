"""Coreference: pronouns ("he", "its") and descriptions ("the chief diplomat") resolved to actors."""
