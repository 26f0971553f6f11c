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
from typing import Callable, Generator, Iterator

from scrapers.formats.base import Item, Tree
from scrapers.formats.guard import convert, record_name
from scrapers.formats.legiscan_text import text_record
from scrapers.formats.legiscan_records import (Context, SessionInfo, bill_and_session, bill_info,
                                               legiscan_int, person_record, roll_call_record,
                                               session_info, session_record)
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
        """Two passes over the files, holding no payload between them (memory does not grow
        with the dataset): the first sorts files by kind and finds each folder's sessions, the
        second reads each file again and yields its record."""
        by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
        sessions_by_root: dict[str, dict[str, SessionInfo]] = {}
        failed: set[str] = set()  # bills whose error the first pass reported
        for name in sorted(names):
            payload = yield from self._load(tree, name)
            if payload is None:
                continue
            kind, payload = payload
            by_kind[kind].append(name)
            if kind == "bill" and not (yield from self._bill_session(tree, name, payload, sessions_by_root)):
                failed.add(name)
        by_kind["bill"] = [n for n in by_kind["bill"] if n not in failed]
        yield from self._records(tree, by_kind, sessions_by_root)

    def _load(self, tree: Tree, name: str) -> Generator[Item, None, tuple[str, dict] | None]:
        """(kind, payload) of one file, or None after yielding the error naming it."""
        source = tree.source(name)
        try:
            return self.load(tree.read(name))
        except OSError as exc:
            yield RecordError(source, PurePosixPath(name).name, None, f"cannot read: {exc}")
        except (ValueError, KeyError, TypeError) as exc:
            yield RecordError(source, PurePosixPath(name).name, None, f"not a LegiScan payload: {exc}")
        return None

    def _convert_bill(self, tree: Tree, name: str, payload: dict):
        source = tree.source(name)
        return convert(bill_and_session, payload, source, self.name, source=source,
                       record=record_name(payload, "bill_number", "bill_id",
                                          default=PurePosixPath(name).name), prefix="bill")

    def _bill_session(self, tree: Tree, name: str, payload: dict,
                      sessions_by_root: dict[str, dict[str, SessionInfo]]) -> Generator[Item, None, bool]:
        """Note the session of a valid bill under its dataset folder. A bill whose session block
        says exactly what a valid bill of the folder said adds nothing: it is converted (and a
        failure reported) only in the second pass, so most bills are converted once."""
        root = sessions_by_root.setdefault(dataset_root(name), {})
        try:
            info = session_info(payload)
        except Exception:  # noqa: BLE001 - the full conversion below names the problem
            info = None
        if info is not None and root.get(info.identifier) == info:
            return True
        got = self._convert_bill(tree, name, payload)
        if isinstance(got, RecordError):
            yield got
            return False
        _rec, info = got
        root[info.identifier] = info
        return True

    def _again(self, tree: Tree, names: list[str]) -> Iterator[Item | tuple[str, dict]]:
        """(name, payload) of each file read a second time, or the error naming it."""
        for name in names:
            loaded = yield from self._load(tree, name)
            if loaded is not None:
                yield name, loaded[1]

    def _records(self, tree: Tree, by_kind: dict[str, list[str]],
                 sessions_by_root: dict[str, dict[str, SessionInfo]]) -> Iterator[Item]:
        """Each file is one record or one error naming it: a wrong-typed file never stops the
        others. Sessions come from the bills that are valid, so a rejected bill leaves no
        session behind; they go first, then people, so bills and votes find both."""
        ctx = Context()
        seen = set()
        for root in sorted(sessions_by_root):
            for info in sessions_by_root[root].values():
                if info.jurisdiction and (info.jurisdiction, info.identifier) not in seen:
                    seen.add((info.jurisdiction, info.identifier))
                    yield convert(session_record, info, tree.source(root or "."), self.name,
                                  source=tree.source(root or "."), record=f"session {info.identifier}")
        yield from self._people(tree, by_kind["person"], sessions_by_root, ctx)
        for item in self._again(tree, by_kind["bill"]):
            if isinstance(item, RecordError):
                yield item
                continue
            name, payload = item
            got = self._convert_bill(tree, name, payload)
            if isinstance(got, RecordError):
                yield got
                continue
            rec, _info = got
            if payload.get("bill_id") not in (None, ""):
                ctx.bills[int(payload["bill_id"])] = bill_info(rec)
            yield rec
        for item in self._again(tree, by_kind["roll_call"]):
            if isinstance(item, RecordError):
                yield item
                continue
            name, payload = item
            source = tree.source(name)
            yield convert(roll_call_record, payload, ctx, source, self.name, jurisdiction=None,
                          source=source, prefix="roll_call",
                          record=f"legiscan roll call {record_name(payload, 'roll_call_id', default=PurePosixPath(name).stem)}")
        # Bill texts (`{"text": ...}`): the document itself, for the bill of this dataset or, by
        # its LegiScan bill id, one stored earlier.
        for item in self._again(tree, by_kind["text"]):
            if isinstance(item, RecordError):
                yield item
                continue
            name, payload = item
            source = tree.source(name)
            yield convert(text_record, payload, ctx, source, self.name, source=source, prefix="text",
                          record=f"legiscan text {record_name(payload, 'doc_id', default=PurePosixPath(name).stem)}")

    def _people(self, tree, people: list[str], sessions_by_root, ctx) -> Iterator[Item]:
        """One legislator per people_id, with a role over every session it was seen in (the
        payload of its last file is read again when its record is made)."""
        merged: dict[str, tuple[str, list[SessionInfo]]] = {}
        for item in self._again(tree, people):
            if isinstance(item, RecordError):
                yield item
                continue
            name, payload = item
            pid = record_name(payload, "people_id")
            if pid is None or not pid.isdigit():
                yield RecordError(tree.source(name), f"legiscan person {pid or PurePosixPath(name).stem}",
                                  "person.people_id", f"not a LegiScan people id: {payload.get('people_id')!r}")
                continue
            root_sessions = list(sessions_by_root.get(dataset_root(name), {}).values())
            prev = merged.get(pid)
            merged[pid] = (name, (prev[1] if prev else []) + root_sessions)
        for pid, (name, sessions) in sorted(merged.items()):
            loaded = yield from self._load(tree, name)
            if loaded is None:
                continue
            payload = loaded[1]
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
