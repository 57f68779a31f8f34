"""`tongxue models ...` (placeholder being written)."""

import typer

app = typer.Typer(help="List, fetch and verify models.")
