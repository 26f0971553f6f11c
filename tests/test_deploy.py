"""The compose file and Dockerfile, checked structurally (no Docker engine on these machines)."""
from __future__ import annotations

import re

import yaml

from cli.main import app
from tests.conftest import ROOT
from tracker.settings import Settings


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def cli_commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return set(group.commands)


def test_services_and_dependencies():
    services = compose()["services"]
    assert {"db", "migrate", "api", "scheduler", "mail"} <= set(services)
    for name, svc in services.items():
        for dep in (svc.get("depends_on") or {}):
            assert dep in services, f"{name} depends on unknown service {dep}"
    assert "healthcheck" in services["db"] and "pgdata" in compose()["volumes"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_app_services_run_existing_commands():
    commands = cli_commands()
    for name in ("migrate", "api", "scheduler"):
        svc = compose()["services"][name]
        assert svc["build"] == "." and svc["env_file"] == ".env"
        assert svc["command"][0] in commands, f"{name}: edtracker has no command {svc['command'][0]!r}"
    api_cmd = compose()["services"]["api"]["command"]
    assert "--workers" in api_cmd


def test_settings_named_in_compose_exist():
    names = set(re.findall(r"EDTRACKER_[A-Z0-9_]+", (ROOT / "docker-compose.yml").read_text()))
    known = {f"EDTRACKER_{n.upper()}" for n in Settings.model_fields}
    assert names and names <= known, names - known


def test_dockerfile_installs_the_package_and_runs_the_cli():
    text = (ROOT / "Dockerfile").read_text()
    for part in ("tracker", "scrapers", "api", "cli", "scheduler.py", "pyproject.toml"):
        assert part in text
    assert 'ENTRYPOINT ["edtracker"]' in text
    assert (ROOT / ".env.example").exists()
