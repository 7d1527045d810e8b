"""The ``presslens`` command-line application: the Typer app and the groups every command module registers on.

Command modules (``analyze``, ``store``, ``techniques``, ``web``) import ``app`` from here and add their
commands; :mod:`presslens.cli` imports them all and runs the app. Nothing here imports a command module."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="presslens: who said what in the news, about whom, and how.",
)


# Sub-command groups shared by several modules: `presslens eval attribution|techniques`,
# `presslens train attribution|techniques`. Modules add their commands with @eval_app.command("NAME").
eval_app = typer.Typer(no_args_is_help=True, help="Measure presslens against gold annotations.")
train_app = typer.Typer(no_args_is_help=True, help="Train the models presslens ships.")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _dump(rec: dict[str, Any], indent: int | None = None) -> str:
    return json.dumps(rec, ensure_ascii=False, indent=indent)
