"""Alembic environment of the presslens store.

Run by :func:`presslens.store.db.upgrade` (``presslens ingest`` upgrades a store automatically). It uses the
connection passed in ``config.attributes["connection"]`` when there is one, else the ``sqlalchemy.url``
option, so the ``alembic`` command works too::

    alembic -c /dev/null -x url=sqlite:///presslens.db upgrade head   # rarely needed

Each upgrade runs in one transaction on both SQLite and PostgreSQL: a killed upgrade leaves the old schema.
It runs under the store's migration lock (:func:`presslens.store.db.lock_migrations`: a PostgreSQL advisory lock,
SQLite's write lock), taken before Alembic reads the current revision, so processes that upgrade one store at
once take turns and all but the first find nothing to do. With a given connection, its caller holds the lock.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from presslens.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        transactional_ddl=True,  # SQLite included: the store's engine makes pysqlite transactional
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    from presslens.store.db import WRITE, lock_migrations, make_engine

    engine = make_engine(url) if url else create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(**WRITE)  # SQLite: BEGIN IMMEDIATE
            with connection.begin():  # external to Alembic: it runs inside, and the lock comes first
                lock_migrations(connection)
                _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():  # pragma: no cover - the store never runs offline migrations
    raise SystemExit("presslens store migrations run online only")
run_migrations_online()
