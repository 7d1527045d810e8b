"""Full-text search over quote content and article title + text.

SQLite: FTS5 external-content tables ``quotes_fts`` and ``articles_fts`` (porter stemming), kept in step with
their tables by triggers. PostgreSQL: GIN indexes over ``to_tsvector('english', ...)`` of the same columns.
The expressions here must stay identical to those in ``presslens.store.search``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-01

"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    """CREATE VIRTUAL TABLE quotes_fts USING fts5(
        content, content='quotes', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER quotes_fts_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER quotes_fts_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END""",
    """CREATE TRIGGER quotes_fts_au AFTER UPDATE OF content ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]
_SQLITE_DOWN = [
    "DROP TRIGGER articles_fts_au",
    "DROP TRIGGER articles_fts_ad",
    "DROP TRIGGER articles_fts_ai",
    "DROP TABLE articles_fts",
    "DROP TRIGGER quotes_fts_au",
    "DROP TRIGGER quotes_fts_ad",
    "DROP TRIGGER quotes_fts_ai",
    "DROP TABLE quotes_fts",
]

# tsvector values are limited to 1 MB, so very long texts are indexed on their first 200,000 characters.
_PG_UP = [
    """CREATE INDEX ix_quotes_content_tsv ON quotes
        USING gin (to_tsvector('english'::regconfig, left(content, 200000)))""",
    """CREATE INDEX ix_articles_tsv ON articles
        USING gin (to_tsvector('english'::regconfig, left(coalesce(title, '') || ' ' || text, 200000)))""",
]
_PG_DOWN = ["DROP INDEX ix_articles_tsv", "DROP INDEX ix_quotes_content_tsv"]


def upgrade() -> None:
    name = op.get_bind().dialect.name
    for statement in _SQLITE_UP if name == "sqlite" else _PG_UP if name == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    name = op.get_bind().dialect.name
    for statement in _SQLITE_DOWN if name == "sqlite" else _PG_DOWN if name == "postgresql" else []:
        op.execute(statement)
