"""Kill -9 in the middle of an ingest, run it again: every article is stored exactly once and completely."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from test_store import article

ROOT = Path(__file__).resolve().parents[1]
N = 40


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created or not migrated yet
        return 0


def test_sigkill_mid_batch_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hashes = set()
    for i in range(N):
        text = article(1000 + i, paragraphs=4)
        (corpus / f"{i:03d}.txt").write_text(text, encoding="utf-8")
        hashes.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    db = tmp_path / "crash.db"
    cmd = [sys.executable, "-m", "presslens.cli", "ingest", str(corpus), "--db", f"sqlite:///{db}", "--batch-size", "2"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        seen = _count(db)
        if seen >= 1:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait(30)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL, f"ingest ended before it could be killed: {stderr}"
    at_kill = _count(db)
    assert 1 <= at_kill < N, f"the kill should land mid-run ({at_kill} of {N} stored)"

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N - at_kill} analysed, {at_kill} skipped as known, 0 errors" in rerun.stderr

    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        assert q("PRAGMA integrity_check") == [("ok",)]
        assert q("SELECT count(*) FROM articles") == [(N,)]
        assert {h for (h,) in q("SELECT content_hash FROM articles")} == hashes  # each exactly once
        for table in ("quotes", "actors", "actor_names", "techniques", "signatures", "lsh_bands"):
            orphans = q(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
            assert orphans == [(0,)], table
        # every article is complete: its quotes, its signature, its full-text rows
        assert q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM quotes)") == [(0,)]
        assert q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM signatures)") == [(0,)]
        for fts in ("quotes_fts", "articles_fts"):  # the full-text index matches its table exactly
            conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        assert q("SELECT count(*) FROM errors") == [(0,)]
