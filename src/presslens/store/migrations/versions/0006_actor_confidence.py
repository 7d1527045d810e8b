"""Actors carry the record's ``confidence``: how likely the entry is a real actor of the right kind.

The record gives every actor a calibrated ``confidence`` (``presslens.record.actor_confidence``); the store keeps
it in ``actors.confidence`` so that the web app's actor index can leave out, by default, names that are most
likely no actor (products, events, fragments of names). Actors stored before this revision have none (null)
unless their stored record holds one; null counts as listed. Analysing those articles again
(``presslens ingest --replace``) gives them one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_BATCH = 500


def upgrade() -> None:
    op.add_column("actors", sa.Column("confidence", sa.Float(), nullable=True))
    _backfill()


def _backfill() -> None:
    """The confidence of actors whose stored record holds one."""
    articles = sa.table("articles", sa.column("id", sa.Integer()), sa.column("record", JSON))
    actors = sa.table(
        "actors",
        sa.column("article_id", sa.Integer()),
        sa.column("actor_id", sa.String()),
        sa.column("confidence", sa.Float()),
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
            if not isinstance(rec, dict) or not isinstance(rec.get("actors"), list):
                continue
            rows += [
                {"a": article_id, "i": x["id"], "c": float(x["confidence"])}
                for x in rec["actors"]
                if isinstance(x, dict)
                and isinstance(x.get("id"), str)
                and isinstance(x.get("confidence"), int | float)
                and not isinstance(x.get("confidence"), bool)
            ]
        if rows:
            bind.execute(
                sa.update(actors)
                .where(actors.c.article_id == sa.bindparam("a"), actors.c.actor_id == sa.bindparam("i"))
                .values(confidence=sa.bindparam("c")),
                rows,
            )


def downgrade() -> None:
    op.drop_column("actors", "confidence")
