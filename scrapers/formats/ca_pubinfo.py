"""California Legislature pubinfo dumps (`pubinfo_YYYY.zip`, `pubinfo_daily_<Day>.zip`): a bundle format.

One folder (or zip) of `<TABLE>.dat` files and their `.lob` files is one dump. Read together:
LOCATION_CODE_TBL (committees), LEGISLATOR_TBL (legislators, with `ca-name` ids), BILL_TBL with
BILL_HISTORY_TBL (actions classified by `tracker.actions.ca`), BILL_VERSION_TBL and its CAML lobs
(versions, and each version's text as a `BillTextIn`), BILL_VERSION_AUTHORS_TBL (authors of the
latest version), BILL_ANALYSIS_TBL and VETO_MESSAGE_TBL (documents), BILL_SUMMARY_VOTE_TBL with
BILL_DETAIL_VOTE_TBL and BILL_MOTION_TBL (roll calls with every member's vote) and
COMMITTEE_HEARING_TBL (hearings). Column layouts: `ca_pubinfo_schema`. A bad row is an error
naming its file, line and column; the rest is read. See docs/sources/ca-pubinfo.md.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterator

from scrapers.formats.base import Item, Tree
from scrapers.formats.ca_pubinfo_rows import Row, read_table
from scrapers.formats.ca_pubinfo_schema import READ, TABLES
from tracker.contract import RecordError

FMT = "ca-pubinfo"
_DAT = re.compile(r"(?:^|/)([A-Z_]+_TBL)\.dat$", re.I)
_LOB = re.compile(r"(?:^|/)([A-Z_]+_TBL)_\d+\.lob$", re.I)
# the stamp of a row's last change, per table (the spider reads only bills changed since a date)
STAMPS = {"BILL_TBL": "TRANS_UPDATE", "BILL_HISTORY_TBL": "TRANS_UPDATE_DT", "BILL_VERSION_TBL": "TRANS_UPDATE",
          "BILL_VERSION_AUTHORS_TBL": "TRANS_UPDATE", "BILL_SUMMARY_VOTE_TBL": "TRANS_UPDATE",
          "BILL_DETAIL_VOTE_TBL": "TRANS_UPDATE", "BILL_ANALYSIS_TBL": "TRANS_UPDATE",
          "VETO_MESSAGE_TBL": "TRANS_UPDATE", "COMMITTEE_HEARING_TBL": "TRANS_UPDATE_DATE"}


@dataclass
class Dump:
    """The rows of one dump, grouped by bill, and where to read its lobs."""

    tree: Tree
    prefix: str  # the dump's folder inside the tree ("" or "2025-daily/")
    names: set[str]
    tables: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    present: set[str] = field(default_factory=set)

    def source(self, table: str) -> str:
        return self.tree.source(f"{self.prefix}{table}.dat")

    def lob(self, name: str) -> bytes | None:
        """A lob's bytes by the file name a row gives, or None when the dump lacks it."""
        path = f"{self.prefix}{PurePosixPath(name.replace(chr(92), '/')).name}"
        return self.tree.read(path) if path in self.names else None

    def by_bill(self, table: str, column: str = "BILL_ID") -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = defaultdict(list)
        for row in self.tables.get(table, ()):
            out[row.get(column) or ""].append(row)
        return out


def table_files(names: list[str]) -> dict[str, dict[str, str]]:
    """{dump folder prefix: {TABLE: file name}} for every known table file among `names`."""
    dumps: dict[str, dict[str, str]] = defaultdict(dict)
    for name in names:
        m = _DAT.search(name)
        if m and m.group(1).upper() in TABLES:
            dumps[name[:m.start(1)]][m.group(1).upper()] = name
    return dumps


def load_dump(tree: Tree, prefix: str, files: dict[str, str], names: set[str]) -> Dump:
    """Read the dump's tables (not its lobs: those are read one at a time when needed)."""
    dump = Dump(tree, prefix, names)
    for table in READ:
        name = files.get(table)
        if name is None:
            continue
        dump.present.add(table)
        rows: list[Row] = []
        for item in read_table(tree.read(name), TABLES[table], tree.source(name)):
            if isinstance(item, RecordError):
                dump.errors.append(item)
            else:
                rows.append(item)
        dump.tables[table] = rows
    return dump


class CAPubinfo:
    """Bundle format: claims the `.dat` and `.lob` files of pubinfo dumps found in a tree."""

    name = FMT
    priority = 20

    def claim(self, tree: Tree) -> list[str]:
        names = tree.names()
        dumps = table_files(names)
        claimed = [n for files in dumps.values() for n in files.values()]
        for n in names:
            m = _LOB.search(n)
            if m and m.group(1).upper() in TABLES and n[:m.start(1)] in dumps:
                claimed.append(n)
        return claimed

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        yield from read_dumps(tree, names)


def read_dumps(tree: Tree, names: list[str], *, since: dt.datetime | None = None,
               stats: dict | None = None) -> Iterator[Item]:
    """Every dump among `names`: its records, then its row errors. `since`: only bills (and their
    votes, texts and hearings) with a row changed after that stamp; `stats` gets the newest stamp."""
    from scrapers.formats.ca_pubinfo_records import dump_records

    present = set(names)
    for prefix, files in sorted(table_files(names).items()):
        dump = load_dump(tree, prefix, files, present)
        yield from dump.errors
        yield from dump_records(dump, since=since, stats=stats)


FORMAT = CAPubinfo()
__all__ = ["FORMAT", "FMT", "STAMPS", "Dump", "read_dumps", "table_files"]
