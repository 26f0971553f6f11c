"""The HTTP service (FastAPI): thin routes over the tracker core."""
