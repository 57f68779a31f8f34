"""`tongxue chat`, `tongxue ask` and `tongxue eval`: the assistant on the command line."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from tongxue.cabin.seats import SEATS
from tongxue.cli.options import get_settings
from tongxue.config import Settings
from tongxue.dialogue.sessions import TurnInput, TurnResult

SeatOption = Annotated[str, typer.Option("--seat", help=f"The speaker's seat: {', '.join(SEATS)}.")]


def _check_seat(seat: str) -> str:
    if seat not in SEATS:
        raise typer.BadParameter(f"unknown seat {seat!r}; choose one of {', '.join(SEATS)}")
    return seat


def engine_or_exit(settings: Settings) -> Any:
    """The configured model engine, or a clear error and exit code 2."""
    from tongxue.engine.errors import EngineError
    from tongxue.engine.factory import create_engine
    from tongxue.models.errors import ModelError

    try:
        return create_engine(settings)
    except (EngineError, ModelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _agent(settings: Settings, use_llm: bool) -> Any:
    from tongxue.dialogue.factory import create_agent

    return create_agent(
        settings, use_llm=use_llm, engine=engine_or_exit(settings) if use_llm else None
    )


def _describe_turn(result: TurnResult) -> str:
    lines = [f"同学> {result.reply}"]
    for action in result.actions:
        status = action.status if not action.reason else f"{action.status}: {action.reason}"
        lines.append(
            f"   · {action.name} {json.dumps(action.arguments, ensure_ascii=False)} [{status}]"
        )
    for change in result.changes:
        lines.append(f"     {change.path}: {change.old!r} → {change.new!r}")
    for cited in result.citations:
        lines.append(f"   § {cited.section_id}: {cited.title}")
    lines.append(f"   ({result.route}, {result.latency_ms:.0f} ms)")
    return "\n".join(lines)


def ask(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What the speaker says.")],
    seat: SeatOption = "driver",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole turn as JSON.")] = False,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Deterministic rules only.")] = False,
    long: Annotated[
        bool, typer.Option("--long", help="Let the model answer in a paragraph, not for speech.")
    ] = False,
) -> None:
    """Say one thing to the assistant and print its answer."""
    agent = _agent(get_settings(ctx), use_llm=not no_llm)
    turn = TurnInput(text=text, seat=_check_seat(seat), reply_length="long" if long else "short")
    result = asyncio.run(agent.handle(turn))
    if as_json:
        payload = result.model_dump(mode="json")
        payload["state"] = agent.vehicle.snapshot()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo(_describe_turn(result))


CHAT_HELP = (
    """Commands: /seat SEAT, /state, /reset, /quit. Anything else is said to the assistant."""
)


def chat(
    ctx: typer.Context,
    seat: SeatOption = "driver",
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Deterministic rules only.")] = False,
) -> None:
    """Talk to the assistant in the terminal; shows each reply and what changed in the car."""
    settings = get_settings(ctx)
    seat = _check_seat(seat)
    typer.echo("Loading the assistant..." if not no_llm else "Rules only (no model).")
    agent = _agent(settings, use_llm=not no_llm)
    typer.echo(f"Tongxue is ready. Seat: {seat}. {CHAT_HELP}")
    session_id: str | None = None
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                line = input(f"[{seat}] 你> ").strip()
            except (EOFError, KeyboardInterrupt):
                typer.echo("")
                break
            if not line:
                continue
            if line.startswith("/"):
                command, _, argument = line.partition(" ")
                if command in ("/quit", "/exit"):
                    break
                if command == "/seat":
                    if argument.strip() in SEATS:
                        seat = argument.strip()
                        typer.echo(f"seat is now {seat}")
                    else:
                        typer.echo(f"seats: {', '.join(SEATS)}")
                elif command == "/state":
                    typer.echo(json.dumps(agent.vehicle.snapshot(), ensure_ascii=False, indent=1))
                elif command == "/reset":
                    agent.vehicle.reset()
                    session_id = None
                    typer.echo("the car is back to its defaults; new conversation")
                else:
                    typer.echo(CHAT_HELP)
                continue
            result = loop.run_until_complete(
                agent.handle(TurnInput(text=line, seat=seat, session_id=session_id))
            )
            session_id = result.session_id
            typer.echo(_describe_turn(result))
    finally:
        loop.close()


def evaluate(
    ctx: typer.Context,
    cases_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL cases.")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the JSON report here.")
    ] = None,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Run the deterministic path alone.")
    ] = False,
    only: Annotated[str | None, typer.Option(help="Only cases whose id starts with this.")] = None,
) -> None:
    """Run an evaluation file and report; ends with the line `N passed, M failed`."""
    from tongxue.cabin.profile import resolve_profile
    from tongxue.cabin.vehicle import Vehicle
    from tongxue.dialogue.agent import CabinAgent
    from tongxue.dialogue.evaluation import (
        EvalFileError,
        format_summary,
        load_cases,
        run_case,
        summarize,
        write_report,
    )
    from tongxue.dialogue.factory import create_manual_desk, create_router
    from tongxue.dialogue.manual_evaluation import (
        format_manual_scores,
        is_manual_file,
        manual_scores,
    )
    from tongxue.dialogue.memory import MemoryStore
    from tongxue.dialogue.rules import RuleParser
    from tongxue.engine.embeddings import E5Embedder

    settings = get_settings(ctx)
    try:
        cases = load_cases(cases_file)
    except EvalFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if only:
        cases = [c for c in cases if c.id.startswith(only)]
    engine = None if no_llm else engine_or_exit(settings)
    profile = resolve_profile(settings.car_profile)
    parser = RuleParser()
    embedder = E5Embedder()
    router = create_router(Vehicle(profile), embedder) if engine is not None else None
    manual = create_manual_desk(settings, Vehicle(profile), embedder, engine)

    def make_agent(state: dict[str, Any]) -> Any:
        vehicle = Vehicle(profile)
        vehicle.set_many(state)
        agent = CabinAgent(
            vehicle,
            engine=engine,
            memory=MemoryStore(),
            parser=parser,
            router=router,
            llm_timeout=settings.llm_timeout,
            manual=manual,
        )
        return agent, vehicle.snapshot

    async def run_all() -> list[Any]:
        reports = []
        for case in tqdm(cases, desc="evaluating", unit="case", leave=False):
            reports.append(await run_case(case, make_agent))
        return reports

    reports = asyncio.run(run_all())
    for case_report in reports:
        if not case_report.passed:
            said = " | ".join(f"{t.text} → [{t.route}] {t.reply}" for t in case_report.turns)
            typer.echo(f"FAIL {case_report.id}: {'; '.join(case_report.failures)}\n     {said}")
    summary = summarize(reports)
    typer.echo(format_summary(summary))
    if manual is not None and is_manual_file(cases):
        typer.echo(format_manual_scores(manual_scores(manual.search, cases, reports)))
    if report is not None:
        write_report(report, reports)
        typer.echo(f"wrote {report}")
    typer.echo(f"{summary.overall.passed} passed, {summary.overall.failed} failed")
