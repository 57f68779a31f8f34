"""`tongxue serve`: the API and the web app. `tongxue keys ...`: the API keys it accepts."""

from __future__ import annotations

from typing import Annotated

import typer

from tongxue.cli.options import get_settings

ROLE_HELP = "car (the head unit, full control), phone (remote: no driving controls), admin."


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Listen address (overrides --host on the root).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Listen port (overrides --port).")] = None,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Rules only: load no model (no /v1/chat).")
    ] = False,
) -> None:
    """Serve the OpenAI-compatible API, the assistant, the car and the web app at /."""
    from tongxue.engine.errors import EngineError
    from tongxue.models.errors import ModelError
    from tongxue.server.runner import serve as run
    from tongxue.server.security.binding import BindingError, check_binding, is_loopback
    from tongxue.server.security.keys import KeyStore

    settings = get_settings(ctx)
    updates: dict[str, object] = {}
    if host is not None:
        updates["host"] = host
    if port is not None:
        updates["port"] = port
    settings = settings.model_copy(update=updates)
    keyless = KeyStore(settings.keys_path).empty
    try:
        check_binding(settings.host, has_keys=not keyless)
    except BindingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    where = f"http://{settings.host}:{settings.port}/"
    if keyless and is_loopback(settings.host):
        typer.echo(
            f"No API keys ({settings.keys_path}): serving on loopback only, without "
            "authentication. Add keys with `tongxue keys add` to serve the network.",
            err=True,
        )
    typer.echo(f"Tongxue: the web app and API at {where}", err=True)
    try:
        run(settings, use_llm=not no_llm)
    except BindingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except (EngineError, ModelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


keys_app = typer.Typer(help="API keys for `tongxue serve`: stored hashed, shown once.")


@keys_app.command("add")
def keys_add(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    user: Annotated[str, typer.Option(help="Whose sessions and memories the key sees.")],
    label: Annotated[str | None, typer.Option(help="A note, e.g. 'Alice's phone'.")] = None,
) -> None:
    """Create a key and print it once: only its hash is kept."""
    from tongxue.server.security.keys import ROLES, KeyStore

    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}", param_hint="--role")
    store = KeyStore(get_settings(ctx).keys_path)
    key, record = store.add(role, user, label)  # type: ignore[arg-type]
    typer.echo(
        f"created key {record.id} ({record.role}, user {record.user}) in {store.path}", err=True
    )
    typer.echo("Keep it now; it cannot be shown again:", err=True)
    typer.echo(key)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """List the keys (ids, roles, users; never the keys themselves)."""
    from tongxue.server.security.keys import KeyStore

    store = KeyStore(get_settings(ctx).keys_path)
    records = store.records()
    if not records:
        typer.echo(f"no keys in {store.path}: the server answers loopback only")
        return
    for record in records:
        label = f"  {record.label}" if record.label else ""
        typer.echo(f"{record.id}  {record.role:<5}  {record.user}  {record.created_at}{label}")


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context, key_id: Annotated[str, typer.Argument(help="The key's id.")]
) -> None:
    """Delete a key; a running server stops accepting it within a second."""
    from tongxue.server.security.keys import KeyStore

    store = KeyStore(get_settings(ctx).keys_path)
    if not store.revoke(key_id):
        typer.echo(f"no key {key_id} in {store.path}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")
