"""The one settings object, read from the environment (prefix ``EDTRACKER_``) and ``.env``."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the embedded SQLite database and crawl state live unless told otherwise."""
    return Path.cwd() / "data"


class Settings(BaseSettings):
    """Every setting of edtracker; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_prefix="EDTRACKER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir,
                           description="Folder for the SQLite database, crawl state and HTTP cache.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means SQLite at DATA_DIR/edtracker.db. "
        "PostgreSQL: postgresql+psycopg://user:pass@host:5432/db")
    log_level: str = Field(default="INFO", description="Logging level for the CLI, spiders and API.")
    # Imports (issue 15): bounds on what one file or archive may make edtracker read.
    import_max_file_mb: int = Field(
        default=256, ge=1, description="Largest file, or archive member once uncompressed, an import reads (MB).")
    import_max_archive_mb: int = Field(
        default=8192, ge=1, description="Most an archive may expand to, nested archives included (MB).")
    import_max_ratio: int = Field(
        default=200, ge=2, description="Largest compression ratio of an archive member over 1 MB (zip bombs reach 1000).")
    import_max_archive_depth: int = Field(
        default=3, ge=1, description="Deepest nesting of archives in archives (GovInfo and LegiScan ship 2).")
    ingest_batch_records: int = Field(
        default=200, ge=1, description="Most records an import stores in one transaction (each in its own savepoint; 1 = one transaction per record).")
    ingest_batch_seconds: float = Field(
        default=0.25, gt=0, description="An import commits once a transaction has run this long (s), so other writers never wait longer.")
    contact_email: str = Field(default="edtracker-operator@example.org",
                               description="Contact put in the crawler User-Agent so sources can reach you.")
    user_agent: str = Field(default="edtracker/0.1 (+https://github.com/edtracker/edtracker; {contact})",
                            description="Crawler User-Agent; {contact} is replaced by CONTACT_EMAIL.")
    api_host: str = Field(default="127.0.0.1", description="Address `edtracker serve` binds to.")
    api_port: int = Field(default=8000, description="Port `edtracker serve` listens on.")
    api_switch_interval_ms: float = Field(
        default=0.5, gt=0, le=100, description="Python's thread switch interval in each `edtracker serve` worker "
        "(ms; Python's default is 5): a page rendering in a thread then holds up the requests answered "
        "from memory for at most this long at a time.")
    http_cache: bool = Field(default=False,
                             description="Development only: replay HTTP responses from DATA_DIR/httpcache.")
    schedule: dict[str, str] = Field(
        default_factory=dict,
        description='JSON: per job id, a trigger ("cron: 0 * * * mon-fri", "interval: 15m") or "off".')
    default_jobs: bool = Field(default=True,
                               description="Whether the built-in job table is scheduled (off: only EXTRA_JOBS).")
    extra_jobs: list[dict] = Field(default_factory=list,
                                   description="JSON list of extra jobs (id, kind, target, trigger, args).")
    scheduler_timezone: str = Field(default="America/New_York",
                                    description="Time zone of the cron schedules.")
    page_size_max: int = Field(default=200, description="Largest page size the API hands out.")
    polite_crawling: bool = Field(
        default=True, description="Obey robots.txt, wait between requests, AutoThrottle; false only for a "
        "local mirror (the demo sets it).")
    as_of: dt.date | None = Field(
        default=None, description="Judge what is current (members serving, the Congress sitting, sessions "
        "ended) as of this day (YYYY-MM-DD) instead of today: `edtracker demo` sets it to its sample's day; "
        "unset in production. Timestamps keep the real clock.")
    environment: str = Field(default="development",
                             description="development or production; production refuses placeholder secrets.")
    secret_key: str = Field(default="change-me",
                            description="Signs staff session cookies; set a long random value in production.")
    session_max_age: int = Field(default=8 * 3600,
                                 description="Seconds a staff login lasts (logout, a password change or "
                                 "deactivation ends it sooner).")
    source_url: str = Field(
        default="https://github.com/edtracker/edtracker",
        description="Where users of this service get its source code (AGPL-3.0, section 13), linked "
        "from every page footer and embed; point it at your fork when you run changed code.")
    # Federal sources (issue 3): base URLs may point at a local mirror with the same layout.
    govinfo_base_url: str = Field(default="https://www.govinfo.gov",
                                  description="GovInfo bulk data and sitemaps (BILLSTATUS bills).")
    house_clerk_base_url: str = Field(default="https://clerk.house.gov",
                                      description="House Clerk roll calls (evs/{year}/rollNNN.xml).")
    senate_base_url: str = Field(default="https://www.senate.gov",
                                 description="Senate LIS roll calls (legislative/LIS/...).")
    congress_legislators_base_url: str = Field(
        default="https://unitedstates.github.io/congress-legislators",
        description="unitedstates/congress-legislators YAML files.")
    congress_api_base_url: str = Field(default="https://api.congress.gov/v3",
                                       description="Congress.gov API v3.")
    congress_api_key: str | None = Field(default=None,
                                         description="api.data.gov key for Congress.gov; empty disables congress_api.")
    congress_api_hourly_budget: int = Field(
        default=4500, description="Most Congress.gov requests one crawl may make per hour (limit 5,000).")
    congress_api_hourly_limit: int = Field(
        default=4800, ge=0, description="Congress.gov requests all crawls together may make in a clock hour "
        "(api.data.gov allows 5,000 an hour; the ledger in the database counts every process).")

    # State data (issue 4): Open States, voter matching, merging sources.
    openstates_api_key: str | None = Field(
        default=None, description="Open States API v3 key; empty disables the openstates_* spiders.")
    openstates_base_url: str = Field(default="https://v3.openstates.org",
                                     description="Open States API v3 (or a local mirror).")
    openstates_request_budget: int = Field(
        default=200, description="Most Open States requests one crawl may make (the free key allows 250/day).")
    openstates_daily_limit: int = Field(
        default=480, ge=0, description="Open States requests all crawls together may make in a UTC day "
        "(the free key allows 500 a day, 10 a minute; the ledger in the database counts every process).")
    openstates_jurisdictions: list[str] = Field(
        default_factory=lambda: ["ca", "ny", "ky"],
        description="Jurisdictions the openstates_* spiders crawl (JSON list of postal codes).")
    openstates_sessions: dict[str, str] = Field(
        default_factory=dict,
        description="Session per jurisdiction (JSON object); a missing one means the latest session.")
    openstates_scope: str = Field(
        default="education", description="'education' (filters below + followed bills) or 'all'.")
    openstates_filters: dict[str, dict[str, str]] = Field(
        default_factory=lambda: {"*": {"subject": "Education"}},
        description="Open States search filters per jurisdiction for the education scope "
        "(JSON: {\"ny\": {\"q\": \"school\"}}; \"*\" applies to the others).")
    match_threshold: float = Field(
        default=0.8, description="Least confidence a voter or sponsor name match needs; below, it stays unmatched.")
    source_precedence: dict[str, list[str]] = Field(
        # Official sources first: GovInfo's BILLSTATUS over the Congress.gov API, a state's own
        # service over the aggregators.
        default_factory=lambda: {"*": ["govinfo-billstatus", "congress-gov-api", "ny-openleg",
                                       "ca-pubinfo", "openstates", "legiscan"]},
        description="Which source wins for which bill field when several carry a bill: field -> "
        "source format prefixes, best first (JSON; \"*\" = every other field).")
    people_source_precedence: list[str] = Field(
        # The curated crosswalk first for members of Congress, a state's own service before the
        # aggregators for state legislators.
        default_factory=lambda: ["congress-legislators", "congress-gov-api", "ny-openleg",
                                 "openstates", "legiscan"],
        description="Which source wins when several describe one legislator: source format "
        "prefixes, best first (JSON list); a field a better source leaves empty comes from the next.")

    legiscan_api_key: str | None = Field(
        default=None, description="LegiScan Pull API key; empty disables the legiscan_bills spider.")
    legiscan_base_url: str = Field(default="https://api.legiscan.com",
                                   description="LegiScan Pull API (or a local mirror answering ?op=...).")
    legiscan_query_budget: int = Field(
        default=500, description="Most LegiScan queries one crawl may make (the free key allows 30,000/month).")
    legiscan_monthly_limit: int = Field(
        default=29000, ge=0, description="LegiScan queries all crawls together may make in a calendar month "
        "(the free key allows 30,000; the ledger in the database counts every process).")
    legiscan_states: list[str] = Field(
        default_factory=lambda: ["ca", "ny", "ky"],
        description="States the legiscan_bills spider crawls (JSON list of postal codes).")
    ny_openleg_api_key: str | None = Field(
        default=None, description="NY Senate OpenLegislation API key; empty disables the ny_bills spider.")
    ny_openleg_base_url: str = Field(default="https://legislation.nysenate.gov",
                                     description="NY Senate OpenLegislation API v3 (or a local mirror).")
    ca_pubinfo_base_url: str = Field(
        default="https://downloads.leginfo.legislature.ca.gov",
        description="California Legislature pubinfo downloads (or a local mirror of its zips).")

    # Alerts (issue 7): mail, webhooks, delivery retries. Signed links use SECRET_KEY.
    public_url: str = Field(default="http://127.0.0.1:8000",
                            description="Public address of the site, for links in alerts and feeds.")
    smtp_url: str = Field(default="smtp://127.0.0.1:25",
                          description="SMTP server: smtp://, smtp+starttls:// or smtps://user:password@host:port.")
    mail_from: str = Field(default="edtracker alerts <alerts@example.org>",
                           description="From address of alert emails.")
    alerts_retry_base_seconds: float = Field(
        default=60.0, description="First retry delay of a delivery that could not go out; doubles per attempt.")
    alerts_retry_max_seconds: float = Field(
        default=1800.0, description="Longest wait between two attempts (an unreachable server is tried this often).")
    alerts_retry_days: float = Field(
        default=5.0, description="Days a message waits for an unreachable or busy (4xx) server before it is failed.")
    alerts_smtp_connections: int = Field(
        default=2, ge=1, le=20,
        description="SMTP connections one dispatcher sends over at once (mail servers accept several).")
    alerts_smtp_timeout_seconds: float = Field(
        default=30.0, description="Longest wait for the SMTP server's answer; a timeout is retried, not a bounce.")
    alerts_webhook_max_failures: int = Field(
        default=5, description="Failed webhook deliveries in a row before the subscription is disabled.")
    alerts_webhook_allow_loopback: bool = Field(
        default=False, description="Allow webhooks to loopback addresses (tests, development); private stay refused.")
    alerts_claim_timeout_seconds: float = Field(
        default=600.0, description="A delivery claimed longer ago than this by a lost dispatcher is retried.")
    alerts_settle_seconds: float = Field(
        default=60.0, description="Digests take events older than this; immediate alerts re-check this window.")
    alerts_signup_per_hour: int = Field(default=10, description="Sign-ups one client address may make per hour.")
    alerts_webhook_timeout_seconds: float = Field(
        default=10.0, description="Longest a webhook delivery may take in all (connect, send, answer).")
    alerts_webhook_max_response_bytes: int = Field(
        default=65536, description="Most bytes of a webhook receiver's answer that are read.")

    # Staff accounts (issue 15): throttling, sessions and password reset links.
    login_max_attempts_per_account: int = Field(
        default=5, description="Failed staff logins per account in one window; further attempts answer 429.")
    login_max_attempts_per_client: int = Field(
        default=30, description="Failed staff logins per client address in one window; further ones answer 429.")
    login_window_seconds: int = Field(
        default=900, description="Length of the login throttling window (an account is locked until it ends).")
    password_reset_max_age: int = Field(default=3600, description="Seconds a password reset link stays valid.")
    password_reset_per_hour: int = Field(
        default=3, description="Reset emails one account may receive per hour (more requests send nothing).")
    staff_invitation_max_age: int = Field(
        default=7 * 24 * 3600, description="Seconds an emailed invitation to a coalition's staff stays valid.")
    setup_token: str | None = Field(
        default=None, description="Opens /setup, where the first coalition and its first admin are made in the "
        "browser, while the instance has no staff account; the page asks for this value. Use a long random "
        "value; it is useless once setup is done (remove it then).")

    # Source health (issue 14): failing or stale crawls flag their source and tell the admins.
    admin_emails: list[str] = Field(
        default_factory=list,
        description="JSON list of addresses told (through the alerts outbox) when a source is flagged.")
    source_flag_after: int = Field(
        default=3, description="Failed or stale runs in a row after which a job is flagged and admins told.")
    source_stale_days: int = Field(
        default=7, description="Sitting days without new data after which a bill source's runs are stale.")

    # Public pages (issue 16).
    remote_photos: bool = Field(
        default=False, description="Show legislators' photos from the source's server on their pages "
        "(visitors' browsers then contact that server); off, the page links to the photo instead.")
    # Find my legislators (issue 16): the U.S. Census Geocoder turns an address into districts.
    geocoder_base_url: str = Field(
        default="https://geocoding.geo.census.gov/geocoder",
        description="Base URL of the Census Geocoder (no key); /geographies/onelineaddress is asked under it.")
    geocoder_timeout_seconds: float = Field(
        default=8.0, gt=0, le=60, description="Longest wait for the geocoder's whole answer before /find says it is down.")
    find_per_hour: int = Field(
        default=60, ge=0, description="Address look-ups one client address may make per hour (0: no bound).")

    # Serving at scale (issue 19): the page cache of each API worker, the PostgreSQL pool, crawls at once.
    page_cache_entries: int = Field(
        default=2000, ge=0, description="Rendered anonymous public pages (bill, legislator, scorecard pages and "
        "embeds) each API worker keeps in memory (0: off).")
    page_cache_check_ms: int = Field(
        default=1000, ge=0, le=60_000, description="How often (ms) a worker reads the database's data version; "
        "a committed change shows on every page within two of these intervals (a kept page may be "
        "served while its new rendering runs in the background), within five for a page that its last "
        "re-renderings during an import left unchanged.")
    page_cache_ttl_seconds: int = Field(
        default=300, ge=1, description="Longest a cached page is served even without a data change (pages "
        "that depend on today's date).")
    db_pool_size: int = Field(
        default=5, ge=1, description="PostgreSQL connections each process keeps open (API worker, scheduler, crawl).")
    db_max_overflow: int = Field(
        default=10, ge=0, description="Extra PostgreSQL connections a process may open at peaks, closed after use.")
    db_pool_recycle: int = Field(
        default=1800, ge=-1, description="Seconds after which a pooled connection is replaced (-1: never); "
        "keep it under any idle timeout of a proxy such as PgBouncer.")
    db_pool_timeout: int = Field(
        default=30, ge=1, description="Seconds a request waits for a free pooled connection before failing.")
    scoring_workers: int = Field(
        default=2, ge=1, le=32, description="Scorecards the nightly full recompute rebuilds at once on PostgreSQL, "
        "one connection each (at most the pool's size; SQLite: always one). The work is the database "
        "server's: set it to about the server's cores that the other work leaves free.")
    scheduler_parallel_jobs: int = Field(
        default=4, ge=1, description="Jobs the scheduler runs at once (each crawl is its own process; two runs "
        "of one job never overlap).")
    crawl_niceness: int = Field(
        default=10, ge=0, le=19, description="How much lower than the scheduler's the CPU priority of its crawl "
        "processes is (Unix niceness added; 0: the same). A crawl parses and stores while the same machine "
        "serves pages: at a lower priority it yields the cores to them.")

    def check_secrets(self) -> None:
        """Refuse to serve staff pages in production with the placeholder or a short secret key."""
        if self.environment == "production" and (self.secret_key in ("", "change-me") or len(self.secret_key) < 32):
            raise ValueError("EDTRACKER_SECRET_KEY must be set to a random value of 32+ characters in production")

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the site is served over HTTPS."""
        return self.public_url.lower().startswith("https://")

    @field_validator("database_url", "setup_token")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v or None

    @property
    def effective_database_url(self) -> str:
        """The database URL actually used: the setting, or SQLite in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'edtracker.db').resolve()}"

    @property
    def effective_user_agent(self) -> str:
        return self.user_agent.replace("{contact}", self.contact_email)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache)."""
    return Settings()
