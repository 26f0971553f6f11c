"""edtracker's domain core: settings, store, ingest contract and services.

This package must not import Scrapy or FastAPI; `scrapers` and `api` depend on it.
"""
