"""The tables of a presslens store, as SQLAlchemy 2 typed declarative models.

The schema itself is created and changed only by the Alembic migrations in ``presslens/store/migrations``;
these models describe it for the code (and ``tests/test_store_migrations.py`` checks that both agree).
Table and column meanings are documented for SQL users in ``docs/store.md``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    false,
    func,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: JSON everywhere; JSONB on PostgreSQL so that SQL users can index and query into it.
JSONType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType}


def _article_fk() -> Any:
    return ForeignKey("articles.id", ondelete="CASCADE")


class Article(Base):
    """One stored article: its metadata, text, the analysis provenance and the full ``presslens/1`` record."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String)  # the record's article.id (given by the input, or text hash)
    source: Mapped[str | None] = mapped_column(String)
    url: Mapped[str | None] = mapped_column(String)
    title: Mapped[str | None] = mapped_column(String)
    outlet: Mapped[str | None] = mapped_column(String)
    author: Mapped[str | None] = mapped_column(String)
    published: Mapped[str | None] = mapped_column(String)  # ISO 8601 as given
    published_date: Mapped[date | None] = mapped_column(Date)  # its date part, for filtering and sorting
    language: Mapped[str | None] = mapped_column(String)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of text
    near_dup_group: Mapped[int | None] = mapped_column(Integer)  # id of the group's first article
    presslens_version: Mapped[str | None] = mapped_column(String)
    model_version: Mapped[str | None] = mapped_column(String)
    analysed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ignored: Mapped[list[Any]] = mapped_column(JSONType)
    # the large columns last (SQLite reads a row's columns in order)
    text: Mapped[str] = mapped_column(Text)
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)

    __table_args__ = (
        Index("uq_articles_url", "url", unique=True),
        # an article without a URL is known by its text alone
        Index(
            "uq_articles_hash_without_url",
            "content_hash",
            unique=True,
            sqlite_where=sql("url IS NULL"),
            postgresql_where=sql("url IS NULL"),
        ),
        Index("ix_articles_content_hash", "content_hash"),
        Index("ix_articles_near_dup_group", "near_dup_group"),
        Index("ix_articles_published_date", "published_date"),
        Index("ix_articles_outlet_lower", func.lower(outlet.column)),
        Index("ix_articles_source", "source"),
    )


class Actor(Base):
    """An actor as one article names it (``actors[]`` of the record)."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    actor_id: Mapped[str] = mapped_column(String)  # "a1", unique within the article
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    titles: Mapped[list[Any]] = mapped_column(JSONType)
    roles: Mapped[list[Any]] = mapped_column(JSONType)
    aliases: Mapped[list[Any]] = mapped_column(JSONType)
    mentions: Mapped[list[Any]] = mapped_column(JSONType)
    kb_id: Mapped[str | None] = mapped_column(String)
    # how likely the entry is a real actor of the right kind (the record's ``confidence``); null if not given
    confidence: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("uq_actors_article_actor", "article_id", "actor_id", unique=True),
        Index("ix_actors_name", "name"),
    )


class ActorName(Base):
    """Lookup table: every name and alias of every actor, case-folded (``--speaker`` matches against it)."""

    __tablename__ = "actor_names"

    article_id: Mapped[int] = mapped_column(_article_fk(), primary_key=True)
    actor_id: Mapped[str] = mapped_column(String, primary_key=True)
    key: Mapped[str] = mapped_column(String, primary_key=True)

    __table_args__ = (Index("ix_actor_names_key", "key"),)


class Quote(Base):
    """An attribution (``quotes[]`` of the record) with its content, cue and speaker as text."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    quote_id: Mapped[str] = mapped_column(String)  # "q1", unique within the article
    kind: Mapped[str] = mapped_column(String)
    content: Mapped[str] = mapped_column(Text)  # the content pieces, joined with " … "
    spans: Mapped[list[Any]] = mapped_column(JSONType)  # content spans [[s, e], ...]
    cue: Mapped[str | None] = mapped_column(String)
    cue_spans: Mapped[list[Any]] = mapped_column(JSONType)
    speaker_text: Mapped[str | None] = mapped_column(String)  # the speaker mention as written
    speaker_span: Mapped[list[Any] | None] = mapped_column(JSONType)
    speaker_actor: Mapped[str | None] = mapped_column(String)  # actors.actor_id in the same article
    speaker_name: Mapped[str | None] = mapped_column(String)
    speaker_key: Mapped[str | None] = mapped_column(String)  # speaker_name case-folded
    confidence: Mapped[float | None] = mapped_column(Float)
    # the source did not say it ("declined to comment", "did not reveal the crash location"): kept apart
    negated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        Index("ix_quotes_article_speaker", "article_id", "speaker_actor"),
        Index("ix_quotes_speaker_key", "speaker_key"),
        Index("ix_quotes_kind", "kind"),
    )


class Technique(Base):
    """A persuasion technique span (``techniques[]`` of the record)."""

    __tablename__ = "techniques"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    technique: Mapped[str] = mapped_column(String)
    span: Mapped[list[Any]] = mapped_column(JSONType)
    score: Mapped[float | None] = mapped_column(Float)
    voice_quote: Mapped[str | None] = mapped_column(String)
    voice_actor: Mapped[str | None] = mapped_column(String)
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_techniques_article_id", "article_id"),
        Index("ix_techniques_technique", "technique"),
    )


class Figure(Base):
    """A quantity the article asserts (``figures[]`` of the record), with what it counts and who gives it."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    figure_id: Mapped[str] = mapped_column(String)  # "f1", unique within the article
    span: Mapped[list[Any]] = mapped_column(JSONType)
    text: Mapped[str | None] = mapped_column(Text)  # the figure as written ("80-90,000")
    value: Mapped[float | None] = mapped_column(Float)  # a range's low end
    high: Mapped[float | None] = mapped_column(Float)  # a range's high end, else null
    qualifier: Mapped[str | None] = mapped_column(String)  # exact, approx, at_least, more_than, ...
    change: Mapped[str | None] = mapped_column(String)  # up, down or null
    unit: Mapped[str | None] = mapped_column(String)  # percent, US dollar, person, ... or null
    counts: Mapped[str | None] = mapped_column(Text)  # what it counts, as written ("members")
    counts_span: Mapped[list[Any] | None] = mapped_column(JSONType)
    counts_key: Mapped[str | None] = mapped_column(String)  # counts case-folded, single spaces
    source_quote: Mapped[str | None] = mapped_column(String)  # quotes.quote_id in the same article, or null
    source_actor: Mapped[str | None] = mapped_column(String)  # actors.actor_id in the same article, or null
    speaker_name: Mapped[str | None] = mapped_column(String)  # who gives it (null: the outlet's own voice)
    speaker_key: Mapped[str | None] = mapped_column(String)

    __table_args__ = (
        Index("uq_figures_article_figure", "article_id", "figure_id", unique=True),
        Index("ix_figures_counts_key", "counts_key"),
        Index("ix_figures_speaker_key", "speaker_key"),
    )


class Claim(Base):
    """A sentence that states a checkable fact (``claims[]`` of the record), with its check-worthiness."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    claim_id: Mapped[str] = mapped_column(String)  # "c1", unique within the article
    span: Mapped[list[Any]] = mapped_column(JSONType)
    text: Mapped[str | None] = mapped_column(Text)
    checkworthy: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    source_quote: Mapped[str | None] = mapped_column(String)
    source_actor: Mapped[str | None] = mapped_column(String)
    speaker_name: Mapped[str | None] = mapped_column(String)
    speaker_key: Mapped[str | None] = mapped_column(String)

    __table_args__ = (
        Index("uq_claims_article_claim", "article_id", "claim_id", unique=True),
        Index("ix_claims_speaker_key", "speaker_key"),
    )


class Relation(Base):
    """A typed relation between two actors of one article (``relations[]`` of the record)."""

    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk())
    relation_id: Mapped[str] = mapped_column(String)  # "r1", unique within the article
    subject_actor: Mapped[str] = mapped_column(String)  # actors.actor_id in the same article
    subject_name: Mapped[str | None] = mapped_column(String)
    subject_key: Mapped[str | None] = mapped_column(String)  # as actor_names.key
    relation: Mapped[str] = mapped_column(String)  # leads, works_for, member_of, part_of, allied_with, ...
    object_actor: Mapped[str] = mapped_column(String)
    object_name: Mapped[str | None] = mapped_column(String)
    object_key: Mapped[str | None] = mapped_column(String)
    negated: Mapped[bool] = mapped_column(Boolean)
    confidence: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSONType)  # the span that states it
    text: Mapped[str | None] = mapped_column(Text)  # the evidence as written
    voice: Mapped[str] = mapped_column(String)  # "own" (the outlet's) or "quoted"
    source_quote: Mapped[str | None] = mapped_column(String)
    source_actor: Mapped[str | None] = mapped_column(String)
    speaker_name: Mapped[str | None] = mapped_column(String)
    speaker_key: Mapped[str | None] = mapped_column(String)

    __table_args__ = (
        Index("uq_relations_article_relation", "article_id", "relation_id", unique=True),
        Index("ix_relations_subject_key", "subject_key"),
        Index("ix_relations_object_key", "object_key"),
        Index("ix_relations_relation", "relation"),
    )


class Error(Base):
    """An input that could not be ingested. One row per source: a retry replaces it, a success removes it."""

    __tablename__ = "errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str | None] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    batch: Mapped[str | None] = mapped_column(String)  # the ingest run that stored it

    __table_args__ = (Index("ix_errors_source", "source"),)


class Signature(Base):
    """The MinHash signature of an article's text (near-duplicate detection)."""

    __tablename__ = "signatures"

    article_id: Mapped[int] = mapped_column(_article_fk(), primary_key=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)  # num_perm uint32 values, little-endian


class LshBand(Base):
    """The persisted MinHashLSH index: one row per (band, bucket key) of each signature."""

    __tablename__ = "lsh_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(_article_fk(), primary_key=True)

    __table_args__ = (Index("ix_lsh_bands_article_id", "article_id"),)
