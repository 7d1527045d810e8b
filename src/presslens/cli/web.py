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
#: Host names ``serve`` always answers for, besides the bind address and each --allowed-host.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


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
            help="Analyse submitted articles in the slower accurate mode: technique spans over MPNet states, "
            "pronouns resolved over MPNet (make install-accurate)."
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer requests for this host name (repeatable; *.example.org for its subdomains). "
            "Always answered: 127.0.0.1, localhost, ::1 and the --host address; any other Host header gets 400.",
        ),
    ] = None,
) -> None:
    """Serve the newsroom: pages and a JSON API over a store. Read-only unless PRESSLENS_TOKEN is set."""
    import os

    from rich.console import Console

    from presslens.store import Store, StoreError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    from presslens.web.security import host_name

    for name in allowed_host or []:
        if name != "*" and host_name(name.removeprefix("*.")) is None:
            raise typer.BadParameter(f"{name!r} is not a host name", param_hint="--allowed-host")
    try:
        store = Store.open(db, create=False)
    except StoreError as exc:
        err.print(f"presslens: {exc}", style="red", markup=False)
        raise typer.Exit(2) from None
    if accurate:
        try:  # fail now, with a clear message, not on the first submitted article
            from presslens.techniques.detector import accurate_model

            accurate_model()
        except (ValueError, RuntimeError, ImportError, OSError) as exc:
            err.print(f"presslens: --accurate: {exc}", style="red", markup=False)
            raise typer.Exit(2) from None
    import uvicorn

    from presslens.web.app import TOKEN_ENV, create_app

    shown = host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    writing = "writing enabled (PRESSLENS_TOKEN is set)" if os.environ.get(TOKEN_ENV) else "read-only"
    print(f"presslens: serving {store.display_url()} at {url} ({writing}; Ctrl-C to stop)", flush=True)
    hosts = allowed_hosts(host, allowed_host or [])
    if host in ("0.0.0.0", "::") and not allowed_host:
        print("presslens: answering only for 127.0.0.1 and localhost: add --allowed-host NAME for others", flush=True)
    if workers > 1:
        store.close()
        os.environ["PRESSLENS_SERVE_DB"] = store.url
        os.environ["PRESSLENS_SERVE_MAX_UPLOAD"] = str(max_upload)
        os.environ["PRESSLENS_SERVE_ACCURATE"] = "1" if accurate else ""
        os.environ["PRESSLENS_SERVE_ALLOWED_HOSTS"] = ",".join(hosts)
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
    app_ = create_app(store=store, max_body=max_upload, warm=True, accurate=accurate, allowed_hosts=hosts)
    uvicorn.run(app_, host=host, port=port, log_level="warning", proxy_headers=False, timeout_keep_alive=KEEP_ALIVE_S)


def app_from_env() -> object:
    """The app for each worker process of ``serve --workers N``."""
    import os

    from presslens.web.app import create_app

    max_body = int(os.environ.get("PRESSLENS_SERVE_MAX_UPLOAD", 2 << 20))
    accurate = bool(os.environ.get("PRESSLENS_SERVE_ACCURATE"))
    hosts = [h for h in os.environ.get("PRESSLENS_SERVE_ALLOWED_HOSTS", "").split(",") if h] or list(LOCAL_HOSTS)
    return create_app(
        os.environ["PRESSLENS_SERVE_DB"], max_body=max_body, warm=True, accurate=accurate, allowed_hosts=hosts
    )


def allowed_hosts(bind: str, extra: list[str]) -> list[str]:
    """The host names ``serve`` answers for: the local names, the bind address (unless a wildcard) and ``extra``."""
    hosts = list(LOCAL_HOSTS)
    for name in ([bind] if bind not in ("0.0.0.0", "::", "") else []) + extra:
        if name not in hosts:
            hosts.append(name)
    return hosts
