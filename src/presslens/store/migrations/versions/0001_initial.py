"""The store's tables: articles, actors, actor_names, quotes, techniques, errors, signatures, lsh_bands.

Revision ID: 0001
Revises:
Create Date: 2026-05-01

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("near_dup_group", sa.Integer(), nullable=True),
        sa.Column("presslens_version", sa.String(), nullable=True),
        sa.Column("model_version", sa.String(), nullable=True),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ignored", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("record", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
    )
    op.create_index("uq_articles_url", "articles", ["url"], unique=True)
    op.create_index(
        "uq_articles_hash_without_url",
        "articles",
        ["content_hash"],
        unique=True,
        sqlite_where=sa.text("url IS NULL"),
        postgresql_where=sa.text("url IS NULL"),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_near_dup_group", "articles", ["near_dup_group"])
    op.create_index("ix_articles_published_date", "articles", ["published_date"])
    op.create_index("ix_articles_outlet_lower", "articles", [sa.text("lower(outlet)")])
    op.create_index("ix_articles_source", "articles", ["source"])

    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("titles", JSON, nullable=False),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("mentions", JSON, nullable=False),
        sa.Column("kb_id", sa.String(), nullable=True),
        _article_fk("actors"),
        sa.PrimaryKeyConstraint("id", name="pk_actors"),
    )
    op.create_index("uq_actors_article_actor", "actors", ["article_id", "actor_id"], unique=True)
    op.create_index("ix_actors_name", "actors", ["name"])

    op.create_table(
        "actor_names",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        _article_fk("actor_names"),
        sa.PrimaryKeyConstraint("article_id", "actor_id", "key", name="pk_actor_names"),
    )
    op.create_index("ix_actor_names_key", "actor_names", ["key"])

    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("spans", JSON, nullable=False),
        sa.Column("cue", sa.String(), nullable=True),
        sa.Column("cue_spans", JSON, nullable=False),
        sa.Column("speaker_text", sa.String(), nullable=True),
        sa.Column("speaker_span", JSON, nullable=True),
        sa.Column("speaker_actor", sa.String(), nullable=True),
        sa.Column("speaker_name", sa.String(), nullable=True),
        sa.Column("speaker_key", sa.String(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        _article_fk("quotes"),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
    )
    op.create_index("ix_quotes_article_speaker", "quotes", ["article_id", "speaker_actor"])
    op.create_index("ix_quotes_speaker_key", "quotes", ["speaker_key"])
    op.create_index("ix_quotes_kind", "quotes", ["kind"])

    op.create_table(
        "techniques",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("technique", sa.String(), nullable=False),
        sa.Column("span", JSON, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("voice_quote", sa.String(), nullable=True),
        sa.Column("voice_actor", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        _article_fk("techniques"),
        sa.PrimaryKeyConstraint("id", name="pk_techniques"),
    )
    op.create_index("ix_techniques_article_id", "techniques", ["article_id"])
    op.create_index("ix_techniques_technique", "techniques", ["technique"])

    op.create_table(
        "errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_errors"),
    )
    op.create_index("ix_errors_source", "errors", ["source"])

    op.create_table(
        "signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        _article_fk("signatures"),
        sa.PrimaryKeyConstraint("article_id", name="pk_signatures"),
    )

    op.create_table(
        "lsh_bands",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        _article_fk("lsh_bands"),
        sa.PrimaryKeyConstraint("band", "key", "article_id", name="pk_lsh_bands"),
    )
    op.create_index("ix_lsh_bands_article_id", "lsh_bands", ["article_id"])


def downgrade() -> None:
    for table in ("lsh_bands", "signatures", "errors", "techniques", "quotes", "actor_names", "actors", "articles"):
        op.drop_table(table)
