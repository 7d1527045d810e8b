"""Engines for a presslens store: the URL rules, SQLite pragmas, and Alembic upgrades on open."""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DB = "sqlite:///presslens.db"
#: Environment variable read by the CLI when --db is not given.
DB_ENV = "PRESSLENS_DB"

# WAL lets searches read while an ingest writes; synchronous=NORMAL is durable against a killed process
# (only an OS crash can lose the last commits, never corrupt the file).
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)

#: Execution option: begin SQLite transactions with BEGIN IMMEDIATE (take the write lock up front, so a
#: writer never fails to upgrade a read lock while another process writes).
WRITE = {"presslens_write": True}


class StoreError(Exception):
    """A store that cannot be opened or used, with a message for the user."""


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for ``--db``: a URL as given, a plain path as a SQLite file, None as the default."""
    db = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in db:
        return "sqlite:///" + db
    url = make_url(db)
    if url.drivername == "postgresql" or url.drivername == "postgres":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return u.database


def make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = create_engine(u)
        _make_sqlite_transactional(engine)
        return engine
    if u.get_backend_name() != "postgresql":
        raise StoreError(f"unsupported database {u.get_backend_name()!r}: use sqlite:///PATH or postgresql://...")
    return create_engine(u, pool_pre_ping=True)


def _make_sqlite_transactional(engine: Engine) -> None:
    """pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take it over (the SQLAlchemy
    recipe), and set the pragmas on every new connection."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("presslens_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("presslens.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store's schema up to ``revision`` (all in one transaction)."""
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the store's schema down to ``revision`` (``base``: no presslens tables at all)."""
    from alembic import command

    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step: Any, revision: str) -> None:
    with engine.connect() as conn:
        conn = conn.execution_options(**WRITE)
        step(_alembic_config(conn), revision)
        if conn.in_transaction():
            conn.commit()
