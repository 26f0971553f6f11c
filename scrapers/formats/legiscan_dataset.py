"""A LegiScan dataset (folder or ZIP) read as a whole: people, then bills, then roll calls.

Dataset archives are laid out `{ST}/{session}/{bill,vote,people,text}/{id}.json` (or `.xml` in
the older flavour). Roll calls and people files do not name their bill's session, so the files
of one dataset are read together: bills first (they name state and session), then the people of
each dataset folder get a role in that folder's session(s), then roll calls find their bill.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterator

from scrapers.formats.base import Item, Tree
from scrapers.formats.guard import convert, record_name
from scrapers.formats.legiscan_text import text_record
from scrapers.formats.legiscan_records import (Context, SessionInfo, bill_and_session, bill_info,
                                               legiscan_int, person_record, roll_call_record,
                                               session_record)
from tracker.contract import LegislatorIn, RecordError
from tracker.jurisdictions.registry import JURISDICTION_IDS

log = logging.getLogger(__name__)

KINDS = ("bill", "roll_call", "person", "text")
_DIRS = {"bill", "vote", "people", "text"}

# loader(bytes) -> (kind, payload dict); raises ValueError with a readable message.
Loader = Callable[[bytes], tuple[str, dict]]


def dataset_root(name: str) -> str:
    """The dataset folder a file belongs to: the part of its path before bill/, vote/, people/."""
    parts = PurePosixPath(name).parts[:-1]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in _DIRS:
            return "/".join(parts[:i])
    return "/".join(parts)


def state_from_path(name: str) -> str | None:
    """`MS/2013_Regular_Session/vote/1.json` or `ms-2013/vote/1.xml` -> `ms` (else None)."""
    for part in PurePosixPath(name).parts[:-1]:
        m = re.match(r"^([A-Za-z]{2})(?:$|[-_ ])", part)
        if m and m.group(1).lower() in JURISDICTION_IDS:
            return m.group(1).lower()
    return None


@dataclass
class LegiscanDataset:
    """Bundle format over LegiScan files of one flavour (JSON or XML)."""

    name: str
    is_mine: Callable[[Tree, str], bool]
    load: Loader
    priority: int = 20

    def claim(self, tree: Tree) -> list[str]:
        return [n for n in tree.names() if self.is_mine(tree, n)]

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        loaded: dict[str, list[tuple[str, dict]]] = {k: [] for k in KINDS}
        for name in sorted(names):
            source = tree.source(name)
            try:
                kind, payload = self.load(tree.read(name))
            except OSError as exc:
                yield RecordError(source, PurePosixPath(name).name, None, f"cannot read: {exc}")
                continue
            except (ValueError, KeyError, TypeError) as exc:
                yield RecordError(source, PurePosixPath(name).name, None, f"not a LegiScan payload: {exc}")
                continue
            loaded[kind].append((name, payload))
        yield from self._records(tree, loaded)

    def _records(self, tree: Tree, loaded: dict[str, list[tuple[str, dict]]]) -> Iterator[Item]:
        """Each file is one record or one error naming it: a wrong-typed file never stops the
        others. Sessions come from the bills that are valid, so a rejected bill leaves no
        session behind; they go first, then people, so bills and votes find both."""
        ctx = Context()
        sessions_by_root: dict[str, dict[str, SessionInfo]] = {}
        bills = []
        for name, payload in loaded["bill"]:
            source = tree.source(name)
            got = convert(bill_and_session, payload, source, self.name, source=source,
                          record=record_name(payload, "bill_number", "bill_id",
                                             default=PurePosixPath(name).name), prefix="bill")
            if isinstance(got, RecordError):
                yield got
                continue
            rec, info = got
            sessions_by_root.setdefault(dataset_root(name), {})[info.identifier] = info
            bills.append((name, payload, rec))
        seen = set()
        for root in sorted(sessions_by_root):
            for info in sessions_by_root[root].values():
                if info.jurisdiction and (info.jurisdiction, info.identifier) not in seen:
                    seen.add((info.jurisdiction, info.identifier))
                    yield convert(session_record, info, tree.source(root or "."), self.name,
                                  source=tree.source(root or "."), record=f"session {info.identifier}")
        yield from self._people(tree, loaded["person"], sessions_by_root, ctx)
        for name, payload, rec in bills:
            if payload.get("bill_id") not in (None, ""):
                ctx.bills[int(payload["bill_id"])] = bill_info(rec)
            yield rec
        for name, payload in loaded["roll_call"]:
            source = tree.source(name)
            yield convert(roll_call_record, payload, ctx, source, self.name, jurisdiction=None,
                          source=source, prefix="roll_call",
                          record=f"legiscan roll call {record_name(payload, 'roll_call_id', default=PurePosixPath(name).stem)}")
        # Bill texts (`{"text": ...}`): the document itself, for the bill of this dataset or, by
        # its LegiScan bill id, one stored earlier.
        for name, payload in loaded["text"]:
            source = tree.source(name)
            yield convert(text_record, payload, ctx, source, self.name, source=source, prefix="text",
                          record=f"legiscan text {record_name(payload, 'doc_id', default=PurePosixPath(name).stem)}")

    def _people(self, tree, people, sessions_by_root, ctx) -> Iterator[Item]:
        """One legislator per people_id, with a role over every session it was seen in."""
        merged: dict[str, tuple[str, dict, list[SessionInfo]]] = {}
        for name, payload in people:
            pid = record_name(payload, "people_id")
            if pid is None or not pid.isdigit():
                yield RecordError(tree.source(name), f"legiscan person {pid or PurePosixPath(name).stem}",
                                  "person.people_id", f"not a LegiScan people id: {payload.get('people_id')!r}")
                continue
            root_sessions = list(sessions_by_root.get(dataset_root(name), {}).values())
            prev = merged.get(pid)
            merged[pid] = (name, payload, (prev[2] if prev else []) + root_sessions)
        for pid, (name, payload, sessions) in sorted(merged.items()):
            source = tree.source(name)
            rec = convert(person_record, payload, sessions, source, self.name,
                          jurisdiction=state_from_path(name), source=source,
                          record=f"legiscan person {pid}", prefix="person")
            yield rec
            # what roll calls need of a voter: its printed name and, for a legislator, its role
            if isinstance(payload.get("name"), str):
                ctx.names[int(pid)] = payload["name"].strip()
            if isinstance(rec, LegislatorIn):
                ctx.roles[int(pid)] = legiscan_int(payload.get("role_id"))

