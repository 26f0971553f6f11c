"""The demo's federal sample (scrapers/demo), parsed by the real parsers and stored in process,
with the demo coalition and scorecard loaded as `edtracker demo` loads them."""
from __future__ import annotations

from scrapers.demo import cast
from scrapers.demo.sample_us import bill_path, federal_files
from scrapers.demo.setup import load_demo_coalition, load_demo_scorecard
from scrapers.formats import billstatus, house_clerk, senate_lis
from scrapers.formats.congress_legislators import parse_legislators
from tracker.ingest import Ingestor

CARD = "/c/demo-public-schools/scorecards/congress-2025"


def load(engine) -> dict:
    files = federal_files()
    records = list(parse_legislators(files["congress-legislators/legislators-current.yaml"],
                                     "https://theunitedstates.io/congress-legislators/legislators-current.yaml"))
    records += [billstatus.parse_bill(files[bill_path(b)], f"https://www.govinfo.gov/{bill_path(b)}")
                for b in cast.BILLS]
    for path, data in sorted(files.items()):
        if path.startswith("evs/") and path.endswith(".xml"):
            records += list(house_clerk.parse(data, path))
        elif "roll_call_votes" in path:
            records += list(senate_lis.parse(data, path))
    report = Ingestor(engine).ingest(records)
    assert report.counts.get("error", 0) == 0, [str(e) for e in report.errors[:3]]
    load_demo_coalition(engine)
    return load_demo_scorecard(engine)
