"""Alembic migrations of the presslens store (env.py and versions/); run by presslens.store.db.upgrade."""
