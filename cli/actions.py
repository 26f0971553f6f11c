"""`edtracker actions classify`: check and tune the action classification rules from the shell."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from tracker.vocab import BILL_TYPES

app = typer.Typer(help="Action classification rules.", no_args_is_help=True)

# One entry per jurisdiction whose rules exist: a function of (texts, bill_type, origin) -> dicts.
_CLASSIFIERS = {"us": "tracker.actions.us:classify_sequence"}


def _load(jurisdiction: str):
    target = _CLASSIFIERS.get(jurisdiction.lower())
    if target is None:
        raise typer.BadParameter(f"no action rules for {jurisdiction!r}; known: {', '.join(sorted(_CLASSIFIERS))}")
    module, func = target.split(":")
    return getattr(__import__(module, fromlist=[func]), func)


@app.command("classify")
def classify_cmd(jurisdiction: str = typer.Option("us", "--jurisdiction", "-j", help="whose rules to apply"),
                 bill_type: str = typer.Option("bill", help="bill, resolution, joint resolution, ..."),
                 origin: Optional[str] = typer.Option(None, help="origin chamber: lower or upper "
                                                      "(default: the chamber of the first action)")) -> None:
    """Read action texts, one per line, from stdin (the actions of one bill, oldest first).

    Prints one JSON object per line: classification, actor, vote details and the bill's stage
    after that action.
    """
    if bill_type not in BILL_TYPES:
        raise typer.BadParameter(f"unknown bill type {bill_type!r}")
    if origin not in (None, "lower", "upper"):
        raise typer.BadParameter("origin must be lower or upper")
    sequence = _load(jurisdiction)
    texts = (line.strip() for line in sys.stdin)
    for row in sequence((t for t in texts if t), bill_type=bill_type, origin_chamber=origin):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
