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


def test_import_into_new_and_current_databases_does_not_load_alembic(tmp_path):
    # A new database is made from the models and stamped; one at the head is left alone:
    # neither pays for Alembic and the 31 migration modules (tests/test_fresh_schema.py).
    db = tmp_path / "new.db"
    code = ("import sys\nfrom cli.main import main\nsys.argv = ['edtracker', 'import', %r, '--json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "open(%r, 'w').write(' '.join(sys.modules))" % (str(tmp_path), str(tmp_path / "mods")))
    env = {**__import__("os").environ, "EDTRACKER_DATABASE_URL": f"sqlite:///{db}"}
    for _ in range(2):  # new, then at the head
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        loaded = set((tmp_path / "mods").read_text().split())
        assert "tracker.models" in loaded and "cli.imports" in loaded
        assert not {m for m in loaded if m == "alembic" or m.startswith("alembic.")}
    import sqlite3

    assert sqlite3.connect(db).execute("SELECT version_num FROM alembic_version").fetchall() != []


def test_the_command_freezes_its_modules_and_keeps_collecting():
    # The modules' objects are left out of later collections, and the collector stays on.
    code = ("import gc, sys\nfrom cli.main import main\nsys.argv = ['edtracker', 'import', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('STATE', gc.isenabled(), gc.get_freeze_count(), 'cli.imports' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    enabled, frozen, loaded = out.split("STATE", 1)[1].split()
    assert enabled == "True" and loaded == "True"
    assert int(frozen) > 100_000  # every object of SQLAlchemy, pydantic and the models
