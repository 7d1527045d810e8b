"""Check-worthy claims: which sentences of an article state facts worth checking, and whose they are."""

from presslens.claims.detect import Claim, claims_to_dicts, find_claims
from presslens.claims.model import ClaimModel, load_model

__all__ = ["Claim", "ClaimModel", "claims_to_dicts", "find_claims", "load_model"]
