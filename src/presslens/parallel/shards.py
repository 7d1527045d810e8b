"""Parquet record shards: one per partition of a Dask run, read back in order."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from presslens.record.schema import SCHEMA_ID
from presslens.version import __version__

#: The columns of a record shard.
SHARD_COLUMNS = ("record", "id", "source", "error")
_SHARD_NAME = "part-{:05d}.parquet"
_SHARD_GLOB = "part-*.parquet"


_SHARD_ROWS = 256


def _shard_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("record", pa.large_string(), nullable=False),
            pa.field("id", pa.string()),
            pa.field("source", pa.string()),
            pa.field("error", pa.bool_(), nullable=False),
        ],
        metadata={"presslens.record.schema": SCHEMA_ID, "presslens.version": __version__},
    )


def _write_shard(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records to a shard as they come, in row groups; atomically (a reader never sees half a shard).
    Returns the number of records written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _shard_schema()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    written = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for rec in itertools.chain(records, [None]):
                if rec is not None:
                    batch.append(rec)
                if batch and (rec is None or len(batch) >= _SHARD_ROWS):
                    columns = {
                        "record": [json.dumps(r, ensure_ascii=False) for r in batch],
                        "id": [r["article"].get("id") for r in batch],
                        "source": [r["article"].get("source") for r in batch],
                        "error": ["error" in r for r in batch],
                    }
                    writer.write_table(pa.table(columns, schema=schema))
                    written += len(batch)
                    batch = []
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return written


def read_shards(paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
    """The records stored in Parquet shards written by :func:`run_dask`, shard by shard, in order."""
    import pyarrow.parquet as pq

    for path in paths:
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(columns=["record"], batch_size=256):
            for text in batch.column(0).to_pylist():
                yield json.loads(text)
