"""Packaged catalogs are read at start-up with LibYAML, not by the first request that needs them (issue 19).

A first Spanish page during an import held the GIL ~1 s reading es.yaml with the pure-Python
loader and stalled every request, `/healthz` included (bench/serve_during_import.py).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from api import i18n
from api.app import create_app
from api.scorecards import render as scorecard_render
from tracker.jurisdictions import calendar
from tracker.scoring import methodology
from tracker.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def test_create_app_reads_every_catalog_before_any_request(tmp_path, monkeypatch):
    monkeypatch.setenv("EDTRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'warm.db'}")
    get_settings.cache_clear()
    for cached in (i18n.catalog, scorecard_render.catalog, methodology.texts, calendar.calendars):
        cached.cache_clear()
    try:
        create_app(get_settings())
        assert i18n.catalog.cache_info().currsize == len(i18n.LANGS)
        for cached in (scorecard_render.catalog, methodology.texts, calendar.calendars):
            assert cached.cache_info().currsize == 1, cached.__qualname__
    finally:
        get_settings.cache_clear()


def test_fast_loader_reads_the_packaged_files_as_the_pure_python_loader_does():
    assert i18n.FAST_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = [ROOT / "api/i18n/en.yaml", ROOT / "api/i18n/es.yaml", ROOT / "api/templates/scorecards/messages.yaml",
             ROOT / "tracker/data/methodology.yaml", ROOT / "tracker/data/calendars.yaml",
             ROOT / "tracker/data/taxonomy.yaml", ROOT / "tracker/alerts/templates/messages.yaml"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=i18n.FAST_LOADER) == yaml.safe_load(text), path.name


def test_serve_app_sets_the_workers_thread_switch_interval(tmp_path, monkeypatch):
    """`edtracker serve`'s factory: renders in threads hold up the event loop at most this long."""
    import sys

    from api.app import serve_app

    monkeypatch.setenv("EDTRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'switch.db'}")
    monkeypatch.setenv("EDTRACKER_API_SWITCH_INTERVAL_MS", "0.7")
    get_settings.cache_clear()
    before = sys.getswitchinterval()
    try:
        serve_app()
        assert abs(sys.getswitchinterval() - 0.0007) < 1e-9
    finally:
        sys.setswitchinterval(before)
        get_settings.cache_clear()


def test_serve_app_leaves_the_start_ups_objects_out_of_full_collections(tmp_path, monkeypatch):
    """A full collection walked every object of the worker while holding the GIL (0.3-0.7 s of
    stalled requests during an import, bench/serve_during_import.py): start-up's objects are frozen."""
    import gc

    from api.app import serve_app

    monkeypatch.setenv("EDTRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'frozen.db'}")
    get_settings.cache_clear()
    gc.unfreeze()
    try:
        app = serve_app()
        frozen = gc.get_freeze_count()
        assert app.router.routes and frozen > 50_000 and len(gc.get_objects(2)) < frozen / 10
    finally:
        gc.unfreeze()
        get_settings.cache_clear()
