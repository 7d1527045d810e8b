"""Scaling of presslens over processes and a Dask cluster, against one process, in the same invocation.

    python benchmarks/scaling.py [--n 200] [--workers 2] [--rounds 1]
    python benchmarks/scaling.py --memory [--mem-articles 10000] [--no-zone]

Speed: the same N articles (the first N of ../shared/data/polnear/train/text where present, else
examples/ cycled), written as .txt files to a temporary directory, are analysed from that directory by

  (a) one process, ``analyze_many(iter_inputs([dir]))`` (the baseline: what ``presslens analyze`` does),
  (b) ``analyze_parallel`` with --workers processes,
  (c) ``run_dask`` on a ``LocalCluster`` of --workers processes (Parquet shards written to a temporary
      directory; at most --partition-size articles per task, fewer for a small input: see run_dask).

Start-up (spawning the processes, each loading the spaCy pipeline; starting the cluster) is timed apart and
left out of the articles/s figures; the end-to-end speed-ups that include it are reported too. Each timed
run is done --rounds times and the best kept. Speed-ups are (b)/(a) and (c)/(a). The CPU seconds per
article of our processes, and the share of the machine's CPU time that other programs took meanwhile, are
reported with them: wall-clock speed-ups mean little on a machine that others are using at the same time.

Memory (--memory): one worker process (a ``WorkerPool`` of one) analyses --mem-articles articles (the texts
cycled; --fresh-strings adds to each a closing line with names and numbers of its own, as a real corpus keeps
bringing new strings); its resident set size (psutil) is read after 1,000 articles and at the end, with their
ratio. --no-zone turns spaCy's memory zones off, for comparison.

The last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = [ROOT.parent / "shared/data/polnear/train/text", ROOT / "examples"]


def load_texts(directory: Path | None, n: int, cycle: bool = True) -> tuple[list[str], str]:
    """N article texts (cycled if the directory has fewer, unless not *cycle*) and where they came from."""
    from presslens.inputs import Document, iter_inputs

    dirs = [directory] if directory else [d for d in DEFAULT_DIRS if d.is_dir()]
    for d in dirs:
        texts = [item.text for item in itertools.islice(iter_inputs([str(d)]), n) if isinstance(item, Document)]
        if texts and not cycle:
            return texts, str(d)
        if texts:
            return [t for t, _ in zip(itertools.cycle(texts), range(n), strict=False)], str(d)
    raise SystemExit("no articles found; pass --articles DIR")


def _process_cpu() -> float:
    """CPU seconds (user + system) of this process; run on Dask workers too."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def _machine_busy_cpu() -> float:
    """CPU seconds that the whole machine has spent busy (all processes, all CPUs)."""
    import psutil

    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def _cpu_of(pids: list[int | None]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        if pid is not None:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
    return total


def speed(a: argparse.Namespace) -> dict:
    from presslens.inputs import Document, iter_inputs
    from presslens.parallel import WorkerPool, local_cluster, read_shards, run_dask, warm_up
    from presslens.record.pipeline import analyze_many, default_nlp

    texts, where = load_texts(a.articles, a.n)
    work = Path(tempfile.mkdtemp(prefix="presslens-scaling-"))
    corpus = work / "articles"
    corpus.mkdir()
    for k, text in enumerate(texts):
        (corpus / f"{k:06d}.txt").write_text(text, encoding="utf-8")
    inputs = [str(corpus)]
    n = len(texts)
    counts: dict[str, int] = {}
    runs: dict[str, list[dict[str, float]]] = {"one": [], "parallel": [], "dask": []}
    load_before = os.getloadavg()

    def timed(mode: str, run: Callable[[], int], own_cpu: Callable[[], float]) -> None:
        """Run once; keep wall seconds, CPU seconds of our processes and of everything else on the machine."""
        busy0, c0, t0 = _machine_busy_cpu(), own_cpu(), time.perf_counter()
        counts[mode] = run()
        wall = time.perf_counter() - t0
        own = own_cpu() - c0
        foreign = max(0.0, _machine_busy_cpu() - busy0 - own)
        runs[mode].append({"s": wall, "cpu": own, "foreign": foreign})

    # (a) one process
    t0 = time.perf_counter()
    nlp = default_nlp()
    list(analyze_many([Document(text=t) for t in texts[:3]], nlp=nlp))  # warm: first-call allocations
    startup_one = time.perf_counter() - t0
    # (b) worker processes, started and warmed before the clock starts
    t0 = time.perf_counter()
    pool = WorkerPool(a.workers, batch_size=a.batch_size, chunk=a.chunk)
    pool.start(wait=True)
    list(pool.analyze([Document(text=t) for t in texts[: a.workers * a.chunk]]))
    startup_parallel = time.perf_counter() - t0
    # (c) a local Dask cluster, its workers' pipelines loaded before the clock starts
    t0 = time.perf_counter()
    cluster = local_cluster(a.workers)
    address = cluster.__enter__()
    warm_up(address)
    startup_dask = time.perf_counter() - t0
    from distributed import Client

    monitor = Client(address)
    try:
        for r in range(a.rounds):
            timed(
                "one",
                lambda: sum(1 for _ in analyze_many(iter_inputs(inputs), nlp=nlp, batch_size=a.batch_size)),
                _process_cpu,
            )
            timed(
                "parallel",
                lambda: sum(1 for _ in pool.analyze(iter_inputs(inputs))),
                lambda: _process_cpu() + _cpu_of(pool.pids),
            )
            out = work / f"shards-{r}"
            timed(
                "dask",
                lambda out=out: len(
                    run_dask(inputs, address, out, partition_size=a.partition_size, batch_size=a.batch_size)
                ),
                lambda: _process_cpu() + sum(monitor.run(_process_cpu).values()),
            )
            counts["dask"] = sum(1 for _ in read_shards(sorted(out.glob("part-*.parquet"))))
    finally:
        monitor.close()
        pool.close()
        cluster.__exit__(None, None, None)
    assert counts["one"] == counts["parallel"] == counts["dask"] == n, counts
    best = {mode: min(rs, key=lambda r: r["s"]) for mode, rs in runs.items()}
    rate = {mode: n / b["s"] for mode, b in best.items()}
    startup = {"one": startup_one, "parallel": startup_parallel, "dask": startup_dask}
    cpus = os.cpu_count() or 1
    return {
        "mode": "speed",
        "articles": n,
        "source": where,
        "cpus": cpus,
        "workers": a.workers,
        "chunk": a.chunk,
        "partition_size": a.partition_size,
        "rounds": a.rounds,
        "one_articles_per_s": round(rate["one"], 2),
        "parallel_articles_per_s": round(rate["parallel"], 2),
        "dask_articles_per_s": round(rate["dask"], 2),
        "speedup_parallel": round(rate["parallel"] / rate["one"], 3),
        "speedup_dask": round(rate["dask"] / rate["one"], 3),
        "startup_s": {k: round(v, 2) for k, v in startup.items()},
        "speedup_parallel_with_startup": round(
            (best["one"]["s"] + startup_one) / (best["parallel"]["s"] + startup_parallel), 3
        ),
        "speedup_dask_with_startup": round((best["one"]["s"] + startup_one) / (best["dask"]["s"] + startup_dask), 3),
        # CPU seconds per article of our processes in the kept run: the extra work that parallelism costs.
        "cpu_s_per_article": {mode: round(b["cpu"] / n, 4) for mode, b in best.items()},
        # The share of the machine's CPU time that other programs took during the kept run: near 0 for a
        # clean measurement; wall-clock speed-ups mean little when it is not.
        "foreign_cpu_share": {mode: round(b["foreign"] / (b["s"] * cpus), 3) for mode, b in best.items()},
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)},
    }


def _fresh_strings(k: int) -> str:
    """A closing paragraph with names and numbers no other article has: a corpus of real articles keeps
    bringing new strings (names, figures, places), which cycled texts stop doing after one cycle."""
    a, b = f"{(k * 7919) % 1_000_003:06d}", f"{(k * 104729) % 1_000_033:06d}"
    return f"\n\nReporting by Kaelor{a} Vintrasz{b} in Port Oruvek{k}; editing by Selmira{b}. Ref. {a}-{b}-{k}.\n"


def memory(a: argparse.Namespace) -> dict:
    import psutil

    from presslens.inputs import Document
    from presslens.parallel import WorkerPool

    texts, where = load_texts(a.articles, a.mem_articles, cycle=False)
    total = a.mem_articles
    first, last = (1000 if total > 1000 else max(1, total // 10)), total
    docs: Iterator[Document] = (
        Document(text=t + _fresh_strings(k) if a.fresh_strings else t, source=str(k))
        for k, t in zip(range(total), itertools.cycle(texts), strict=False)
    )
    rss: dict[int, int] = {}
    t0 = time.perf_counter()
    with WorkerPool(1, batch_size=a.batch_size, chunk=a.chunk, max_ahead=2, zone=not a.no_zone) as pool:
        pool.start(wait=True)
        [pid] = pool.pids
        assert pid is not None
        worker = psutil.Process(pid)
        for k, _rec in enumerate(pool.analyze(docs), 1):
            if k in (first, last):
                rss[k] = worker.memory_info().rss
            if k % 500 == 0:
                print(
                    f"{k} articles, {time.perf_counter() - t0:.0f} s, "
                    f"worker RSS {worker.memory_info().rss / 2**20:.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )
    return {
        "mode": "memory",
        "articles": total,
        "distinct_texts": len(texts),
        "source": where,
        "memory_zone": not a.no_zone,
        "fresh_strings": a.fresh_strings,
        "seconds": round(time.perf_counter() - t0, 1),
        "rss_mib_after": {str(first): round(rss[first] / 2**20, 1), str(last): round(rss[last] / 2**20, 1)},
        "rss_ratio": round(rss[last] / rss[first], 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=Path, help="a directory of articles (default: PolNeAR train, else examples/)")
    ap.add_argument("--n", type=int, default=200, help="articles for the speed runs")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--chunk", type=int, default=8, help="documents per chunk sent to a worker process")
    ap.add_argument("--partition-size", type=int, default=64, help="most articles per Dask task (run_dask default)")
    ap.add_argument("--memory", action="store_true", help="run the memory check instead of the speed runs")
    ap.add_argument("--mem-articles", type=int, default=10_000)
    ap.add_argument("--no-zone", action="store_true", help="memory check without spaCy memory zones")
    ap.add_argument(
        "--fresh-strings", action="store_true", help="memory check: give every article some strings of its own"
    )
    a = ap.parse_args()
    if a.memory:
        result = memory(a)
        (first, rss_first), (last, rss_last) = result["rss_mib_after"].items()
        print(
            f"worker RSS: {rss_first} MiB after {first} articles, {rss_last} MiB after {last}; "
            f"ratio {result['rss_ratio']}"
        )
    else:
        result = speed(a)
        print(f"(a) one process:            {result['one_articles_per_s']} articles/s")
        print(
            f"(b) analyze_parallel x{a.workers}:    {result['parallel_articles_per_s']} articles/s  "
            f"speed-up {result['speedup_parallel']}"
        )
        print(
            f"(c) run_dask LocalCluster x{a.workers}: {result['dask_articles_per_s']} articles/s  "
            f"speed-up {result['speedup_dask']}"
        )
        print(f"start-up left out (s): {result['startup_s']}")
        print(f"CPU s per article: {result['cpu_s_per_article']}")
        print(f"share of the CPUs taken by other programs meanwhile: {result['foreign_cpu_share']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
