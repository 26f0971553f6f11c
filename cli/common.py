from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

import typer
from rich.console import Console

console = Console(stderr=True)


class _State:
    """What the global options of `edtracker` set for the whole run."""

    debug: bool = False


state = _State()


def today_option(value: str | None) -> dt.date | None:
    """The date of a `--today` option (None: the real today)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--today {value!r}: expected a date like 2026-04-16") from None


class _Brief(logging.Formatter):
    """Log lines without tracebacks: the message, and a pointer to `--debug` when one was cut."""

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info:
            return super().format(record)
        brief = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        exc = record.exc_info[1]
        return f"{super().format(brief)} ({type(exc).__name__}: {exc}; rerun with --debug for the traceback)"


def setup_logging(level: str, debug: bool = False) -> None:
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(fmt) if debug else _Brief(fmt))
    logging.basicConfig(level=level.upper(), handlers=[handler])
    for noisy in ("alembic", "scrapy.addons"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
