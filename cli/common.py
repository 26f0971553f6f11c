from __future__ import annotations

import json
import logging
import sys
from typing import Any

from rich.console import Console

console = Console(stderr=True)


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "scrapy.addons"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
