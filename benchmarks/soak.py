"""Soak: ingest and serve at once for N minutes under concurrent clients, kill an ingest, then check the store.

    python benchmarks/soak.py --minutes 3 [--clients 50] [--db URL] [--batch-articles 12] [--workdir DIR]

On a fresh store (a new SQLite file, or with ``--db postgresql://...`` a new schema made for the run and dropped
after it), all at the same moment: ``presslens serve`` and two ingest loops. Each loop runs ``presslens ingest``
on batch 0, 1, 2, ... of self-written articles (per batch: ``--batch-articles`` text files and a JSON Lines file
of articles with URLs, two of them syndicated copies of the batch's texts), both loops on the same batches, so
they race on every article. A third ingest is started on a batch of its own and killed with SIGKILL once it
has stored part of it; that batch is ingested again later. Meanwhile ``--clients`` asyncio clients (loopback
only, one request at a time each, until the time is up) fetch a mix of pages and API routes, now and then with
a foreign Host header (which must get 400).

When the time is up no new ingest starts; running ones finish; a last run ingests anything not yet completed
(the killed batch). Then the store is checked against the inputs: an input is *lost* when it is not stored,
*duplicated* when it is stored more than once (its URL, else its text with no URL). Last, a quiet baseline: the
same clients for a short while with no ingest running, so ``p95_ratio`` is the p95 latency under ingest load
over the quiet p95 (same invocation, same machine).

Targets: ``errors`` 0 (transport errors and timeouts), ``http_5xx`` 0, ``unexpected_4xx`` 0, ``lost`` 0,
``duplicated`` 0, ``ingest_failures`` 0. The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ["Jonas Berg", "Ana Costa", "Priya Natarajan", "Tom Ellery", "Helen Achterberg", "Marek Novak"]
ROLES = ["the finance minister", "the opposition leader", "a senior engineer", "the harbour master"]
NOUNS = "harbour budget bridge railway school hospital tax ferry council market pipeline airport".split()
VERBS = "delay expand review close fund rebuild inspect sell protect audit".split()
OUTLETS = ["Daily Courier", "Harbour Times", "The Ledger"]


# --------------------------------------------------------------------------------------------- inputs


def article(i: int) -> str:
    """A short self-written news article (unique by ``i``): a headline, filler, a direct and an indirect quote."""
    r = random.Random(i)
    who, role, noun = PEOPLE[i % len(PEOPLE)], ROLES[i % len(ROLES)], NOUNS[i % len(NOUNS)]

    def sentence() -> str:
        return f"The {r.choice(NOUNS)} board will {r.choice(VERBS)} the {r.choice(NOUNS)} by {r.randint(2025, 2040)}."

    return (
        f"{noun.title()} plan {i} faces a vote\n\n{' '.join(sentence() for _ in range(3))}\n\n"
        f"“We will {r.choice(VERBS)} the {noun} and we will not wait,” said {who}, {role}.\n\n"
        f"{who.split()[1]} added that the council would {r.choice(VERBS)} the {noun} next year, item {i}.\n"
    )


class Batches:
    """Input batches made on first use: (directory, expected identities as ("url", u) or ("text", text))."""

    def __init__(self, root: Path, size: int) -> None:
        self.root, self.size = root, size
        self.made: dict[int, tuple[Path, list[tuple[str, str]]]] = {}
        self.lock = threading.Lock()

    def get(self, k: int) -> tuple[Path, list[tuple[str, str]]]:
        with self.lock:
            if k not in self.made:
                self.made[k] = self._make(k)
            return self.made[k]

    def _make(self, k: int) -> tuple[Path, list[tuple[str, str]]]:
        d = self.root / f"batch{k:03d}"
        d.mkdir(parents=True)
        expected: list[tuple[str, str]] = []
        texts = []
        for j in range(self.size):
            text = article(k * 1000 + j)
            (d / f"a{j:03d}.txt").write_text(text, encoding="utf-8")
            expected.append(("text", text))
            texts.append(text)
        rows = []
        for j in range(2):  # new articles with URLs
            url = f"https://news.example/{k}/{j}"
            rows.append({"text": article(k * 1000 + 500 + j), "url": url, "outlet": OUTLETS[j % len(OUTLETS)]})
        for j in range(2):  # syndicated copies of the batch's texts under their own URLs
            rows.append({"text": texts[j], "url": f"https://wire.example/{k}/{j}", "outlet": OUTLETS[2]})
        with open(d / "wire.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                expected.append(("url", row["url"]))
        return d, expected


# --------------------------------------------------------------------------------------------- processes


class Peaks:
    """Peak resident memory (VmHWM) of live processes by role, sampled from /proc."""

    def __init__(self) -> None:
        self.pids: dict[int, str] = {}
        self.peak: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def track(self, pid: int, role: str) -> None:
        with self.lock:
            self.pids[pid] = role

    def sample(self) -> None:
        with self.lock:
            items = list(self.pids.items())
        for pid, role in items:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    self.peak[role] = max(self.peak.get(role, 0), kb)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.5)


def presslens(*args: str) -> list[str]:
    return [sys.executable, "-m", "presslens.cli", *args]


def ingest_cmd(db: str, batch: Path, *extra: str) -> list[str]:
    return presslens("ingest", str(batch), "--db", db, *extra)


class Ingests:
    """Ingest runs: their outcomes and which batches some run completed."""

    def __init__(self, db: str, batches: Batches, peaks: Peaks, logs: Path) -> None:
        self.db, self.batches, self.peaks, self.logs = db, batches, peaks, logs
        self.runs: list[dict[str, Any]] = []
        self.completed: set[int] = set()
        self.lock = threading.Lock()
        self.n = 0

    def start(self, k: int, *extra: str) -> tuple[subprocess.Popen[bytes], Path]:
        d, _ = self.batches.get(k)
        with self.lock:
            self.n += 1
            log = self.logs / f"ingest{self.n:03d}-batch{k:03d}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with open(log, "wb") as fh:
            proc = subprocess.Popen(ingest_cmd(self.db, d, *extra), cwd=ROOT, env=env, stdout=fh, stderr=fh)
        self.peaks.track(proc.pid, "ingest")
        return proc, log

    def run(self, k: int, *extra: str) -> int:
        proc, log = self.start(k, *extra)
        rc = proc.wait()
        self.record(k, rc, log, killed=False)
        return rc

    def record(self, k: int, rc: int, log: Path, *, killed: bool) -> None:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] if log.exists() else []
        with self.lock:
            self.runs.append({"batch": k, "rc": rc, "killed": killed, "summary": tail[0] if tail else ""})
            if rc == 0:
                self.completed.add(k)

    def loop(self, deadline: float) -> None:
        k = 0
        while time.monotonic() < deadline:
            self.run(k)
            k += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------------------------- clients


PAGES = [
    "/",
    "/articles",
    "/articles?outlet=Daily%20Courier",
    "/quotes?q=harbour",
    "/quotes?speaker=Ana%20Costa",
    "/actors",
    "/outlets",
    "/techniques",
    "/figures",
    "/network",
    "/api/overview",
    "/api/articles?limit=20",
    "/api/quotes?q=budget&limit=20",
    "/api/actors?limit=20",
    "/articles.csv",
]


class Load:
    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.http_5xx = 0
        self.unexpected_4xx = 0
        self.host_refused = 0
        self.latencies: list[float] = []
        self.ids: list[int] = []
        self.samples: list[str] = []

    def figures(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        p = (lambda q: round(1000 * lat[min(len(lat) - 1, int(q * len(lat)))], 1)) if lat else (lambda q: None)
        return {
            "requests": self.requests,
            "errors": self.errors,
            "http_5xx": self.http_5xx,
            "unexpected_4xx": self.unexpected_4xx,
            "foreign_host_refused": self.host_refused,
            "p50_ms": p(0.5),
            "p95_ms": p(0.95),
            "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
        }


async def client(base: str, load: Load, deadline: float, seed: int, max_requests: int) -> None:
    r = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=90) as http:
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            foreign = r.random() < 0.02
            if not foreign and load.ids and r.random() < 0.25:
                path = f"/articles/{r.choice(load.ids)}"
            else:
                path = r.choice(PAGES)
            headers = {"Host": "evil.example"} if foreign else {}
            t0 = time.monotonic()
            try:
                resp = await http.get(path.replace("/articles.csv", "/articles?format=csv"), headers=headers)
            except httpx.HTTPError as exc:
                load.errors += 1
                load.samples.append(f"{path}: {type(exc).__name__}")
                continue
            load.requests += 1
            load.latencies.append(time.monotonic() - t0)
            if foreign:
                load.host_refused += resp.status_code == 400
                load.unexpected_4xx += resp.status_code != 400
            elif resp.status_code >= 500:
                load.http_5xx += 1
                load.samples.append(f"{path}: {resp.status_code}")
            elif resp.status_code >= 400:
                load.unexpected_4xx += 1
                load.samples.append(f"{path}: {resp.status_code}")
            elif path == "/api/articles?limit=20":
                load.ids = [a["id"] for a in resp.json().get("items", []) if "id" in a] or load.ids


async def run_clients(base: str, n: int, seconds: float, max_requests: int) -> Load:
    load = Load()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(base, load, deadline, i, max_requests) for i in range(n)))
    return load


async def wait_up(base: str, proc: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        while True:
            try:
                if (await http.get("/api/overview")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not come up (exit status {proc.poll()})")
            await asyncio.sleep(0.5)


# --------------------------------------------------------------------------------------------- store check


def check(db: str, batches: Batches) -> dict[str, Any]:
    """Lost and duplicated inputs: each expected identity must be stored exactly once."""
    import sqlalchemy as sa

    from presslens.store import content_hash

    engine = sa.create_engine(_sa_url(db))
    with engine.connect() as conn:
        by_url = dict(
            conn.execute(sa.text("SELECT url, count(*) FROM articles WHERE url IS NOT NULL GROUP BY url")).all()
        )
        by_hash = dict(
            conn.execute(
                sa.text("SELECT content_hash, count(*) FROM articles WHERE url IS NULL GROUP BY content_hash")
            ).all()
        )
        stored = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        store_errors = conn.execute(sa.text("SELECT count(*) FROM errors")).scalar_one()
        incomplete = conn.execute(
            sa.text("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM signatures)")
        ).scalar_one()
    engine.dispose()
    expected = [e for k in sorted(batches.made) for e in batches.made[k][1]]
    lost = duplicated = 0
    for kind, value in expected:
        n = by_url.get(value, 0) if kind == "url" else by_hash.get(content_hash(value), 0)
        lost += n == 0
        duplicated += max(0, n - 1)
    return {
        "inputs": len(expected),
        "stored": stored,
        "lost": lost,
        "duplicated": duplicated,
        "unexpected_rows": stored - (len(expected) - lost) - duplicated,
        "incomplete_articles": incomplete,
        "store_errors": store_errors,
    }


def _sa_url(db: str) -> str:
    from presslens.store.db import resolve_url

    return resolve_url(db)


def fresh_db(db: str | None, work: Path) -> tuple[str, Any]:
    """The store URL for the run and a function that cleans up after it."""
    if not db or "://" not in db or db.startswith("sqlite"):
        path = Path(db.split("sqlite:///", 1)[-1]) if db else work / "soak.db"
        if path.exists():
            raise SystemExit(f"{path} exists: the soak needs a fresh store")
        sqlite3.connect(path).close()  # an empty file, so that serve (which never creates one) can start at once
        return f"sqlite:///{path}", lambda: None
    import sqlalchemy as sa

    admin = sa.create_engine(_sa_url(db))
    schema = f"presslens_soak_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    sep = "&" if "?" in db else "?"
    return f"{db}{sep}options=-csearch_path%3D{schema}", drop


# --------------------------------------------------------------------------------------------- main


def count_stored(db: str, batch_dir: Path) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(_sa_url(db))
    try:
        with engine.connect() as conn:
            q = sa.text("SELECT count(*) FROM articles WHERE source LIKE :p")
            return int(conn.execute(q, {"p": f"{batch_dir}%"}).scalar_one())
    except sa.exc.SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def killer(ingests: Ingests, k: int, at: float, report: dict[str, Any]) -> None:
    """At ``at``, ingest batch ``k`` alone and SIGKILL it once part of the batch is stored."""
    time.sleep(max(0.0, at - time.monotonic()))
    d, expected = ingests.batches.get(k)
    proc, log = ingests.start(k, "--batch-size", "2")
    give_up = time.monotonic() + 600
    stored = 0
    while proc.poll() is None and time.monotonic() < give_up:
        stored = count_stored(ingests.db, d)
        if stored >= 1:
            break
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    rc = proc.wait()
    report.update(killed_batch=k, killed_rc=rc, stored_when_killed=count_stored(ingests.db, d), of=len(expected))
    ingests.record(k, rc, log, killed=rc == -signal.SIGKILL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--db", help="a PostgreSQL URL (a fresh schema is made there) or a new SQLite path")
    ap.add_argument("--batch-articles", type=int, default=12, help="text files per batch (plus 4 JSON Lines rows)")
    ap.add_argument("--max-requests", type=int, default=100_000, help="per client")
    ap.add_argument("--baseline-seconds", type=float, default=None, help="quiet baseline (default: 10%%, 15-60 s)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="presslens-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "logs").mkdir(exist_ok=True)
    db, cleanup = fresh_db(args.db, work)
    seconds = args.minutes * 60
    batches = Batches(work / "inputs", args.batch_articles)
    peaks = Peaks()
    ingests = Ingests(db, batches, peaks, work / "logs")
    kill_report: dict[str, Any] = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    deadline = started + seconds

    threading.Thread(target=peaks.run, daemon=True).start()
    with open(work / "logs" / "serve.log", "wb") as fh:  # server and both ingest loops start together
        server = subprocess.Popen(presslens("serve", "--db", db, "--port", str(port)), cwd=ROOT, stdout=fh, stderr=fh)
    peaks.track(server.pid, "server")
    loops = [threading.Thread(target=ingests.loop, args=(deadline,)) for _ in range(2)]
    for t in loops:
        t.start()
    kill_batch = 10_000  # a batch of its own, which the loops never reach; completed after the soak
    kill = threading.Thread(target=killer, args=(ingests, kill_batch, started + seconds * 0.3, kill_report))
    kill.start()
    try:
        asyncio.run(wait_up(base, server, limit=seconds))
        load = asyncio.run(run_clients(base, args.clients, deadline - time.monotonic(), args.max_requests))
        for t in (*loops, kill):
            t.join()
        if kill_batch not in ingests.completed:  # the killed batch, run again: completes the job
            ingests.run(kill_batch)
        quiet = args.baseline_seconds or min(60.0, max(15.0, seconds * 0.1))
        baseline = asyncio.run(run_clients(base, args.clients, quiet, args.max_requests))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        peaks.stop.set()
    store = check(db, batches)
    cleanup()
    runs = ingests.runs
    soak, calm = load.figures(), baseline.figures()
    result = {
        "benchmark": "soak",
        "backend": "postgresql" if db.startswith("postgres") else "sqlite",
        "minutes": args.minutes,
        "clients": args.clients,
        **soak,
        "baseline_requests": calm["requests"],
        "baseline_p95_ms": calm["p95_ms"],
        "baseline_errors": calm["errors"] + calm["http_5xx"] + calm["unexpected_4xx"],
        "p95_ratio": round(soak["p95_ms"] / calm["p95_ms"], 2) if soak["p95_ms"] and calm["p95_ms"] else None,
        "ingest_runs": len(runs),
        "ingest_failures": sum(1 for r in runs if r["rc"] != 0 and not r["killed"]),
        "ingests_killed": sum(1 for r in runs if r["killed"]),
        **kill_report,
        **store,
        "server_peak_rss_mb": round(peaks.peak.get("server", 0) / 1024, 1),
        "ingest_peak_rss_mb": round(peaks.peak.get("ingest", 0) / 1024, 1),
        "wall_s": round(time.monotonic() - started, 1),
        "cpus": os.cpu_count(),
        "loadavg_1m_at_end": round(os.getloadavg()[0], 2),
        "error_samples": (load.samples + baseline.samples)[:5],
        "workdir": str(work),
    }
    for r in runs:
        print(f"ingest batch {r['batch']}: rc {r['rc']}{' (killed)' if r['killed'] else ''}: {r['summary']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
