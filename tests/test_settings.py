"""Every setting is documented in .env.example, and .env.example names only real settings."""
from __future__ import annotations

import re

from tests.conftest import ROOT
from tracker.settings import Settings


def documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*(EDTRACKER_[A-Z0-9_]+)=", text, flags=re.M))


def test_env_example_lists_every_setting():
    expected = {f"EDTRACKER_{name.upper()}" for name in Settings.model_fields}
    assert documented() == expected


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("EDTRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("EDTRACKER_DATA_DIR", str(tmp_path))
    s = Settings(_env_file=None)
    assert s.effective_database_url == f"sqlite:///{tmp_path.resolve()}/edtracker.db"


def test_user_agent_carries_contact(monkeypatch):
    monkeypatch.setenv("EDTRACKER_CONTACT_EMAIL", "ops@coalition.example")
    assert "ops@coalition.example" in Settings(_env_file=None).effective_user_agent
