"""Analyse a corpus on several cores of one machine, or on a Dask cluster.

Two ways to spread :func:`presslens.record.pipeline.analyze_many` over more than one core:

* :func:`analyze_parallel` keeps the streaming interface of ``analyze_many``: a stream of documents in, a
  stream of records out, in input order. Worker processes (``spawn`` start method, so it is safe in a
  program that runs threads) each load the spaCy pipeline once; documents go to them in chunks, and only a
  bounded number of chunks is ever in flight, so the input is never read ahead without limit.
* :func:`run_dask` runs on a ``distributed`` cluster (or a :class:`distributed.LocalCluster` it starts
  itself): the inputs are expanded on the client into units that can be read apart (the files of
  directories; slices of big JSONL, CSV and Parquet files; URLs), partitions of units go to the workers, and
  every partition becomes one Parquet shard (``part-00000.parquet``, ...) that :func:`read_shards` reads
  back. The workers read the files themselves, so on a real cluster they must see the same paths (a shared
  file system). :func:`run_dask_items` sends documents already in memory along with the tasks instead.

Both give exactly the records that ``analyze_many`` gives for the same inputs, error records included.

Long runs: every batch of documents is analysed inside spaCy's ``nlp.memory_zone()``
(:func:`analyze_stream`), so the strings that each article adds to the vocabulary are released after it and a
worker's memory does not grow with the number of articles it has seen.
"""

from presslens.parallel.cluster import local_cluster, run_dask, run_dask_items, warm_up
from presslens.parallel.shards import SHARD_COLUMNS, read_shards
from presslens.parallel.units import Unit, expand_inputs
from presslens.parallel.workers import WorkerPool, WorkerStartupError, analyze_parallel, analyze_stream, nlp_loader

__all__ = [
    "SHARD_COLUMNS",
    "Unit",
    "WorkerPool",
    "WorkerStartupError",
    "analyze_parallel",
    "analyze_stream",
    "expand_inputs",
    "local_cluster",
    "nlp_loader",
    "read_shards",
    "run_dask",
    "run_dask_items",
    "warm_up",
]
