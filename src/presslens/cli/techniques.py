"""Commands for persuasion techniques, registered on ``presslens.cli.app`` when imported:

presslens techniques INPUT... -o OUT.labels [--spans GOLD.labels]
presslens train techniques --data DIR
presslens eval techniques --gold-labels F --articles DIR
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from presslens.cli.app import app

PACKAGE_MODEL = Path(__file__).resolve().parents[1] / "data" / "techniques"


ACCURATE_HELP = (
    "Find spans with the slower, more accurate span tagger that also reads MPNet token states and name "
    "techniques with the fine-tuned MiniLM classifier too (make install-accurate)."
)


KEEP_HELP = (
    "Which found spans to write: f1 (default: the cut with the best out-of-fold SI F1), likely (what analyze "
    "keeps: out-of-fold precision 0.6 per technique) or all."
)


def _keep(keep: str) -> str:
    from presslens.techniques.calibrate import KEEP_MODES

    if keep not in KEEP_MODES:
        print(f"presslens: --keep: {keep!r} is not one of {', '.join(KEEP_MODES)}", file=sys.stderr)
        raise typer.Exit(2)
    return keep


def _group(name: str, help_text: str) -> typer.Typer:
    """The sub-command group *name* on ``app``, created if no other module made it first."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(no_args_is_help=True, help=help_text)
    app.add_typer(group, name=name)
    return group


train_app = _group("train", "Train presslens models.")
eval_app = _group("eval", "Evaluate presslens models.")


def _articles(inputs: list[str]) -> Iterator[tuple[str, Any]]:
    """(article ID, parsed doc) for each readable input; ID from ``article<ID>.txt`` file names."""
    from presslens.inputs import InputError, iter_inputs
    from presslens.record.pipeline import load_nlp
    from presslens.techniques.labels import article_id

    # the stages the technique model reads (quotes for voice and features); detection runs below
    nlp = load_nlp(techniques=False, figures=False, claims=False, relations=False)
    failures = 0
    docs = []
    for item in iter_inputs(inputs):
        if isinstance(item, InputError):
            failures += 1
            print(f"presslens: {item.source}: {item.kind}: {item.message}", file=sys.stderr)
            continue
        docs.append((article_id(item.source) if item.source else (item.id or "stdin"), item.text))
    for (aid, _), doc in zip(docs, nlp.pipe([t for _, t in docs], batch_size=16), strict=True):
        yield aid, doc
    if failures:
        raise typer.Exit(1)


def _predict(
    inputs: list[str],
    gold_spans: Path | None,
    model_dir: Path | None,
    find: bool = True,
    accurate: bool = False,
    keep: str = "f1",
) -> tuple[list[Any], list[Any], set[str]]:
    """Found spans (FLC, when *find*) and, with *gold_spans*, those spans labelled (TC), for every input. *keep*:
    which found spans (``techniques.calibrate``; the benchmark default is the best-F1 cut)."""
    from presslens.techniques.detector import accurate_model, classify, detect, load_model
    from presslens.techniques.evaluate import tc_labels
    from presslens.techniques.features import DocView
    from presslens.techniques.labels import Label, by_article, read_labels
    from presslens.techniques.model import TechniqueModel

    model = TechniqueModel.load(model_dir) if model_dir else load_model()
    if accurate:
        try:
            model = accurate_model(model)
        except (ValueError, RuntimeError) as exc:  # no accurate tagger in the model, or no encoder package
            print(f"presslens: --accurate: {exc}", file=sys.stderr)
            raise typer.Exit(2) from exc
    wanted = by_article(read_labels(gold_spans)) if gold_spans else {}
    flc: list[Label] = []
    tcp: list[Label] = []
    seen = set()
    for aid, doc in _articles(inputs):
        seen.add(aid)
        if find:
            flc += [Label(aid, t.technique, t.span[0], t.span[1]) for t in detect(doc, model, keep=keep)]
        spans = wanted.get(aid, [])
        if spans:
            proba = classify(DocView(doc), [(x.start, x.end) for x in spans], model)
            tcp += tc_labels(model, aid, spans, proba)
    return flc, tcp, seen


@app.command("techniques")
def techniques(
    inputs: Annotated[list[str], typer.Argument(help="Article files (article<ID>.txt) or directories.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Labels file to write (PTC four-column format).")],
    spans: Annotated[
        Path | None,
        typer.Option("--spans", help="Label exactly these spans (a PTC labels file) instead of finding spans."),
    ] = None,
    model: Annotated[Path | None, typer.Option(help="A model directory instead of the shipped model.")] = None,
    accurate: Annotated[bool, typer.Option(help=ACCURATE_HELP)] = False,
    keep: Annotated[str, typer.Option(help=KEEP_HELP)] = "f1",
) -> None:
    """Find persuasion-technique spans and write them as ID<TAB>TECHNIQUE<TAB>START<TAB>END."""
    from presslens.techniques.labels import write_labels

    flc, tcp, _ = _predict(inputs, spans, model, find=spans is None, accurate=accurate, keep=_keep(keep))
    n = write_labels(output, tcp if spans else flc)
    print(f"presslens: {n} span(s) written to {output}", file=sys.stderr)


@train_app.command("techniques")
def train_techniques(
    data: Annotated[Path, typer.Option(help="PTC folder: train-articles/ and train-task-flc-tc.labels.")],
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = PACKAGE_MODEL,
    labels: Annotated[Path | None, typer.Option(help="Labels file (default DATA/train-task-flc-tc.labels).")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds, by article.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the fold split.")] = 13,
    cv: Annotated[bool, typer.Option(help="Cross-validate before fitting on all articles.")] = True,
    cv_out: Annotated[
        Path | None, typer.Option(help="Write out-of-fold predictions (cv-flc.labels, cv-tc.labels) here.")
    ] = None,
    span_tagger: Annotated[
        bool,
        typer.Option(help="Train the BiLSTM-CRF span tagger (needs PyTorch); --no-span-tagger: linear only."),
    ] = True,
    accurate: Annotated[
        bool,
        typer.Option(
            help="Train the accurate mode's span tagger (spaCy vectors + MPNet states) and add it to the "
            "model in --out, keeping its default span tagger (needs PyTorch and requirements-encoder.txt)."
        ),
    ] = False,
    jobs: Annotated[
        int, typer.Option(help="Cross-validation folds trained at once (processes, one PyTorch thread each).")
    ] = 1,
    refit: Annotated[
        bool,
        typer.Option(
            help="Fit on all articles after the cross-validation; --no-refit writes only the calibration "
            "(calibration.json) of the model already in --out, fitted on spans decoded with that model's span "
            "settings (the grid is still printed)."
        ),
    ] = True,
    oof_cache: Annotated[
        Path | None,
        typer.Option(
            help="Keep the fold models and out-of-fold tagger probabilities in this file; when it exists, "
            "they are read instead of trained (choose settings and recalibrate in minutes)."
        ),
    ] = None,
    classifier_folds: Annotated[
        Path | None,
        typer.Option(
            help="With --accurate: a folder f0..f4 of fine-tuned technique classifiers of the same folds "
            "(python -m presslens.techniques.finetune_tc --fold K --out DIR/fK), mixed in as at run time."
        ),
    ] = None,
    span_folds: Annotated[
        Path | None,
        typer.Option(
            help="With --accurate: a folder f0..f4 of fine-tuned span taggers of the same folds "
            "(python -m presslens.techniques.finetune_si --fold K --out DIR/fK), mixed in as at run time."
        ),
    ] = None,
) -> None:
    """Train the technique model; prints the cross-validation figures (SI, TC, FLC) as JSON."""
    from presslens.record.pipeline import load_nlp
    from presslens.techniques.train import train

    command = "presslens train techniques " + shlex.join(sys.argv[3:]) if len(sys.argv) > 3 else ""
    meta = train(
        data,
        out,
        labels=labels,
        folds=folds,
        seed=seed,
        cv=cv,
        cv_out=cv_out,
        command=command,
        span_tagger=span_tagger,
        accurate=accurate,
        nlp=load_nlp(),
        jobs=jobs,
        refit=refit,
        oof_cache=oof_cache,
        classifier_folds=classifier_folds,
        span_folds=span_folds,
    )
    print(json.dumps(meta.get("accurate", {}).get("cv", {}) if accurate else meta.get("cv", {})))


@eval_app.command("techniques")
def eval_techniques(
    gold_labels: Annotated[Path, typer.Option(help="Gold labels, ID<TAB>TECHNIQUE<TAB>START<TAB>END.")],
    articles: Annotated[Path, typer.Option(help="Folder of article<ID>.txt files.")],
    model: Annotated[Path | None, typer.Option(help="A model directory instead of the shipped model.")] = None,
    save_pred: Annotated[
        Path | None, typer.Option(help="Also write the predictions here (flc.labels, tc.labels).")
    ] = None,
    accurate: Annotated[bool, typer.Option(help=ACCURATE_HELP)] = False,
    keep: Annotated[str, typer.Option(help=KEEP_HELP)] = "f1",
) -> None:
    """Score the model on labelled articles: SI, TC and FLC, as shared/eval/score_ptc.py computes them."""
    from presslens.techniques.evaluate import score_all
    from presslens.techniques.labels import read_labels, write_labels

    files = sorted(articles.glob("article*.txt")) or sorted(articles.glob("*.txt"))
    inputs = [str(p) for p in files]
    gold = read_labels(gold_labels)
    flc, tcp, seen = _predict(inputs, gold_labels, model, accurate=accurate, keep=_keep(keep))
    gold = [g for g in gold if g.article in seen]
    if save_pred:
        save_pred.mkdir(parents=True, exist_ok=True)
        write_labels(save_pred / "flc.labels", flc)
        write_labels(save_pred / "tc.labels", tcp)
    scores = score_all(gold, flc, tcp)
    for task in ("si", "tc", "flc"):
        r = scores[task]
        if task == "tc":
            print(f"TC   micro-F1 {r['micro_f1']:.4f}  ({r['gold_spans']} gold spans)")
        else:
            print(
                f"{task.upper():4} P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}"
                f"  ({r['pred_spans']} predicted, {r['gold_spans']} gold)"
            )
    print(json.dumps(scores))


@app.command("techniques-help")
def techniques_help(
    accurate: Annotated[bool, typer.Option(help="The figures of the accurate mode.")] = False,
) -> None:
    """What a "possible <technique>" label is worth: per technique, its threshold and its precision and recall
    measured on held-out articles (five-fold cross-validation on PTC)."""
    from rich.console import Console
    from rich.table import Table

    from presslens.techniques.calibrate import help_rows, shipped

    cal = shipped().get("accurate" if accurate else "default")
    rows = help_rows(cal) if cal is not None else []
    console = Console(highlight=False)
    if not rows:
        console.print("presslens: this technique model is not calibrated; every found span is shown.")
        return
    table = Table(title="Possible persuasion techniques: what each label is worth", expand=True)
    for name, justify in (
        ("technique", "left"),
        ("shown at p ≥", "right"),
        ("kept / found", "right"),
        ("words in a technique span", "right"),
        ("label right", "right"),
        ("annotated material found", "right"),
        ("in the record at p ≥", "right"),
        ("record: kept, words inside", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{100 * x:.0f}%"

    for r in rows:
        table.add_row(
            r["label"],
            f"{r['threshold']:.2f}" if r["shown"] else "never shown",
            f"{r['kept'] or 0} / {r['found'] or 0}",
            pct(r["si_precision"]),
            pct(r["label_precision"]),
            pct(r["label_recall"]),
            f"{r['record_threshold']:.2f}" if r["record_threshold"] <= 1.0 else "as shown",
            f"{r['record_kept'] or 0}, {pct(r['record_si_precision'])}",
        )
    from presslens.techniques.calibrate import real_pages_sentence

    table.caption = (
        "Out-of-fold figures on the 371 PTC training articles (reference scorer's definitions). "
        + real_pages_sentence()
        + " The record keeps more than is shown (\"shown\": false): spans over the record threshold, chosen for the"
        " same precision on PTC without the word test and the floor; right less often than not on general news."
        + " A label is a lead for a reader, not a verdict: it says how a passage argues, not whether it is true."
    )
    Console(highlight=False).print(table)
