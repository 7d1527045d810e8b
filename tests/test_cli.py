"""The command line, end to end, in a subprocess: formats, errors, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.record.schema import RECORD_SCHEMA, validate

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "presslens.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "COLUMNS": "140"},
    )


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    files = {
        "empty": d / "empty.txt",
        "binary": d / "binary.txt",
        "cp1252": d / "cp1252.txt",
        "huge": d / "huge.txt",
        "html": d / "broken.html",
        "jsonl": d / "broken.jsonl",
        "good": d / "good.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["cp1252"].write_bytes(
        "Le ministre a déclaré : « Nous résisterons. » The mayor said “we are ready”.".encode("cp1252")
    )
    with open(files["huge"], "wb") as f:
        line = b"The council said the vote would be delayed again this week. " * 16 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    files["html"].write_bytes(b"<html><body><div><p>unclosed <b>bold <i></div></p><scr")
    files["jsonl"].write_text(
        '{"id": "j1", "text": "The mayor said the bridge would reopen in May."}\n'
        '{"id": "j2", "text": broken\n'
        '{"id": "j3", "text": "\\u201cWe are ready,\\u201d the coach said."}\n',
        encoding="utf-8",
    )
    files["good"].write_text("“We will win,” the coach said on Sunday.", encoding="utf-8")
    return files


def test_bad_inputs_each_get_an_error_record_and_the_batch_goes_on(bad_inputs):
    missing = str(bad_inputs["good"].parent / "missing.txt")
    args = [str(p) for p in bad_inputs.values()] + [missing]
    res = run("analyze", *args, "--format", "jsonl")
    assert res.returncode == 1
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    for r in recs:
        validate(r)
    by_source = {r["article"]["source"]: r for r in recs}
    errors = {src: r["error"]["kind"] for src, r in by_source.items() if "error" in r}
    assert errors == {
        str(bad_inputs["empty"]): "empty",
        str(bad_inputs["binary"]): "binary",
        str(bad_inputs["huge"]): "too_large",
        str(bad_inputs["html"]): "html",
        f"{bad_inputs['jsonl']}:2": "json",
        missing: "not_found",
    }
    # one line on stderr per failed input, plus the summary
    err_lines = [ln for ln in res.stderr.decode().splitlines() if ln.strip()]
    assert len(err_lines) == len(errors) + 1
    # the cp1252 text is decoded with detection, not rejected
    cp = by_source[str(bad_inputs["cp1252"])]
    assert "déclaré" in cp["article"]["text"] and "“we are ready”" in cp["article"]["text"]
    # every good input analysed
    assert by_source[f"{bad_inputs['jsonl']}:1"]["quotes"]
    assert by_source[f"{bad_inputs['jsonl']}:3"]["quotes"][0]["kind"] == "direct"
    assert by_source[str(bad_inputs["good"])]["quotes"][0]["kind"] == "direct"


def test_good_inputs_exit_zero_and_json_is_one_object():
    res = run("analyze", "examples/seed_quds_force.txt", "--format", "json")
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    validate(rec)
    assert rec["article"]["source"] == "examples/seed_quds_force.txt"
    text = Path(ROOT / "examples/seed_quds_force.txt").read_text(encoding="utf-8")
    assert rec["article"]["text"] == text  # verbatim: offsets are offsets into the file


def test_directory_and_stdin_and_output_file(tmp_path):
    out = tmp_path / "out.jsonl"
    res = run("analyze", "examples", "-o", str(out))
    assert res.returncode == 0, res.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    sources = [r["article"]["source"] for r in recs]
    assert os.path.join("examples", "seed_quds_force.txt") in sources
    assert os.path.join("examples", "harbour_council.html") in sources
    html = next(r for r in recs if r["article"]["source"].endswith(".html"))
    assert html["article"]["outlet"] == "The Saltmarsh Courier"
    assert any(q["speaker"]["name"] == "Margaret Okafor" for q in html["quotes"])
    for r in recs:
        validate(r)
    res = run("analyze", "-", stdin="“Prices will fall,” the governor said.".encode())
    assert res.returncode == 0
    rec = json.loads(res.stdout)
    assert rec["article"]["source"] == "-" and rec["quotes"][0]["kind"] == "direct"


def test_table_view_escapes_markup_and_shows_speakers(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("“[bold red]Danger[/] \x1b[31m<script>alert(1)</script>,” the mayor said.", encoding="utf-8")
    res = run("analyze", "examples/seed_quds_force.txt", str(hostile), "--format", "table")
    assert res.returncode == 0
    out = res.stdout.decode()
    assert "Ismail Qaani" in out and "Hossein Amir Abdollahian" in out and "Michael Milstein" in out
    assert "Foreign Minister" in out
    assert "[bold red]Danger[/]" in out  # shown as text, not interpreted
    assert "\x1b[31m" not in out and "\\x1b" in out


def test_schema_command_prints_the_contract():
    res = run("schema")
    assert res.returncode == 0
    assert json.loads(res.stdout) == json.loads(json.dumps(RECORD_SCHEMA))


@pytest.mark.parametrize(
    "args",
    [
        ("eval", "attribution", "--gold", "{missing}"),
        ("train", "techniques", "--data", "{missing}"),
        ("eval", "techniques", "--gold-labels", "{missing}", "--articles", "{missing}"),
        ("search", "x", "--db", "{missing}/x.db"),
        ("export", "--what", "quotes", "--db", "{missing}.db"),
    ],
)
def test_a_missing_path_is_one_line_never_a_traceback(tmp_path, args):
    missing = str(tmp_path / "no-such-folder")
    out = run(*(a.format(missing=missing) for a in args))
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert "Traceback" not in err and "Error" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("presslens: ")
    assert "no-such-folder" in err


def test_compact_leaves_out_the_text_fields_and_nothing_else(tmp_path):
    seed = Path(__file__).parent / "fixtures" / "seed.txt"
    full = json.loads(run("analyze", str(seed), "--format", "json").stdout)
    compact = json.loads(run("analyze", str(seed), "--format", "json", "--compact").stdout)
    text = full["article"]["text"]
    assert full["quotes"], "the seed has quotes"
    for q in full["quotes"]:
        assert q["text"] == " … ".join(text[s:e] for s, e in q["content"])
        sp = q["speaker"]
        assert sp["text"] == (text[sp["span"][0] : sp["span"][1]] if sp["span"] else None)
    for t in full["techniques"]:
        assert t["text"] == text[t["span"][0] : t["span"][1]]
    for q in compact["quotes"]:
        assert "text" not in q and "text" not in q["speaker"]
    assert all("text" not in t for t in compact["techniques"])
    for q in full["quotes"]:
        q.pop("text")
        q["speaker"].pop("text")
    for key in ("techniques", "figures", "claims", "relations"):
        for item in full.get(key, []):
            item.pop("text")
    assert full == compact
