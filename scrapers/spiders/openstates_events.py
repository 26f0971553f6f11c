"""Open States API v3 events: committee hearings with the bills on their agenda (`HearingIn`).

Only events that list bills (`require_bills=true`) from a few weeks back onward; bills on the
agenda are keyed in the jurisdiction's current session, like openstates_bills keys them.
`scrapy crawl openstates_events [-a jurisdictions=ca] [-a days_back=30] [-a budget=20] [-a base_url=...]`
"""
from __future__ import annotations

import datetime as dt

from scrapers.spiders.openstates_base import OpenStatesSpider, Task
from scrapers.spiders.openstates_bills import ocd_jurisdiction


class OpenStatesEventsSpider(OpenStatesSpider):
    name = "openstates_events"
    needs_sessions = True
    includes = ("agenda", "participants", "links", "sources")

    def __init__(self, *args, days_back: str = "30", **kwargs):
        super().__init__(*args, **kwargs)
        self.days_back = int(days_back)

    def tasks(self) -> list[Task]:
        after = (dt.date.today() - dt.timedelta(days=self.days_back)).isoformat()
        return [Task(f"events:{j}", "events", [("jurisdiction", ocd_jurisdiction(j)), ("after", after),
                                               ("require_bills", "true")], "events", self.sessions.get(j))
                for j in self.jurisdictions]
