"""Idempotent ingest of contract records: insert / update / noop per record."""
from tracker.ingest.service import IngestReport, IngestResult, Ingestor, ingest

__all__ = ["IngestReport", "IngestResult", "Ingestor", "ingest"]
