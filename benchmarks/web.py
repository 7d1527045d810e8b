"""Page times of the newsroom (``presslens serve``) over a 10,000-article SQLite store, and a load test.

    python benchmarks/web.py [--db PATH] [--articles 10000] [--requests 100] [--clients 50] [--seconds 30]
                             [--workers 1] [--rebuild]

The store is built once (and reused while it holds --articles articles) by the builder of
``benchmarks/search.py`` (a few dozen real texts analysed, their records replicated with other ids, outlets,
dates, speakers and words, through ``ingest_records``; no spaCy on 10,000 texts), with persuasion technique
spans added to each replica (in the outlet's voice and inside quotes), so that the technique views have
work to do.

Then ``presslens serve`` runs in a subprocess on 127.0.0.1 and this script times, one request at a time,
--requests fetches of each of the overview, quote search (varied words, speakers, outlets, dates), article
(random ids) and speaker (random speakers) pages, after one warm-up request each (the first request, which
builds the corpus figures, is reported apart). Target: p95 < 200 ms. Then --clients concurrent clients
(httpx.AsyncClient) fetch a mix of those pages for --seconds seconds; it reports requests, errors (target:
none) and latency. The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

HERE = Path(__file__).resolve().parent
DEFAULT_DB = Path(tempfile.gettempdir()) / "presslens-web-bench.db"
TECHNIQUES = ["Loaded_Language", "Name_Calling,Labeling", "Doubt", "Exaggeration,Minimisation", "Flag-Waving"]


def search_bench() -> Any:
    """benchmarks/search.py as a module (its store builder)."""
    spec = importlib.util.spec_from_file_location("presslens_search_bench", HERE / "search.py")
    if spec is None or spec.loader is None:
        raise SystemExit("benchmarks/search.py is needed for its store builder")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def with_techniques(replicate: Any) -> Any:
    """The builder's replicate(), plus a few technique spans: some in the outlet's voice, some in quotes."""

    def wrapped(base: dict[str, Any], k: int, r: random.Random, *args: Any) -> dict[str, Any]:
        rec = replicate(base, k, r, *args)
        text = rec["article"]["text"]
        spans: list[dict[str, Any]] = []
        for q in rec["quotes"][:3]:
            s, e = q["content"][0]
            if e - s > 12:
                spans.append(
                    {
                        "technique": r.choice(TECHNIQUES),
                        "span": [s + 1, min(e, s + 1 + r.randint(8, 40))],
                        "score": round(r.random(), 3),
                        "voice": {"quote": q["id"], "actor": q["speaker"]["actor"]},
                    }
                )
        for _ in range(r.randint(0, 3)):
            s = r.randrange(0, max(1, len(text) - 40))
            spans.append(
                {
                    "technique": r.choice(TECHNIQUES),
                    "span": [s, s + r.randint(5, 30)],
                    "score": round(r.random(), 3),
                    "voice": {"quote": None, "actor": None},
                }
            )
        rec["techniques"] = spans
        return rec

    return wrapped


def ensure_store(db: Path, n: int, seed: int, rebuild: bool) -> dict[str, Any]:
    from sqlalchemy import text

    from presslens.store import Store

    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store.open(f"sqlite:///{db}") as store:
        with store.engine.connect() as conn:
            have = conn.scalar(text("SELECT count(*) FROM articles"))
        if have >= n:
            return {"reused": True}
        if have:
            sys.exit(f"{db} holds {have} articles, fewer than {n}: pass --rebuild")
        mod = search_bench()
        mod.replicate = with_techniques(mod.replicate)
        print(f"building {n} articles in {db} ...", flush=True)
        t0 = time.perf_counter()
        built = mod.build(store, n, seed)
        built["total_s"] = round(time.perf_counter() - t0, 1)
        print(f"built: {json.dumps(built)}", flush=True)
        return built


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int, log: Any) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PRESSLENS_TOKEN"}
    cmd = [sys.executable, "-m", "presslens.cli", "serve", "--db", f"sqlite:///{db}", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (its output: {log.name})")
        try:
            httpx.get(base + "/static/style.css", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def stop_server(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def page_urls(base: str, n: int, seed: int) -> dict[str, list[str]]:
    """Varied URLs of each page kind, drawn from what the store holds (through the API)."""
    r = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as c:
        ov = c.get("/api/overview").json()
        actors = c.get("/api/actors", params={"limit": 500}).json()["items"]
        total = ov["totals"]["articles"]
        quotes = c.get("/api/quotes", params={"limit": 200}).json()["items"]
    speakers = [a["key"] for a in actors if a["quotes"]] or [a["key"] for a in actors]
    outlets = [o["outlet"] for o in ov["outlets"]]
    words = sorted({w.lower().strip(".,“”\"'") for q in quotes for w in q["content"].split() if len(w) > 5})
    first_id = 1
    searches = []
    for i in range(n):
        kind = i % 5
        params: list[tuple[str, str]] = []
        if kind in (0, 1):
            params.append(("q", r.choice(words)))
        if kind == 1:
            params.append(("outlet", r.choice(outlets)))
        if kind == 2:
            params.append(("speaker", r.choice(speakers)))
        if kind == 3:
            year = r.randint(2020, 2025)
            params += [("since", f"{year}-01-01"), ("until", f"{year}-06-30"), ("kind", "direct")]
        if kind == 4:
            params += [("q", r.choice(words)), ("offset", "50")]
        searches.append("/quotes?" + "&".join(f"{k}={quote(v)}" for k, v in params))
    return {
        "overview": ["/"] * n,
        "search": searches,
        "article": [f"/articles/{r.randint(first_id, total)}" for _ in range(n)],
        "speaker": ["/actors/" + quote(r.choice(speakers), safe="") for _ in range(n)],
    }


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p * len(s))) - 1))]


def sequential(base: str, urls: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=60) as c:
        for kind, paths in urls.items():
            c.get(paths[0])  # warm-up
            times, bad = [], 0
            for path in paths:
                t0 = time.perf_counter()
                resp = c.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                bad += resp.status_code != 200
            out[kind] = {
                "requests": len(times),
                "non_200": bad,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1),
            }
    return out


async def load(base: str, urls: dict[str, list[str]], clients: int, seconds: float) -> dict[str, Any]:
    mix = [u for paths in urls.values() for u in paths]
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(k: int, c: httpx.AsyncClient) -> None:
        r = random.Random(k)
        while time.monotonic() < stop:
            path = r.choice(mix)
            t0 = time.perf_counter()
            try:
                resp = await c.get(path)
                if resp.status_code != 200:
                    errors[str(resp.status_code)] = errors.get(str(resp.status_code), 0) + 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                print(f"error: {path}: {exc!r} after {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            times.append((time.perf_counter() - t0) * 1000)

    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        await asyncio.gather(*(client(k, c) for k in range(clients)))
    elapsed = time.monotonic() - t0
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(times),
        "requests_per_s": round(len(times) / elapsed, 1),
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="timed requests per page kind")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=1, help="server processes (presslens serve --workers)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()

    built = ensure_store(a.db, a.articles, a.seed, a.rebuild)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    log = tempfile.NamedTemporaryFile("w+", prefix="presslens-web-bench-", suffix=".log", delete=False)  # noqa: SIM115
    proc = start_server(a.db, port, a.workers, log)
    started_s = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        first = httpx.get(base + "/", timeout=120)
        first_ms = (time.perf_counter() - t1) * 1000
        assert first.status_code == 200, first.text[:500]
        urls = page_urls(base, a.requests, a.seed)
        pages = sequential(base, urls)
        for kind, f in pages.items():
            print(f"{kind:>9}: p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms  max {f['max_ms']:7.1f} ms")
        loaded = asyncio.run(load(base, urls, a.clients, a.seconds))
        print(
            f"{loaded['clients']} clients for {loaded['seconds']} s: {loaded['requests']} requests "
            f"({loaded['requests_per_s']}/s), {loaded['errors']} errors, p95 {loaded['p95_ms']} ms"
        )
        with httpx.Client(base_url=base, timeout=60) as c:
            totals = c.get("/api/overview").json()["totals"]
    finally:
        stop_server(proc)
        log.close()
    server_log = Path(log.name).read_text(encoding="utf-8", errors="replace").splitlines()
    if loaded["errors"]:
        print("server log (last lines):", *server_log[-20:], sep="\n")
    worst = max(f["p95_ms"] for f in pages.values())
    result = {
        "db": str(a.db),
        "articles": totals["articles"],
        "quotes": totals["quotes"],
        "techniques": totals["techniques"],
        "server_workers": a.workers,
        "server_start_s": round(started_s, 2),
        "first_overview_ms": round(first_ms, 1),
        "pages": pages,
        "worst_p95_ms": worst,
        "target_p95_ms": 200,
        "p95_met": worst < 200,
        "load": loaded,
        "server_log_lines": len(server_log),
        "build": built,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
