"""The package boundaries of the design: tracker imports neither Scrapy, FastAPI, scrapers nor api."""
from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("scrapy", "fastapi", "starlette", "scrapers", "api", "cli", "uvicorn", "twisted")


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_tracker_sources_import_no_framework():
    offenders = {str(p.relative_to(ROOT)): sorted(imported_modules(p) & set(FORBIDDEN))
                 for p in (ROOT / "tracker").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_tracker_loads_no_framework():
    code = ("import sys, tracker.models, tracker.ingest, tracker.bills.queries, tracker.db, tracker.bills.stage;"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_scrapers_and_api_do_not_import_each_other():
    for pkg, other in (("scrapers", "api"), ("api", "scrapers")):
        for p in (ROOT / pkg).rglob("*.py"):
            assert other not in imported_modules(p), f"{p} imports {other}"


def test_tracker_root_holds_only_infrastructure_modules():
    """Loose modules go into named packages (bills, people, jurisdictions, ops, ...)."""
    loose = sorted(p.stem for p in (ROOT / "tracker").glob("*.py") if p.stem != "__init__")
    assert loose == ["db", "settings", "vocab"]


def test_models_import_no_service():
    """Models are tables only: services listen to flushes instead of being called by models."""
    services = ("tracker.alerts", "tracker.scoring", "tracker.tagging", "tracker.ingest",
                "tracker.coalitions", "tracker.search")
    for p in (ROOT / "tracker" / "models").rglob("*.py"):
        tree = ast.parse(p.read_text(), filename=str(p))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(services), f"{p.name} imports {node.module}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    assert not a.name.startswith(services), f"{p.name} imports {a.name}"
