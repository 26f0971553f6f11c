"""Scrapy settings: polite in production, with the values tests override on the command line."""
from tracker.settings import get_settings

_app = get_settings()

BOT_NAME = "edtracker"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

USER_AGENT = _app.effective_user_agent
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 60
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Seconds: exponential backoff base, and the longest Retry-After we are willing to wait.
EDTRACKER_BACKOFF_BASE = 2.0
EDTRACKER_RETRY_AFTER_MAX = 900.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    # after the retry middleware (a retry passes here again) and before the download
    "scrapers.middlewares.ApiBudgetMiddleware": 560,
}
ITEM_PIPELINES = {"scrapers.pipelines.IngestPipeline": 300}
EXTENSIONS = {"scrapers.extensions.CrawlStateExtension": 500,
              "scrapers.extensions.ResponseCountExtension": 505,
              "scrapers.extensions.StatsFileExtension": 510}

# Development only: set EDTRACKER_HTTP_CACHE=true to replay responses from DATA_DIR/httpcache.
HTTPCACHE_ENABLED = _app.http_cache
HTTPCACHE_DIR = str((_app.data_dir / "httpcache").resolve())
HTTPCACHE_EXPIRATION_SECS = 3600

# TLS certificates are always verified against the system store; never turn this off.
DOWNLOADER_CLIENT_TLS_METHOD = "TLS"

# A local mirror (`edtracker demo`) needs no politeness: EDTRACKER_POLITE_CRAWLING=false.
if not _app.polite_crawling:
    ROBOTSTXT_OBEY = False
    DOWNLOAD_DELAY = 0
    AUTOTHROTTLE_ENABLED = False
    EDTRACKER_BACKOFF_BASE = 0.05

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = _app.log_level
