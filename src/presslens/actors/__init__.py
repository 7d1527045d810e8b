"""Actors: the gazetteer's entity ruler, entity mending and merging, titles and roles (``resolver``), and the
``presslens_gazetteer`` and ``presslens_actors`` spaCy components (``component``)."""

from presslens.actors.names import product_name
from presslens.actors.resolver import Actor, ActorResolver, Gazetteer, Role

__all__ = ["Actor", "ActorResolver", "Gazetteer", "Role", "product_name"]
