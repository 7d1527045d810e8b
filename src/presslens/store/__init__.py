"""A presslens store: analysed articles in SQLite (default ``./presslens.db``) or PostgreSQL, queryable with SQL.

    from presslens.store import Store
    with Store.open("sqlite:///corpus.db") as store:
        ingest(store, ["news/"])                        # presslens.store.ingest
        search(store, "ceasefire", speaker="Qaani")      # presslens.store.search

Opening a store brings its schema up to date (Alembic migrations shipped in ``presslens/store/migrations``).
The tables are described for SQL users in ``docs/store.md``.
"""

from __future__ import annotations

import hashlib
import os
from types import TracebackType

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from presslens.store.db import DEFAULT_DB, StoreError, make_engine, resolve_url, sqlite_path, upgrade
from presslens.store.models import Article

__all__ = ["DEFAULT_DB", "Store", "StoreError", "content_hash", "name_key"]


def content_hash(text: str) -> str:
    """The store's identity of a text: the sha256 hex digest of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def name_key(name: str | None) -> str | None:
    """How names are matched (``--speaker``, ``quotes.speaker_key``, ``actor_names.key``): case-folded, with
    single spaces."""
    return " ".join(name.casefold().split()) if name else None


class Store:
    """An open store: an engine on an up-to-date schema, and the lookups ingest needs."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True, migrate: bool = True) -> Store:
        """Open the store at ``db`` (a URL, a SQLite path, or None for $PRESSLENS_DB or ./presslens.db).

        ``create=False`` refuses to create a SQLite file that does not exist yet (for the read-only
        commands). ``migrate`` upgrades the schema to the newest revision.
        """
        url = resolve_url(db)
        path = sqlite_path(url)
        if path is not None and not os.path.exists(path):
            if not create:
                raise StoreError(f"no store at {path} (create one with `presslens ingest ... --db {db or url}`)")
            parent = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(parent):
                raise StoreError(f"cannot create a store at {path}: no such directory {parent}")
        engine = make_engine(url)
        try:
            if migrate:
                upgrade(engine)
        except Exception as exc:
            engine.dispose()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the store at {_safe_url(url)}: {type(exc).__name__}: {exc}") from exc
        return cls(url, engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def display_url(self) -> str:
        return _safe_url(self.url)

    def session(self, *, write: bool = False) -> Session:
        """A new ORM session; ``write=True`` takes SQLite's write lock when its transaction begins."""
        bind = self.engine.execution_options(presslens_write=True) if write else self.engine
        return Session(bind=bind, expire_on_commit=False)

    def has_url(self, url: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(Article.id).where(Article.url == url).limit(1)) is not None

    def has_hash(self, digest: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(Article.id).where(Article.content_hash == digest).limit(1)) is not None

    def optimize(self) -> None:
        """Refresh the query planner's statistics (after a large ingest)."""
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA optimize")
            else:
                tables = "articles, actors, actor_names, quotes, techniques, figures, claims, relations, lsh_bands"
                conn.exec_driver_sql(f"ANALYZE {tables}")
            conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
