"""Figures, claims and relations: one table each, filled from the stored records that hold them.

Records stored before these lists existed have none, and get no rows. Records stored with them (loaded from
shards, say) before this revision get their rows here, as ingest writes them (``presslens.store.facts``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_BATCH = 500


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def _source() -> list[sa.Column[Any]]:
    return [
        sa.Column("source_quote", sa.String(), nullable=True),
        sa.Column("source_actor", sa.String(), nullable=True),
        sa.Column("speaker_name", sa.String(), nullable=True),
        sa.Column("speaker_key", sa.String(), nullable=True),
    ]


def upgrade() -> None:
    figures = op.create_table(
        "figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.String(), nullable=False),
        sa.Column("span", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("qualifier", sa.String(), nullable=True),
        sa.Column("change", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=True),
        sa.Column("counts_span", JSON, nullable=True),
        sa.Column("counts_key", sa.String(), nullable=True),
        *_source(),
        _article_fk("figures"),
        sa.PrimaryKeyConstraint("id", name="pk_figures"),
    )
    op.create_index("uq_figures_article_figure", "figures", ["article_id", "figure_id"], unique=True)
    op.create_index("ix_figures_counts_key", "figures", ["counts_key"])
    op.create_index("ix_figures_speaker_key", "figures", ["speaker_key"])

    claims = op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("span", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("checkworthy", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        *_source(),
        _article_fk("claims"),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("uq_claims_article_claim", "claims", ["article_id", "claim_id"], unique=True)
    op.create_index("ix_claims_speaker_key", "claims", ["speaker_key"])

    relations = op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("relation_id", sa.String(), nullable=False),
        sa.Column("subject_actor", sa.String(), nullable=False),
        sa.Column("subject_name", sa.String(), nullable=True),
        sa.Column("subject_key", sa.String(), nullable=True),
        sa.Column("relation", sa.String(), nullable=False),
        sa.Column("object_actor", sa.String(), nullable=False),
        sa.Column("object_name", sa.String(), nullable=True),
        sa.Column("object_key", sa.String(), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("voice", sa.String(), nullable=False),
        *_source(),
        _article_fk("relations"),
        sa.PrimaryKeyConstraint("id", name="pk_relations"),
    )
    op.create_index("uq_relations_article_relation", "relations", ["article_id", "relation_id"], unique=True)
    op.create_index("ix_relations_subject_key", "relations", ["subject_key"])
    op.create_index("ix_relations_object_key", "relations", ["object_key"])
    op.create_index("ix_relations_relation", "relations", ["relation"])
    _backfill({"figures": figures, "claims": claims, "relations": relations})


def _backfill(tables: dict[str, sa.Table]) -> None:
    """Rows for the records already stored that hold figures, claims or relations."""
    from presslens.store.facts import fact_rows

    articles = sa.table("articles", sa.column("id", sa.Integer()), sa.column("record", JSON))
    bind = op.get_bind()
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}

    def flush() -> None:
        for name, rows in pending.items():
            if rows:
                columns = set(tables[name].c.keys())
                bind.execute(sa.insert(tables[name]), [{k: v for k, v in r.items() if k in columns} for r in rows])
                rows.clear()

    last = 0
    while True:  # in pages of article ids: a large store need not fit in memory
        stmt = sa.select(articles.c.id, articles.c.record).where(articles.c.id > last)
        page = bind.execute(stmt.order_by(articles.c.id).limit(_BATCH)).all()
        if not page:
            break
        for article_id, rec in page:
            last = article_id
            if not isinstance(rec, dict) or not any(rec.get(k) for k in tables):
                continue
            try:
                found = fact_rows(rec, article_id)
            except (KeyError, TypeError, ValueError, IndexError):  # a malformed item: the article keeps no rows
                continue
            for name, rows in found.items():
                pending[name] += rows
        flush()


def downgrade() -> None:
    for table in ("relations", "claims", "figures"):
        op.drop_table(table)
