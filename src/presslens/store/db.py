"""Engines for a presslens store: the URL rules, SQLite pragmas, Alembic upgrades on open, and the rule that
makes a string storable on every backend.

Any number of processes may open a store at once, fresh or not: an upgrade runs under a lock (PostgreSQL: a
transaction-level advisory lock keyed on the database and schema; SQLite: the write lock of ``BEGIN IMMEDIATE``,
waited for up to the busy timeout) and Alembic reads the schema's revision only once it holds the lock, so the
first process migrates and the others find the schema at head.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DB = "sqlite:///presslens.db"
#: Environment variable read by the CLI when --db is not given.
DB_ENV = "PRESSLENS_DB"

# WAL lets searches read while an ingest writes; synchronous=NORMAL is durable against a killed process
# (only an OS crash can lose the last commits, never corrupt the file).
# busy_timeout first: switching a fresh file to WAL takes a lock that another process opening it may hold.
_BUSY_TIMEOUT_MS = 30_000
#: How long opening a SQLite store waits for another process's schema upgrade.
MIGRATION_WAIT_MS = 600_000
_SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)

#: Execution option: begin SQLite transactions with BEGIN IMMEDIATE (take the write lock up front, so a
#: writer never fails to upgrade a read lock while another process writes).
WRITE = {"presslens_write": True}


#: What PostgreSQL cannot store in text or JSONB (NUL) and what no UTF-8 encoder takes (lone surrogates, as
#: undecodable file names and JSON escapes such as "\\ud800" produce). Both backends get the same replacement.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def storable(value: Any) -> Any:
    """``value`` with every NUL and lone surrogate in its strings (dict keys included, at any depth, and the
    fields of a dataclass such as a ``Document``) replaced by U+FFFD, one character for one, so offsets into a
    text stay valid. Used for every string the store writes, on every backend. Anything else is returned as is."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(REPLACEMENT, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: storable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


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


#: Attempts at opening a SQLite store whose file another process is creating at the same moment.
OPEN_ATTEMPTS = 5


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store's schema up to ``revision`` (all in one transaction). On SQLite, a "database is locked"
    that no busy timeout covers (processes that create the same fresh file at once and switch it to WAL together)
    is tried again, up to ``OPEN_ATTEMPTS`` times, after a short pause."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            if revision == "head" and current_revision(engine) == head_revision():
                return
            _run(engine, command.upgrade, revision)
            return
        except OperationalError as exc:
            if engine.dialect.name != "sqlite" or "locked" not in str(exc) or attempt == OPEN_ATTEMPTS:
                raise
            engine.dispose()  # no pooled connection half-way through its pragmas
            time.sleep(0.2 * attempt)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the store's schema down to ``revision`` (``base``: no presslens tables at all)."""
    from alembic import command

    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step: Any, revision: str) -> None:
    """Run an Alembic command in one transaction that first takes the store's migration lock (Alembic sees the
    transaction as external: it neither begins nor commits it, and reads the revision under the lock)."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # wait as long for another process's upgrade (a backfill may take minutes) as PostgreSQL does
            conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
        try:
            conn = conn.execution_options(**WRITE)  # SQLite: BEGIN IMMEDIATE, the write lock up front
            with conn.begin():
                lock_migrations(conn)
                step(_alembic_config(conn), revision)
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")


def lock_migrations(conn: Any) -> None:
    """PostgreSQL: wait for the advisory lock of this database and schema (released when the transaction ends,
    or when a killed process's connection drops). SQLite holds its write lock already."""
    if conn.dialect.name != "postgresql":
        return
    database, schema = conn.exec_driver_sql("SELECT current_database(), current_schema()").one()
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (migration_lock_key(database, schema),))


def migration_lock_key(database: str, schema: str | None) -> int:
    """The signed 64-bit advisory lock key of a store's migrations (stable across processes and versions)."""
    digest = hashlib.sha256(f"presslens-migrations:{database}:{schema or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
