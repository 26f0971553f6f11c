"""What the three Open States API v3 spiders share: key, request budget, paging and resuming.

The default key allows about 10 requests a minute and 250 a day, so a crawl is a list of
*tasks* (one listing per jurisdiction and session, with filters), fetched one page at a time
within a request BUDGET (setting EDTRACKER_OPENSTATES_REQUEST_BUDGET, or `-a budget=N`).
When the budget runs out (or the API keeps answering 429 past the retries), the crawl stops
cleanly and remembers the next page of the task it was in; the next crawl resumes there. A
crash (an exception in a callback) closes the crawl with reason "error", and nothing is saved.
Stats `edtracker/openstates/*` say how many requests were used and how many pages are left.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

import scrapy
from scrapy import signals

from scrapers.formats.openstates_api import parse_page, session_records
from scrapers.spiders.base import EdSpider
from tracker.settings import get_settings


@dataclass
class Task:
    """One paged listing: `/bills?jurisdiction=ca&session=...&subject=Education`."""

    id: str
    path: str
    params: list[tuple[str, str]]
    kind: str  # bills | people | events
    session: str | None = None
    incremental: bool = False
    max_page: int | None = None
    extra: dict = field(default_factory=dict)


class OpenStatesSpider(EdSpider):
    """Base: subclasses build `tasks()`; this class pages through them within the budget."""

    source_format = "openstates-api"
    metered_api = "openstates"
    per_page = 20
    includes: tuple[str, ...] = ()
    custom_settings = {
        # About 10 requests a minute on the default key; one at a time keeps the budget exact.
        "DOWNLOAD_DELAY": 6.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS": 1,
    }

    def __init__(self, *args, budget: str | None = None, jurisdictions: str | None = None, **kwargs):
        app = get_settings()
        kwargs.setdefault("base_url", None)
        super().__init__(*args, **kwargs)
        self.base_url = (kwargs.get("base_url") or app.openstates_base_url).rstrip("/")
        self.key = app.openstates_api_key
        self.budget = int(budget) if budget else app.openstates_request_budget
        self.jurisdictions = ([j.strip().lower() for j in jurisdictions.split(",") if j.strip()]
                              if jurisdictions else [j.lower() for j in app.openstates_jurisdictions])
        self.app = app
        self.used = 0
        self.queue: list[Task] = []
        self.started_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_error, signal=signals.spider_error)
        return spider

    def _on_error(self, failure, response, spider):
        """A crash: keep nothing from this crawl (the next one redoes it) and stop."""
        self.logger.error("crawl crashed on %s: nothing saved", getattr(response, "url", "?"))
        self.state_updates.clear()
        self.crawler.engine.close_spider(self, "error")

    # --- planning ------------------------------------------------------------------------------
    def tasks(self) -> list[Task]:
        raise NotImplementedError

    async def start(self):
        if not self.key:
            self.logger.warning("%s is disabled: set EDTRACKER_OPENSTATES_API_KEY to crawl Open States",
                                self.name)
            self.crawler.stats.set_value("edtracker/openstates/disabled", True)
            return
        self.budget = self.ledger_plan(self.budget)
        self.crawler.stats.set_value("edtracker/openstates/budget", self.budget)
        for req in self.plan():
            yield req

    needs_sessions = False  # bills and events name a session; people do not

    def plan(self):
        """First requests: session discovery when needed, else the first page of the first task."""
        self.sessions = {j: s for j, s in self.app.openstates_sessions.items() if j in self.jurisdictions}
        self.to_discover = [j for j in self.jurisdictions if self.needs_sessions and j not in self.sessions]
        nxt = self.next_discovery() if self.to_discover else self._begin()
        if nxt is not None:
            yield nxt

    def _begin(self) -> scrapy.Request | None:
        self.queue = self.tasks()
        self._report_left()
        return self.next_request()

    def next_discovery(self) -> scrapy.Request | None:
        juris = self.to_discover[0]
        kind = "territory" if juris == "pr" else ("district" if juris == "dc" else "state")
        ocd = f"ocd-jurisdiction/country:us/{kind}:{juris}/government"
        return self.request(f"{self.base_url}/jurisdictions/{ocd}?include=legislative_sessions",
                            self.parse_jurisdiction, juris=juris)

    def parse_jurisdiction(self, response, juris: str):
        """The latest session (by start date, then identifier) of a jurisdiction."""
        try:
            sessions = response.json().get("legislative_sessions") or []
        except ValueError:
            sessions = []
        if sessions:
            latest = max(sessions, key=lambda s: (str(s.get("start_date") or ""), str(s.get("identifier"))))
            self.sessions[juris] = str(latest["identifier"])
            # Their dates feed the session calendars (when a session ended: bills die).
            yield from session_records(juris, sessions, response.url)
        else:
            self.logger.warning("%s: no legislative sessions in %s", juris, response.url)
            self.crawler.stats.inc_value("edtracker/malformed")
        self.to_discover.pop(0)
        nxt = self.next_discovery() if self.to_discover else self._begin()
        if nxt is not None:
            yield nxt

    def _state_page(self, task: Task) -> int:
        value = self.state.get(f"{task.id}:page", "1")
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def request(self, url: str, callback, **cb_kwargs) -> scrapy.Request | None:
        """A request counted against the budget, or None (and the stop recorded) when spent."""
        retries = self.crawler.stats.get_value("retry/count", 0) or 0
        if self.used + retries >= self.budget:
            self.crawler.stats.set_value("edtracker/openstates/budget_exhausted", True)
            self.logger.info("request budget of %d spent: stopping, the next crawl resumes here", self.budget)
            return None
        self.used += 1
        self.crawler.stats.set_value("edtracker/openstates/requests_used", self.used + retries)
        return scrapy.Request(url, callback=callback, errback=self.on_failure, cb_kwargs=cb_kwargs,
                              headers={"X-API-KEY": self.key, "Accept": "application/json"},
                              dont_filter=True)

    def page_url(self, task: Task, page: int) -> str:
        params = list(task.params)
        if task.incremental:
            since = self.state.get(f"{task.id}:since")
            if since:
                params.append(("updated_since", since))
        params += [("include", inc) for inc in self.includes]
        params += [("page", str(page)), ("per_page", str(self.per_page))]
        return f"{self.base_url}/{task.path.lstrip('/')}?{urlencode(params)}"

    def next_request(self) -> scrapy.Request | None:
        while self.queue:
            task = self.queue[0]
            page = self._state_page(task)
            key = f"{task.id}:pass_started"
            if not (self.state_updates.get(key) or self.state.get(key)):
                self.state_updates[key] = self.state[key] = self.started_at  # when this pass began
            return self.request(self.page_url(task, page), self.parse_page, task=task, page=page)
        return None

    # --- responses -----------------------------------------------------------------------------
    def parse_page(self, response, task: Task, page: int):
        items, pagination = parse_page(response.body, response.url, task.kind, task.session)
        yield from items
        bad = sum(1 for i in items if type(i).__name__ == "RecordError")
        if bad:
            self.crawler.stats.inc_value("edtracker/malformed", bad)
        max_page = int(pagination.get("max_page") or page)
        task.max_page = max_page
        if page < max_page:
            self._remember(task, page=page + 1)
        else:
            self._finish(task)
        self._report_left()
        nxt = self.next_request()
        if nxt is not None:
            yield nxt

    def on_failure(self, failure):
        """HTTP errors after the retries (429 past Retry-After, 5xx): stop where we are."""
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        self.crawler.stats.inc_value(f"edtracker/openstates/http_{status or 'error'}")
        self.logger.warning("Open States answered %s for %s: stopping, the next crawl resumes here",
                            status or failure.value, failure.request.url)
        self._report_left()

    def _remember(self, task: Task, page: int) -> None:
        self.state_updates[f"{task.id}:page"] = str(page)
        self.state[f"{task.id}:page"] = str(page)

    def _finish(self, task: Task) -> None:
        """A listing was read to its end: next time, start at page 1 with what changed since."""
        started = self.state.get(f"{task.id}:pass_started") or self.started_at
        self._remember(task, page=1)
        if task.incremental:
            self.state_updates[f"{task.id}:since"] = started
        self.state_updates[f"{task.id}:pass_started"] = self.state[f"{task.id}:pass_started"] = ""
        self.queue.pop(0)
        self.crawler.stats.inc_value("edtracker/openstates/tasks_done")

    def _report_left(self) -> None:
        """Pages known to be left (current task) and tasks not started yet, in the stats."""
        stats = self.crawler.stats
        stats.set_value("edtracker/openstates/tasks_left", len(self.queue))
        if self.queue:
            task = self.queue[0]
            page = self._state_page(task)
            left = (task.max_page - page + 1) if task.max_page else None
            stats.set_value("edtracker/openstates/pages_left_in_task", left if left is not None else "unknown")
            stats.set_value("edtracker/openstates/resume_at", f"{task.id} page {page}")
        else:
            stats.set_value("edtracker/openstates/pages_left_in_task", 0)
            stats.set_value("edtracker/openstates/resume_at", "")
