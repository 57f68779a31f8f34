"""The `tongxue` command line: settings on the root, one sub-command group per job."""

from __future__ import annotations

import logging

import typer

from tongxue.cli.options import with_settings_options
from tongxue.config import Settings

app = typer.Typer(
    name="tongxue",
    help="Tongxue: an offline-first AI assistant for the car and the phone.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
@with_settings_options
def main(ctx: typer.Context, settings: Settings) -> None:
    """Tongxue: an offline-first AI assistant for the car and the phone.

    Every setting below is also an environment variable (TONGXUE_<NAME>).
    """
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = settings


def _register() -> None:
    from tongxue.cli import (
        assistant_cmd,
        bench_cmd,
        bench_server_cmd,
        bench_voice_cmd,
        bench_wake_cmd,
        manual_cmd,
        models_cmd,
        serve_cmd,
        voice_cmd,
    )

    app.add_typer(models_cmd.app, name="models")
    app.add_typer(bench_cmd.app, name="bench")
    app.add_typer(manual_cmd.app, name="manual")
    app.command("chat")(assistant_cmd.chat)
    app.command("ask")(assistant_cmd.ask)
    app.command("eval")(assistant_cmd.evaluate)
    app.command("serve")(serve_cmd.serve)
    app.add_typer(serve_cmd.keys_app, name="keys")
    app.add_typer(voice_cmd.app, name="voice")
    bench_cmd.app.command("server")(bench_server_cmd.bench_server)
    bench_cmd.app.command("voice")(bench_voice_cmd.bench_voice)
    bench_cmd.app.command("wake")(bench_wake_cmd.bench_wake)
    bench_cmd.app.command("manual")(manual_cmd.bench_manual)


_register()
