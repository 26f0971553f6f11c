"""`edtracker`: the command line."""
from __future__ import annotations

import typer

from cli import bills, db, legislators
from cli.common import setup_logging
from cli import aliases
from cli.imports import import_cmd
from cli.quality import quality_cmd
from cli.scheduler import jobs_cmd, run_cmd, scheduler_cmd
from cli.serve import serve_cmd
from cli import coalition
from cli.tagging import tag_cmd
from tracker.settings import get_settings

app = typer.Typer(help="edtracker: education bills, votes and scorecards.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
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


@app.callback()
def _root() -> None:
    setup_logging(get_settings().log_level)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
