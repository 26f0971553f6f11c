"""The whole demo dataset: files by URL path, plus query-routed answers for `?op=`-style APIs.

`build_sample()` is deterministic (same bytes every call), so a second demo run finds nothing
new and every crawl is a no-op. The URL layout under the mirror's root:

| prefix                       | source (real host)                                   |
|------------------------------|------------------------------------------------------|
| `sitemap/`, `bulkdata/`      | GovInfo BILLSTATUS (www.govinfo.gov)                 |
| `evs/`                       | House Clerk roll calls (clerk.house.gov)             |
| `legislative/LIS/`           | Senate LIS roll calls (www.senate.gov)               |
| `congress-legislators/`      | unitedstates/congress-legislators YAML               |
| `legiscan/`, `nyopenleg/`     | keyed state APIs (`sample_states.py`, `sample_ny.py`) |
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from scrapers.demo import sample_us

# The key the keyed state spiders send to the mirror; the mirror refuses any other.
DEMO_KEY = "edtracker-demo-key"


@dataclass(frozen=True)
class QueryRoute:
    """An API answer chosen by path and query parameters (`op=getBill&id=3`).

    `key_param` names the parameter (or header, lower case) that must carry `DEMO_KEY`."""

    path: str
    params: tuple[tuple[str, str], ...]
    body: bytes
    key_param: str | None = None
    content_type: str = "application/json"


@dataclass
class Sample:
    files: dict[str, bytes] = field(default_factory=dict)
    routes: list[QueryRoute] = field(default_factory=list)

    def find(self, path: str, query: dict[str, str]) -> QueryRoute | bytes | None:
        """The file at `path`, else the most specific query route whose parameters all match."""
        path = path.strip("/")
        best = None
        for route in self.routes:
            want = route.path.strip("/")
            # `prefix/*` answers any path under prefix (e.g. OpenLegislation's /updates/{since}).
            if want != path and not (want.endswith("/*") and path.startswith(want[:-1])):
                continue
            if all(query.get(k) == v for k, v in route.params):
                if best is None or len(route.params) > len(best.params):
                    best = route
        if best is not None:
            return best
        return self.files.get(path)


@lru_cache(maxsize=1)
def build_sample() -> Sample:
    """Every file and API answer of the demo (cached: it never changes within a process)."""
    sample = Sample(files=sample_us.federal_files())
    try:
        from scrapers.demo import sample_states
    except ImportError:  # pragma: no cover - state sample optional while it is being written
        return sample
    states = sample_states.state_sample(DEMO_KEY)
    sample.files.update(states.files)
    sample.routes.extend(states.routes)
    from scrapers.demo.sample_ny import ny_routes

    sample.routes.extend(ny_routes())
    return sample


def mirror_settings(base_url: str) -> dict[str, str]:
    """Environment settings pointing every source at a mirror on `base_url` (with demo keys)."""
    base = base_url.rstrip("/")
    return {
        "EDTRACKER_GOVINFO_BASE_URL": base,
        "EDTRACKER_HOUSE_CLERK_BASE_URL": base,
        "EDTRACKER_SENATE_BASE_URL": base,
        "EDTRACKER_CONGRESS_LEGISLATORS_BASE_URL": f"{base}/{sample_us.LEGISLATORS_DIR}",
        "EDTRACKER_CONGRESS_API_BASE_URL": f"{base}/congress-api/v3",
        "EDTRACKER_LEGISCAN_BASE_URL": f"{base}/legiscan",
        "EDTRACKER_LEGISCAN_API_KEY": DEMO_KEY,
        "EDTRACKER_OPENSTATES_BASE_URL": f"{base}/openstates",
        "EDTRACKER_OPENSTATES_API_KEY": DEMO_KEY,
        "EDTRACKER_NY_OPENLEG_BASE_URL": f"{base}/nyopenleg",
        "EDTRACKER_NY_OPENLEG_API_KEY": DEMO_KEY,
    }
