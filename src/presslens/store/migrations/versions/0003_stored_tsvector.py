"""PostgreSQL: full text from stored tsvector columns instead of expression indexes.

With an expression index, ranking (``ts_rank``) and phrase checks computed ``to_tsvector`` again for every
matching row, which took seconds for common words over article texts. ``quotes.content_tsv`` and
``articles.text_tsv`` are generated (stored) columns of the same expressions as in 0002, with GIN indexes.
SQLite is unchanged (FTS5 stores its index already).

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-01

"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUOTE = "to_tsvector('english'::regconfig, left(content, 200000))"
_ARTICLE = "to_tsvector('english'::regconfig, left(coalesce(title, '') || ' ' || text, 200000))"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_quotes_content_tsv")
    op.execute(f"ALTER TABLE quotes ADD COLUMN content_tsv tsvector GENERATED ALWAYS AS ({_QUOTE}) STORED")
    op.execute("CREATE INDEX ix_quotes_content_tsv ON quotes USING gin (content_tsv)")
    op.execute("DROP INDEX ix_articles_tsv")
    op.execute(f"ALTER TABLE articles ADD COLUMN text_tsv tsvector GENERATED ALWAYS AS ({_ARTICLE}) STORED")
    op.execute("CREATE INDEX ix_articles_tsv ON articles USING gin (text_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_articles_tsv")
    op.execute("ALTER TABLE articles DROP COLUMN text_tsv")
    op.execute(f"CREATE INDEX ix_articles_tsv ON articles USING gin ({_ARTICLE})")
    op.execute("DROP INDEX ix_quotes_content_tsv")
    op.execute("ALTER TABLE quotes DROP COLUMN content_tsv")
    op.execute(f"CREATE INDEX ix_quotes_content_tsv ON quotes USING gin ({_QUOTE})")
