"""`edtracker`: the command line."""
from __future__ import annotations

import gc
import importlib
import sys

import typer

from cli.common import setup_logging, state
from cli.errors import EXIT_CODES_HELP, message
from tracker.settings import get_settings

# Commands that start with their own module only: `edtracker import` is timed as a whole
# process (bench/billstatus_import.py) and needs none of the other groups' imports.
ALONE = {"import": ("cli.imports", "import_cmd")}


def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors (for bug reports).")) -> None:
    state.debug = debug
    setup_logging(get_settings().log_level, debug=debug)


def _new_app() -> typer.Typer:
    app = typer.Typer(help="edtracker: education bills, votes and scorecards.", no_args_is_help=True,
                      pretty_exceptions_enable=False, epilog=EXIT_CODES_HELP)
    app.callback()(_root)
    return app


def build_app() -> typer.Typer:
    """The command with every command group."""
    from cli import aliases, bills, db, legislators
    from cli import coalition
    from cli.imports import import_cmd
    from cli.quality import quality_cmd
    from cli.scheduler import jobs_cmd, run_cmd, scheduler_cmd
    from cli.serve import serve_cmd
    from cli.tagging import tag_cmd

    app = _new_app()
    app.add_typer(db.app, name="db")
    app.add_typer(bills.app, name="bills")
    app.add_typer(__import__("cli.alerts").alerts.app, name="alerts")
    app.add_typer(legislators.app, name="legislators")
    app.command("import")(import_cmd)
    app.command("serve")(serve_cmd)
    app.command("scheduler")(scheduler_cmd)
    app.command("run")(run_cmd)
    app.command("jobs")(jobs_cmd)
    app.add_typer(aliases.app, name="aliases")
    app.command("quality")(quality_cmd)
    app.add_typer(coalition.app, name="coalition")
    app.add_typer(__import__("cli.actions").actions.app, name="actions")
    app.command("tag")(tag_cmd)
    app.command("demo")(__import__("cli.demo").demo.demo_cmd)
    app.add_typer(__import__("cli.scorecards").scorecards.app, name="scorecard")
    app.add_typer(__import__("cli.sessions").sessions.app, name="sessions")
    app.add_typer(__import__("cli.districts").districts.app, name="districts")
    return app


def app_for(argv: list[str]) -> typer.Typer:
    """The app that runs `argv`: the command alone when it is one of `ALONE`, else all of them."""
    words = [a for a in argv if not a.startswith("-")]
    if words and words[0] in ALONE:
        module, func = ALONE[words[0]]
        app = _new_app()
        app.command(words[0])(getattr(importlib.import_module(module), func))
        return app
    return build_app()


def __getattr__(name: str):
    if name == "app":  # `from cli.main import app` (tests, tools): every command
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(name)


def loaded_app(argv: list[str]) -> typer.Typer:
    """`app_for(argv)` with the garbage collector off while the modules load, then their objects
    frozen: they live as long as the process, and a run of `edtracker import` spent about a
    tenth of its CPU time scanning them again in collections (issue 19)."""
    gc.disable()
    try:
        return app_for(argv)
    finally:
        gc.enable()
        gc.freeze()


def main() -> None:
    """The `edtracker` command: errors are one line naming the problem and the fix."""
    try:
        loaded_app(sys.argv[1:])()
    except Exception as exc:  # noqa: BLE001 - every failure becomes one readable line
        if state.debug or "--debug" in sys.argv[1:2]:
            raise
        try:
            url = get_settings().effective_database_url
        except Exception:  # noqa: BLE001 - the settings themselves may be what failed
            url = None
        text, code = message(exc, url)
        typer.echo(f"error: {text}", err=True)
        sys.exit(code)


if __name__ == "__main__":
    main()
