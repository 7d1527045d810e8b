"""Quotes that report what a source did not say ("declined to comment", "did not reveal ...") are kept apart.

The record marks them ``negated: true``; the store now keeps that flag in ``quotes.negated`` (false by default),
so that searches and the web app list what sources said without them unless asked. Quotes stored before this
revision get the flag from their stored record here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_BATCH = 500


def upgrade() -> None:
    # a plain ADD COLUMN (not a batch copy of the table, which on SQLite would drop the full-text triggers)
    op.add_column("quotes", sa.Column("negated", sa.Boolean(), nullable=False, server_default=sa.false()))
    _backfill()


def _backfill() -> None:
    """The flag for the quotes of the records already stored."""
    articles = sa.table("articles", sa.column("id", sa.Integer()), sa.column("record", JSON))
    quotes = sa.table(
        "quotes",
        sa.column("article_id", sa.Integer()),
        sa.column("quote_id", sa.String()),
        sa.column("negated", sa.Boolean()),
    )
    bind = op.get_bind()
    last = 0
    while True:  # in pages of article ids: a large store need not fit in memory
        stmt = sa.select(articles.c.id, articles.c.record).where(articles.c.id > last)
        page = bind.execute(stmt.order_by(articles.c.id).limit(_BATCH)).all()
        if not page:
            break
        rows = []
        for article_id, rec in page:
            last = article_id
            if not isinstance(rec, dict) or not isinstance(rec.get("quotes"), list):
                continue
            rows += [
                {"a": article_id, "q": q["id"]}
                for q in rec["quotes"]
                if isinstance(q, dict) and q.get("negated") is True and isinstance(q.get("id"), str)
            ]
        if rows:
            bind.execute(
                sa.update(quotes)
                .where(quotes.c.article_id == sa.bindparam("a"), quotes.c.quote_id == sa.bindparam("q"))
                .values(negated=True),
                rows,
            )


def downgrade() -> None:
    op.drop_column("quotes", "negated")
