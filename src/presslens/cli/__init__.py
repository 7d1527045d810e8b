"""The ``presslens`` command line: one Typer app (:mod:`presslens.cli.app`) and the command modules that
register on it when imported here."""

from __future__ import annotations

import sys

from presslens.cli import analyze, stages, store, techniques, web  # noqa: F401  (each registers its commands)
from presslens.cli.app import app


def main() -> None:
    """Run the command line. A path that does not exist or cannot be read is one line on stderr and exit
    status 2, never a traceback (inputs to ``analyze`` and ``ingest`` are error records instead)."""
    try:
        app()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError) as exc:
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        detail = exc.strerror or str(exc)
        print(f"presslens: {detail}{where}", file=sys.stderr)
        sys.exit(2)


__all__ = ["app", "main"]
