"""The record: the spaCy pipeline with every presslens component (``pipeline``), the ``presslens/1`` JSON
Schema (``schema``) and the terminal table (``render``)."""
