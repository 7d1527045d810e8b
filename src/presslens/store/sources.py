"""What ``presslens ingest`` reads besides articles (presslens record shards and JSON Lines of records), how
many inputs a run has (for its progress bar), and how a failure is told in one line."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from presslens.inputs import InputError, is_record_shard

# --------------------------------------------------------------------------------------------- inputs


def _walk(root: str) -> Iterator[str]:
    """The files under ``root`` as the readers walk it: sorted, hidden files and folders left out."""
    found = []
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found += [os.path.join(dirpath, n) for n in names if not n.startswith(".")]
    yield from sorted(found)


def _split_inputs(inputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """(record shard files, other inputs). A directory goes to the readers whatever it holds; its record
    shards are also listed (the readers report them as "unsupported", and the caller drops those reports)."""
    shards: list[str] = []
    others: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            shards += [p for p in _walk(item) if is_record_shard(p)]
        elif is_record_shard(item):
            shards.append(item)
            continue
        others.append(item)
    return shards, others


@contextmanager
def _parquet(path: str) -> Iterator[Any]:
    import pyarrow.parquet as pq

    if path.lower().endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield pq.ParquetFile(io.BytesIO(fh.read()))
    else:
        yield pq.ParquetFile(path)


def _shard_records(path: str) -> Iterator[dict[str, Any] | InputError]:
    try:
        with _parquet(path) as pf:
            row = 0
            for batch in pf.iter_batches(columns=["record"], batch_size=256):
                for value in batch.column(0).to_pylist():
                    row += 1
                    try:
                        rec = json.loads(value) if isinstance(value, str | bytes) else value
                        if not isinstance(rec, dict):
                            raise ValueError(f"record is a {type(rec).__name__}, not an object")
                        _check_record(rec)
                    except Exception as exc:
                        yield InputError(f"{path}#{row}", "record", f"not a presslens record: {_first_line(exc)}")
                        continue
                    yield rec
    except Exception as exc:
        yield InputError(source=path, kind="io", message=f"cannot read Parquet shard: {_first_line(exc)}")


def _check_record(rec: dict[str, Any]) -> None:
    from jsonschema import ValidationError

    from presslens.record.schema import validate

    try:
        validate(rec)
    except ValidationError as exc:
        raise ValueError(exc.message) from None


def count_inputs(inputs: Sequence[str]) -> int | None:
    """About how many articles the inputs hold (for a progress bar), or None when unknown (stdin)."""
    from presslens.inputs import DIRECTORY_EXTENSIONS

    shards, others = _split_inputs(inputs)
    total = sum(_count_file(p) for p in shards)
    for item in others:
        if item == "-":
            return None
        if os.path.isdir(item):
            wanted = (p for p in _walk(item) if p.lower().removesuffix(".gz").endswith(DIRECTORY_EXTENSIONS))
            total += sum(_count_file(p) for p in wanted if p not in shards)
        else:
            total += _count_file(item)
    return total


def _count_file(path: str) -> int:
    """Rows of a JSON Lines, CSV or Parquet file (1 for other files)."""
    lower = path.lower()
    try:
        if ".parquet" in lower:
            with _parquet(path) as pf:
                return int(pf.metadata.num_rows)
        if lower.endswith((".jsonl", ".csv")):
            with open(path, "rb") as fh:
                return max(1, sum(1 for line in fh if line.strip()) - lower.endswith(".csv"))
    except Exception:
        pass
    return 1

def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:500]
