"""Relations between actors (issue 14): rules and a learned pairwise classifier run with NumPy."""

from presslens.relations.base import RELATIONS, Relation
from presslens.relations.detect import find_relations, relations_to_dicts, to_dict

__all__ = ["RELATIONS", "Relation", "find_relations", "relations_to_dicts", "to_dict"]
