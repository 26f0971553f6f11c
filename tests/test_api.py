"""The HTTP API: health, bill list with filters and pagination, bill detail, OpenAPI."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests import factories as f
from tracker.db import get_engine
from tracker.ingest import Ingestor
from tracker.settings import get_settings


@pytest.fixture
def client(app_env):
    engine = get_engine(app_env)
    more = [f.bill(n) for n in range(10, 15)]
    Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(f.batch() + more)
    with TestClient(create_app(get_settings())) as c:
        yield c


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_bills_paginated_and_filtered(client):
    page = client.get("/api/bills", params={"limit": 3}).json()
    assert page["total"] == 7 and len(page["items"]) == 3
    rest = client.get("/api/bills", params={"limit": 3, "offset": 6}).json()
    assert len(rest["items"]) == 1
    assert client.get("/api/bills", params={"jurisdiction": "ca"}).json()["total"] == 0
    assert client.get("/api/bills", params={"session": "119", "stage": "passed_origin"}).json()["total"] == 7
    assert client.get("/api/bills", params={"stage": "limbo"}).status_code == 422


def test_bill_detail(client):
    bill = client.get("/api/bills/us-119-hr5").json()
    assert bill["identifier"] == "H.R. 5" and bill["session"] == "119"
    assert len(bill["actions"]) == 3 and len(bill["sponsors"]) == 2
    assert bill["votes"][0]["key"] == "us-house-2025-17"
    assert client.get("/api/bills/us-119-hr404").status_code == 404


def test_openapi_documents_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/api/bills", "/api/bills/{key}"} <= set(paths)
