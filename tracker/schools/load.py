"""Store school-district tables: one transaction per file (a file is stored whole or not at all),
idempotent (insert / update / noop / delete counts), a newer boundary vintage replacing an older."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import SchoolDistrict, SchoolDistrictOverlap
from tracker.models.base import utcnow
from tracker.schools.rows import DivisionRow, PartRow, TableFile, fips_states, kind_of

_FIELDS = ("leaid", "ocd_id", "state", "nces_name", "ocd_name", "kind", "county", "place", "state_code")


def _vintage_rank(v: str) -> tuple[int, str]:
    m = re.match(r"^cd(\d+)$", v or "")
    return (int(m.group(1)), v) if m else (0, v or "")


class _Store:
    """The districts of the store in memory for one file: by LEAID and by OCD id."""

    def __init__(self, db: Session):
        self.db = db
        self.rows = db.exec(select(SchoolDistrict)).all()
        self.by_leaid = {r.leaid: r for r in self.rows if r.leaid}
        self.by_ocd = {r.ocd_id: r for r in self.rows if r.ocd_id}

    def set(self, row: SchoolDistrict, values: dict, counts: Counter, new: bool) -> None:
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for k, v in changed.items():
            setattr(row, k, v)
        if new:
            counts["insert"] += 1
        elif changed:
            counts["update"] += 1
        else:
            counts["noop"] += 1
        if new or changed:
            row.kind = kind_of(row.nces_name or row.ocd_name)
            row.updated_at = utcnow()
            self.db.add(row)
        if row.leaid:
            self.by_leaid[row.leaid] = row
        if row.ocd_id:
            self.by_ocd[row.ocd_id] = row

    def merge(self, keep: SchoolDistrict, gone: SchoolDistrict) -> None:
        """Two rows turned out to be one district (an OCD list and an NCES file met)."""
        for part in self.db.exec(select(SchoolDistrictOverlap).where(
                SchoolDistrictOverlap.school_district_id == gone.id)).all():
            part.school_district_id = keep.id
            self.db.add(part)
        for k in _FIELDS:
            if getattr(keep, k) is None and getattr(gone, k) is not None:
                setattr(keep, k, getattr(gone, k))
        self.by_leaid.pop(gone.leaid, None)
        self.by_ocd.pop(gone.ocd_id, None)
        gone.leaid = gone.ocd_id = None
        self.db.add(gone)
        self.db.flush()
        self.db.delete(gone)
        self.db.flush()


def _divisions(store: _Store, rows: list[DivisionRow], counts: Counter) -> None:
    for r in rows:
        values = {"ocd_id": r.ocd_id, "state": r.state, "county": r.county, "place": r.place}
        if r.name is not None:
            values["ocd_name"] = r.name
        if r.state_code is not None:
            values["state_code"] = r.state_code
        row = store.by_ocd.get(r.ocd_id)
        if r.leaid:
            values["leaid"] = r.leaid
            other = store.by_leaid.get(r.leaid)
            if row is None:
                row = other
            elif other is not None and other is not row:
                store.merge(row, other)
        new = row is None
        store.set(row or SchoolDistrict(state=r.state), values, counts, new)


def _parts(store: _Store, rows: list[PartRow], source: str, counts: Counter, notes: list[tuple[str, str]]) -> None:
    by_lea: dict[str, list[PartRow]] = defaultdict(list)
    for p in rows:
        by_lea[p.leaid].append(p)
    levels = {p.level for p in rows}
    have_all: dict[int, list[SchoolDistrictOverlap]] = defaultdict(list)
    for o in store.db.exec(select(SchoolDistrictOverlap).where(SchoolDistrictOverlap.level.in_(levels))).all():
        have_all[o.school_district_id].append(o)
    for leaid, parts in by_lea.items():
        names = [p.name for p in parts if p.name]
        row = store.by_leaid.get(leaid)
        values = {"leaid": leaid, "state": (row.state if row else fips_states()[leaid[:2]])}
        if names:
            values["nces_name"] = names[0]
        store.set(row or SchoolDistrict(state=values["state"]), values, counts, row is None)
        row = store.by_leaid[leaid]
        if row.id is None:
            store.db.flush()
        stored = {(o.level, o.state, o.district): o for o in have_all.get(row.id, [])}
        vintage = parts[0].vintage
        newest = max((o.vintage for o in stored.values()), key=_vintage_rank, default=None)
        if newest is not None and _vintage_rank(newest) > _vintage_rank(vintage):
            notes.append((leaid, f"kept the stored {newest} boundaries: this file has older ({vintage})"))
            counts["noop"] += len(parts)
            continue
        wanted: dict[tuple, dict] = {}
        for level in {p.level for p in parts}:
            mine = [p for p in parts if p.level == level]
            land = sum(p.land_area or 0 for p in mine)
            for p in mine:
                key = (p.level, p.state, p.district)
                prev = wanted.get(key)   # the same district twice: one part, areas added
                area = (p.land_area or 0) + (prev["land_area"] if prev else 0)
                water = (p.water_area or 0) + (prev["water_area"] if prev else 0)
                wanted[key] = {"land_area": area, "water_area": water,
                               "share": round(area / land, 6) if land else None,
                               "vintage": p.vintage, "source": source}
        for key, values in wanted.items():
            have = stored.pop(key, None)
            if have is None:
                store.db.add(SchoolDistrictOverlap(school_district_id=row.id, level=key[0], state=key[1],
                                                   district=key[2], **values))
                counts["insert"] += 1
                continue
            same = all(_close(getattr(have, k), v) for k, v in values.items() if k != "source")
            if same:
                counts["noop"] += 1
                continue
            for k, v in values.items():
                setattr(have, k, v)
            store.db.add(have)
            counts["update"] += 1
        for gone in stored.values():   # parts the newer file no longer lists
            if gone.level in {p.level for p in parts}:
                store.db.delete(gone)
                counts["delete"] += 1


def _close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))
    return a == b


def load(engine: Engine, table: TableFile, source: str) -> tuple[Counter, list[tuple[str, str]]]:
    """Store what one file held in one transaction; returns the counts and notes (LEAID, note)."""
    counts: Counter = Counter()
    notes: list[tuple[str, str]] = []
    bad_leas = table.bad_leaids
    with Session(engine) as db:
        store = _Store(db)
        _divisions(store, table.divisions, counts)
        db.flush()
        _parts(store, [p for p in table.parts if p.leaid not in bad_leas], source, counts, notes)
        db.commit()
    return counts, notes
