"""Commands on one article or a folder: ``analyze``, ``schema``, ``version``, and ``eval``/``train attribution``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from presslens.cli.app import Format, _dump, app, eval_app, train_app
from presslens.version import __version__


@app.command()
def analyze(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt .html .jsonl .csv .parquet .rss .atom .warc, and .gz of them), directories, "
            "http(s) URLs, or - for stdin."
        ),
    ],
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format; default: table on a terminal, JSON Lines otherwise."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = 10_000_000,
    validate: Annotated[bool, typer.Option(help="Check every record against the presslens/1 schema.")] = False,
    fetch_links: Annotated[
        bool, typer.Option("--fetch", "--fetch-links", help="Fetch the linked page of feed entries with short text.")
    ] = False,
    fetch_timeout: Annotated[float, typer.Option(help="Seconds allowed for fetching one URL.")] = 20.0,
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs on private, loopback and link-local addresses (refused by default).")
    ] = False,
    techniques: Annotated[
        str,
        typer.Option(
            "--techniques",
            help="Which persuasion-technique spans to keep: likely (default: calibrated probability over the "
            "technique's threshold, out-of-fold precision 0.6, and at least 0.5; none in "
            "quotation marks that no quote gives a speaker, none in a text outside public affairs, such as "
            "a review or a recipe), all (every span found, for research), f1 "
            "(the best-F1 cut of the PTC benchmark), none.",
        ),
    ] = "likely",
    no_techniques: Annotated[bool, typer.Option("--no-techniques", help="Same as --techniques none.")] = False,
    accurate: Annotated[
        bool,
        typer.Option(
            help="Find technique spans with the slower, more accurate span tagger and resolve pronouns, both "
            "over the MPNet encoder (make install-accurate)."
        ),
    ] = False,
    compact: Annotated[
        bool, typer.Option(help="Leave out the convenience text fields (quote, speaker, technique... texts).")
    ] = False,
    all_quotes: Annotated[
        bool,
        typer.Option(
            "--all-quotes",
            help="Keep reported speech without quotation marks down to confidence 0.6, also with no source or no "
            "verb of speech, belief or stance, for research (by default left out: on real pages, three in four of "
            "those are no attribution).",
        ),
    ] = False,
    all_actors: Annotated[
        bool,
        typer.Option(
            "--all-actors",
            help="In the table, list every actor; by default actors under the confidence the model lists at "
            "(docs/actor-confidence-model-card.md) are only counted. Records always hold every actor.",
        ),
    ] = False,
    unsure_quotes: Annotated[
        bool,
        typer.Option(
            "--unsure-quotes",
            help="In the table, list every quote of the record; by default quotes under the confidence the quote "
            "model lists at (docs/quote-confidence-model-card.md) are only counted. Records hold them all.",
        ),
    ] = False,
) -> None:
    """Analyse articles: quotes with their speakers, actors with their titles and roles."""
    from presslens.inputs import iter_inputs
    from presslens.record.pipeline import analyze_many
    from presslens.record.render import record_view

    out_stream = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    to_terminal = output is None and sys.stdout.isatty()
    fmt = fmt or (Format.table if to_terminal else Format.jsonl)
    console = None
    if fmt is Format.table:
        console = Console(file=out_stream, width=None if to_terminal else 140, highlight=False)
    err = Console(stderr=True, highlight=False)
    failures = 0
    collected: list[dict[str, Any]] = []
    try:
        stdin = sys.stdin.buffer if "-" in inputs else None
        items = iter_inputs(
            inputs,
            max_bytes=max_bytes,
            stdin=stdin,
            fetch_links=fetch_links,
            fetch_timeout=fetch_timeout,
            allow_private=allow_private or None,
        )
        from presslens.record.pipeline import compact as compact_record
        from presslens.record.pipeline import load_nlp

        keep = "none" if no_techniques else techniques
        if keep not in ("likely", "all", "f1", "none"):
            err.print(f"presslens: --techniques: {keep!r} is not one of likely, all, f1, none")
            raise typer.Exit(2)
        quote_keep = "all" if all_quotes else "likely"
        if accurate:
            try:
                nlp = load_nlp(techniques=keep != "none", accurate=True, technique_keep=keep, quote_keep=quote_keep)
            except (ValueError, RuntimeError) as exc:  # no accurate tagger in the model, or no encoder package
                err.print(f"presslens: --accurate: {exc}")
                raise typer.Exit(2) from exc
        elif keep == "none":
            nlp = load_nlp(techniques=False, quote_keep=quote_keep)
        elif keep == "likely" and quote_keep == "likely":
            nlp = None
        else:
            nlp = load_nlp(technique_keep=keep, quote_keep=quote_keep)
        for rec in analyze_many(items, nlp=nlp):
            if compact:
                compact_record(rec)
            if validate:
                from presslens.record.schema import validate as check

                check(rec)
            if "error" in rec:
                failures += 1
                e = rec["error"]
                print(f"presslens: {rec['article'].get('source')}: {e['kind']}: {e['message']}", file=sys.stderr)
            if fmt is Format.jsonl:
                out_stream.write(_dump(rec) + "\n")
                out_stream.flush()
            elif fmt is Format.table:
                assert console is not None
                console.print(record_view(rec, all_actors=all_actors, unsure_quotes=unsure_quotes))
            else:
                collected.append(rec)
        if fmt is Format.json:
            payload: Any = collected[0] if len(collected) == 1 else collected
            out_stream.write(_dump(payload, indent=2) + "\n")
    finally:
        if output:
            out_stream.close()
    if failures:
        err.print(f"presslens: {failures} input(s) failed", style="red")
        raise typer.Exit(1)


@eval_app.command("attribution")
def eval_attribution(
    gold: Annotated[Path, typer.Option("--gold", help="A PolNeAR-style split: text/*.txt and attributions/*.ann.")],
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Score these presslens records (JSONL) instead of analysing.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the records analysed.")] = None,
    method: Annotated[
        str, typer.Option("--method", help="How attributions are found: hybrid (default), learned or rules.")
    ] = "hybrid",
    keep: Annotated[
        str,
        typer.Option(
            "--keep",
            help="Which attributions without quotation marks to score: all (default: down to confidence 0.6, the "
            "benchmark setting) or likely (from 0.7, what analyze keeps by default).",
        ),
    ] = "all",
) -> None:
    """Analyse a split's texts and print attribution figures as the reference scorer defines them."""
    from presslens.attribution.evaluate import score

    if pred is not None:
        with open(pred, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    else:
        from presslens.inputs import iter_inputs
        from presslens.record.pipeline import analyze_many, load_nlp

        if keep not in ("all", "likely"):
            raise typer.BadParameter("--keep must be all or likely")
        nlp = load_nlp(techniques=False, quotes=method, quote_keep=keep)
        records = list(analyze_many(iter_inputs([str(gold / "text")]), nlp=nlp))
        if output is not None:
            with open(output, "w", encoding="utf-8") as f:
                for rec in records:
                    f.write(_dump(rec) + "\n")
    res = score(records, gold)
    err = Console(stderr=True, highlight=False)
    for role, r in res["role_exact"].items():
        err.print(f"{role:>24} exact  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    for key in ("attribution", "attribution_with_source"):
        r = res[key]
        err.print(f"{key:>24}        P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    print(json.dumps(res))


@train_app.command("attribution")
def train_attribution(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR folder with train/ and dev/ (text/, attributions/).")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
    epochs: Annotated[int, typer.Option(help="Training epochs; the best on dev is kept.")] = 15,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
    cache: Annotated[Path | None, typer.Option(help="Keep the parsed features here between runs.")] = None,
) -> None:
    """Train the attribution tagger (needs PyTorch: pip install torch==2.13.0); prints its dev figures."""
    from presslens.attribution.train import PACKAGE_MODEL, train
    from presslens.record.pipeline import load_nlp
    from presslens.tagger.train import torch_available

    if not torch_available():
        Console(stderr=True).print("presslens train attribution needs PyTorch: pip install torch==2.13.0")
        raise typer.Exit(2)
    meta = train(
        data,
        out or PACKAGE_MODEL,
        epochs=epochs,
        seed=seed,
        cache=cache,
        log=Console(stderr=True, highlight=False).print,
        nlp=None if cache is not None and cache.exists() else load_nlp(techniques=False),
    )
    print(json.dumps({"best_epoch": meta["best_epoch"], "history": meta["history"]}))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the presslens/1 record."""
    from presslens.record.schema import RECORD_SCHEMA

    print(json.dumps(RECORD_SCHEMA, indent=2))


@app.command()
def version() -> None:
    """Print the presslens version."""
    print(__version__)
