"""``redline serve``: the REST API and web UI on uvicorn. The lead wires it in with ``register(app)``."""

from __future__ import annotations

import os
from typing import Optional

import typer


def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port."),
          workers: int = typer.Option(1, min=1, max=64, help="Worker processes (use PostgreSQL for many)."),
          db: Optional[str] = typer.Option(None, "--db", envvar="REDLINE_DATABASE_URL",
                                           help="Database: an SQLite file path or a postgresql:// URL "
                                                "(default: $REDLINE_DATABASE_URL, else redline.sqlite3 "
                                                "in the user data folder)."),
          profile: Optional[str] = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                                                help="Profile name (bundled) or folder; default russia-ukraine."),
          no_db: bool = typer.Option(False, "--no-db", help="Serve the profile only (no documents, statements, "
                                                               "saved plans or writes)."),
          log_level: str = typer.Option("info", help="uvicorn log level."),
          allowed_hosts: Optional[str] = typer.Option(
              None, "--allowed-hosts", envvar="REDLINE_ALLOWED_HOSTS",
              help="Comma-separated names the Host header may carry (default: loopback names and --host; "
                   "'*' turns the check off)."),
          ) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web UI at http://HOST:PORT."""
    try:
        import uvicorn

        from redline.web.app import create_app  # noqa: F401 - fail early when the extra is missing
    except ImportError as exc:
        from redline.errors import DataError

        raise DataError(f"the web server needs the web extra ({exc.name} is missing)",
                        fix="pip install 'redline[web]'") from None
    from redline.profile import load_profile

    prof = load_profile(profile)  # report profile errors here, once, not in every worker
    os.environ["REDLINE_PROFILE"] = str(profile or prof.root)
    if db:
        os.environ["REDLINE_DATABASE_URL"] = db
    if no_db:
        os.environ["REDLINE_WEB_NO_DB"] = "1"
    from redline.services.settings import LOOPBACK_HOSTS

    hosts = [h.strip() for h in (allowed_hosts or "").split(",") if h.strip()] or list(LOOPBACK_HOSTS)
    if not allowed_hosts and host not in ("0.0.0.0", "::", "") and host not in hosts:
        hosts.append(host)  # the address it listens on is a name clients may use
    os.environ["REDLINE_ALLOWED_HOSTS"] = ",".join(hosts)
    if not no_db:
        from redline.store import open_store

        open_store(db or None, upgrade=True).close()  # migrate once before the workers start
    typer.echo(f"redline: serving profile {prof.id} on http://{host}:{port} "
               f"({workers} worker{'s' if workers > 1 else ''})", err=True)
    uvicorn.run("redline.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``redline`` command."""
    app.command("serve")(serve)
