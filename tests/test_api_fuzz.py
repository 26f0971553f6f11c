"""A bounded schemathesis run over the app's OpenAPI schema (issue 15): generated and invalid
parameters of every operation, against a database with real bills, a published scorecard, tags,
an alert subscription and an API key. No answer may be a server error.

Known values (bill keys, coalition and scorecard slugs, a key, a feed token) are offered beside
the generated ones, so the handlers run past their 404s."""
from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extras")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from tests import factories as f  # noqa: E402
from tests.alerts.helpers import subscribe  # noqa: E402
from tests.conftest import real_fixture  # noqa: E402
from tests.scoring.helpers import published_house  # noqa: E402
from tracker.coalitions.auth import new_api_key  # noqa: E402
from tracker.models import ApiKey, Bill, BillTag, Coalition, Legislator, Subscription  # noqa: E402

# Per operation, on each database; derandomized, so every run tries the same cases. A deeper run:
# EDTRACKER_FUZZ_EXAMPLES=200 ./dev test tests/test_api_fuzz.py
EXAMPLES_PER_OPERATION = int(os.environ.get("EDTRACKER_FUZZ_EXAMPLES", "12"))


def _load_data(url: str) -> dict[str, list]:
    from scrapers.importer import iter_records, plan
    from tracker.db import get_engine
    from tracker.ingest import Ingestor
    from tracker.tagging.store import retag

    engine = get_engine(url)
    published_house(engine)
    Ingestor(engine).ingest([f.bill(6), f.bill(7)])
    Ingestor(engine).ingest(iter_records(plan([p for p in real_fixture("billstatus").iterdir() if p.is_dir() and p.name != "docs"])), keep_results=False)
    from tests.text.conftest import store_bills   # bills with stored text versions (issue 21)
    store_bills(engine)
    Ingestor(engine).ingest(iter_records(plan([real_fixture("bill-text")])), keep_results=False)
    retag(engine, coalition="edfund")
    subscribe(engine, "fuzz@example.org")
    from scrapers.importer import load_tables
    import tempfile
    grf = Path(tempfile.mkdtemp()) / "grf.csv"   # a school district for /api/school-districts/{leaid}
    grf.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,3,0\n")
    assert load_tables(plan([grf]), engine)[1] == []
    with Session(engine) as db:
        coal = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        key, prefix, hashed = new_api_key()
        db.add(ApiKey(coalition_id=coal.id, name="fuzz", prefix=prefix, key_hash=hashed, role="editor"))
        db.commit()
        known = {
            "bill": ["us-116-hr2157", "ny-2017-s609", "ca-20232024-ab2302"]
                    + list(db.execute(select(Bill.key).order_by(Bill.id).limit(30)).scalars()),
            "legislator": list(db.execute(select(Legislator.key).limit(10)).scalars()),
            "tag": list(db.execute(select(BillTag.id).limit(10)).scalars()),
            "feed": list(db.execute(select(Subscription.feed_token)).scalars()),
            "auth": [f"Bearer {key}"], "x_api_key": [key], "leaid": ["2102990"],
        }
    engine.dispose()
    assert len(known["bill"]) > 5 and known["tag"], known
    return known


def _offer_known(raw: dict, known: dict[str, list]) -> dict:
    """The schema with known values offered (anyOf: one of them, or anything the schema allows)."""
    raw = copy.deepcopy(raw)
    values = {
        ("path", "key"): known["bill"] + known["legislator"], ("path", "bill_key"): known["bill"],
        ("path", "coalition"): ["edfund"], ("path", "slug"): ["edfund", "house-2025"],
        ("path", "tag_id"): known["tag"], ("path", "feed_token"): known["feed"], ("path", "sc"): ["house-2025"],
        ("path", "item_id"): [1, 2, 3, 4], ("path", "leaid"): known["leaid"],
        ("path", "name"): ["table.css", "frame.js", "embed.js"],
        ("query", "legislator"): known["legislator"],
        ("query", "url"): ["http://localhost/c/edfund/scorecards/house-2025",
                           f"http://localhost/c/edfund/scorecards/house-2025/legislators/{known['legislator'][0]}"],
        ("query", "jurisdiction"): ["us"], ("query", "session"): ["119", "115"], ("query", "q"): ["school", "education"],
        ("query", "version"): ["ih", "enr", "A"], ("query", "from"): ["ih", "original"],
        ("query", "to"): ["enr", "A"], ("query", "compare"): ["ih", "original"],
        ("header", "authorization"): known["auth"], ("header", "x-api-key"): known["x_api_key"],
    }
    for ops in raw["paths"].values():
        for op in ops.values():
            for p in op.get("parameters", []):
                offer = values.get((p["in"], p["name"]))
                if offer:
                    p["schema"] = {"anyOf": [{"enum": offer}, p["schema"]]}
    return raw


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def api_schema(request, sqlite_template, tmp_path_factory):
    from api.app import create_app
    from tests.conftest import PG_URL, _pg_db
    from tracker.settings import Settings

    folder = tmp_path_factory.mktemp("fuzz")
    drop = None
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, folder / "edtracker.db")
        url = f"sqlite:///{folder / 'edtracker.db'}"
    else:
        if not PG_URL:
            pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
        url, drop = _pg_db(request.getfixturevalue("pg_template"))
    known = _load_data(url)
    from tests.districts.mirror import GeocoderMirror

    census = GeocoderMirror().start()   # /api/find asks a local geocoder, never the Census Bureau's
    app = create_app(Settings(database_url=url, data_dir=folder, secret_key="fuzz-secret-key-0123456789-abcdef",
                              geocoder_base_url=census.base_url, _env_file=None))
    schema = schemathesis.openapi.from_dict(_offer_known(app.openapi(), known))
    schema.app = app
    schema.location = "/openapi.json"
    yield schema
    census.stop()
    app.state.engine.dispose()
    if drop:
        drop()


def _run(operation, mode) -> list[str]:
    """Hypothesis over one operation in one generation mode; the server errors it found."""
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        response = case.call()
        if (case.path, (case.query or {}).get("format"), response.status_code) == ("/oembed", "xml", 501):
            return   # the oEmbed answer for a format the provider does not offer (oembed.com, 2.3.5)
        if response.status_code >= 500 and len(found) < 3:
            found.append(f"{case.method} {case.formatted_path} query={case.query} headers={case.headers} "
                         f"body={case.body!r:.200} -> {response.status_code}: {response.text[:300]}")
    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"no valid input for {operation.label}"   # nothing to get wrong
    return found


def test_no_server_errors(api_schema):
    # Driven directly (not through schemathesis' pytest plugin, whose lazy loader does not work
    # with pytest 9.2): each operation, valid and invalid inputs.
    errors, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            errors += _run(operation, mode)
    assert operations > 25
    assert errors == [], "\n".join(errors)
