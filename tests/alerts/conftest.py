from __future__ import annotations

import pytest

from tests.alerts.mailserver import MailServer

SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def alerts_env(app_env, monkeypatch):
    """Settings for the alert tests; the SMTP URL is set by each test (the server may be down)."""
    from tracker.settings import get_settings

    for k, v in {"EDTRACKER_SECRET_KEY": SECRET, "EDTRACKER_PUBLIC_URL": "http://testserver",
                 "EDTRACKER_ALERTS_SETTLE_SECONDS": "0", "EDTRACKER_ALERTS_RETRY_BASE_SECONDS": "1",
                 "EDTRACKER_MAIL_FROM": "Ed Alerts <alerts@edtracker.test>"}.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


def use_smtp(monkeypatch, url: str) -> None:
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_SMTP_URL", url)
    get_settings.cache_clear()
