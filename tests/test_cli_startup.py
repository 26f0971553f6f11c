"""Issue 19: `edtracker import` starts without loading the other command groups (it is timed as
a whole process), and every command is still there for the rest."""
from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_command_loads_only_its_module():
    loaded = _modules_after("from cli.main import app_for\napp = app_for(['--debug', 'import', 'x'])")
    assert "cli.imports" in loaded
    assert not {"cli.bills", "cli.serve", "cli.scheduler", "cli.alerts", "cli.demo"} & loaded


def test_other_commands_and_the_module_app_have_every_group():
    from typer.main import get_command

    from cli.main import app, app_for

    for built in (app, app_for(["bills", "list"])):
        group = get_command(built)
        assert {"import", "bills", "db", "serve", "scorecard", "districts"} <= set(group.commands)
    alone = get_command(app_for(["import", "x"]))
    assert set(alone.commands) == {"import"}
