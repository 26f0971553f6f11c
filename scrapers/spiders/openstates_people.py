"""Open States API v3 current legislators of each jurisdiction (with other names and ids).

`scrapy crawl openstates_people [-a jurisdictions=ca,ny,ky] [-a budget=20] [-a base_url=...]`
Budget, resume and stats: see openstates_base.py. The openstates/people YAML repository
(`edtracker import`) gives the same people with dated roles, without a key.
"""
from __future__ import annotations

from scrapers.spiders.openstates_base import OpenStatesSpider, Task
from scrapers.spiders.openstates_bills import ocd_jurisdiction


class OpenStatesPeopleSpider(OpenStatesSpider):
    name = "openstates_people"
    per_page = 50
    includes = ("other_names", "other_identifiers")

    def tasks(self) -> list[Task]:
        return [Task(f"people:{j}", "people", [("jurisdiction", ocd_jurisdiction(j))], "people")
                for j in self.jurisdictions]
