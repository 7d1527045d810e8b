"""Train and measure the newer stages: ``presslens train claims|relations|coref|actors`` and ``presslens eval
claims|relations|coref`` (end to end through the whole pipeline, scored by the reference scorers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from presslens.cli.app import eval_app, train_app

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data"


def _print(result: object) -> None:
    print(json.dumps(result))


@train_app.command("claims")
def train_claims(
    data: Annotated[Path, typer.Option("--data", help="CheckThat! folder with train.tsv and dev.tsv.")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
    c: Annotated[float, typer.Option("--C", help="Inverse regularisation of the logistic regression.")] = 3.0,
    dense_scale: Annotated[float, typer.Option(help="Weight of the spaCy features beside the n-grams.")] = 0.1,
) -> None:
    """Train the check-worthiness model (needs scikit-learn); prints its dev figures."""
    from presslens.claims.train import train

    _print(train(data, out or PACKAGE_DATA / "claims", c=c, dense_scale=dense_scale))


@train_app.command("actors")
def train_actors(
    pages: Annotated[Path, typer.Option("--pages", help="The judged pages: ../shared/data/extraction-benchmark/html.")],
    judged: Annotated[
        list[Path],
        typer.Option("--judged", help="Judgement files to train on (docs/data/actor-judgements-train.jsonl)."),
    ],
    test: Annotated[
        list[Path] | None, typer.Option("--test", help="Judgement files to score, never trained on.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
) -> None:
    """Train the actor confidence model (needs scikit-learn); prints its cross-validation and test figures."""
    from presslens.record.actor_training import train

    model = train(judged, pages, out or PACKAGE_DATA / "actors" / "confidence.json", test)
    _print({k: model[k] for k in ("shown_at", "trained_on", "cross_validation", "test") if k in model})


@train_app.command("quotes")
def train_quotes(
    pages: Annotated[Path, typer.Option("--pages", help="The judged pages: ../shared/data/extraction-benchmark/html.")],
    judged: Annotated[
        list[Path],
        typer.Option("--judged", help="Judgement files to train on (docs/data/quote-judgements-train.jsonl)."),
    ],
    test: Annotated[
        list[Path] | None, typer.Option("--test", help="Judgement files to score, never trained on.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
) -> None:
    """Train the quote confidence model (needs scikit-learn); prints its cross-validation and test figures."""
    from presslens.record.quote_training import train

    model = train(judged, pages, out or PACKAGE_DATA / "attribution" / "quote_confidence.json", test)
    _print({k: model[k] for k in ("shown_at", "trained_on", "cross_validation", "test") if k in model})


@train_app.command("relations")
def train_relations(
    data: Annotated[Path, typer.Option("--data", help="CoNLL04 folder with train.json and dev.json.")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
    cache: Annotated[Path | None, typer.Option(help="A folder for the parsed sentences, reused when present.")] = None,
    names: Annotated[str, typer.Option(help="Which unlinked names may be related: all or places.")] = "all",
) -> None:
    """Train the relation classifier (needs scikit-learn); C and the threshold are chosen on dev."""
    from presslens.record.pipeline import load_nlp
    from presslens.relations.train import train

    if names not in ("all", "places"):
        raise typer.BadParameter("--names must be all or places")
    nlp = load_nlp(techniques=False, figures=False, claims=False, relations=False)
    _print(train(data, nlp, out or PACKAGE_DATA / "relations", cache, names=names))


@eval_app.command("claims")
def eval_claims(
    split: Annotated[Path, typer.Option("--split", help="A CheckThat! split (TSV), e.g. dev-test.tsv.")],
    scorer: Annotated[Path, typer.Option("--scorer", help="shared/eval/score_checkworthy.py")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the records scored.")],
) -> None:
    """Check-worthiness end to end: every sentence through the pipeline, scored by the reference scorer."""
    from presslens.evaluation.claims import score, write_records

    timing = write_records(split, out)
    _print({**score(split, out, scorer), **timing})


@eval_app.command("relations")
def eval_relations(
    data: Annotated[Path, typer.Option("--data", help="CoNLL04 folder.")],
    split: Annotated[str, typer.Option(help="dev (the test split is held back).")] = "dev",
    scorer: Annotated[Path | None, typer.Option(help="shared/eval/score_relations.py (default: beside data).")] = None,
    rules_only: Annotated[bool, typer.Option(help="Rules without the learned classifier.")] = False,
    model_only: Annotated[bool, typer.Option(help="The learned classifier without the rules.")] = False,
) -> None:
    """Relations end to end on CoNLL04, scored by the reference scorer (micro and per type)."""
    from presslens.evaluation.relations import evaluate

    _print(evaluate(data, split, learned=not rules_only, rules=not model_only, scorer=scorer))


@train_app.command("coref")
def train_coref(
    data: Annotated[Path, typer.Option("--data", help="GAP folder with gap-development.tsv.")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model (default: the package).")] = None,
    accurate: Annotated[
        bool,
        typer.Option(
            "--accurate",
            help="Train the accurate mode's MPNet pair scorer instead (needs torch and the encoder packages).",
        ),
    ] = False,
) -> None:
    """Train the pronoun pair scorer on GAP development (five-fold CV picks the setting; needs scikit-learn)."""
    from presslens.record.pipeline import load_nlp

    nlp = load_nlp(techniques=False, coref=False, figures=False, claims=False, relations=False)
    if accurate:
        from presslens.coref.train_accurate import train as train_accurate

        _print(train_accurate(data, out or PACKAGE_DATA / "coref", nlp))
        return
    from presslens.coref.train import train

    _print(train(data, out or PACKAGE_DATA / "coref", nlp))


@eval_app.command("coref")
def eval_coref(
    tsv: Annotated[Path, typer.Option("--tsv", help="A GAP file, e.g. gap-validation.tsv.")],
    scorer: Annotated[Path, typer.Option("--scorer", help="shared/eval/score_gap.py")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the records scored.")] = Path(
        "presslens-gap.jsonl"
    ),
    accurate: Annotated[
        bool, typer.Option("--accurate", help="Resolve pronouns with the MPNet pair scorer (accurate mode).")
    ] = False,
) -> None:
    """GAP end to end: each snippet through the pipeline with coreference, scored by the reference scorer."""
    from presslens.evaluation.coref import coref_nlp, score, write_records

    seconds = write_records(tsv, out, coref_nlp(accurate))
    _print({**score(tsv, out, scorer), "seconds": round(seconds, 1), "accurate": accurate})
