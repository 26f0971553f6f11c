"""Who represents a place: the districts of an address (Census Geocoder) or a state and district
numbers, mapped to the current members holding those seats.

Seats are found through the OCD division ids stored on roles (Open States and
congress-legislators give them: `ocd-division/country:us/state:ca/cd:12`, `.../state:ca/sldu:8`,
a state's own division for its senators and an at-large representative, `district:dc` and
`territory:pr` for delegates), and through the district as stored when a role has no division
id ("CA-12", "California", "8"). Census codes lose their zero padding ("007" is district 7) and
"00" / "98" are at-large seats. Nothing here keeps or logs an address.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import us
from sqlmodel import Session, select

from tracker.coalitions import throttle
from tracker.districts.geocoder import District, GeocoderUnavailable, geocode, seat_number
from tracker.districts.views import DistrictOptions, FindResult, Seat, SeatMember
from tracker.jurisdictions import clock
from tracker.models import Legislator, LegislatorRole
from tracker.people.directory import FilterError, is_current
from tracker.people.record import grades

_NORM = re.compile(r"[^a-z0-9]+")
# Words of a Census district name that say what kind of district it is, not which one.
_KIND_WORDS = {"state", "senate", "house", "assembly", "legislative", "district", "of", "delegates",
               "representatives", "general", "ward", "council"}
_DISTRICT_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'_-]{0,39}$")


@lru_cache
def places() -> dict[str, tuple[str, str]]:
    """Postal code -> (name, OCD kind) for the states, DC and the territories with a delegate."""
    out = {s.abbr.lower(): (s.name, "state") for s in us.states.STATES}
    out["dc"] = (us.states.DC.name, "district")
    for t in us.states.TERRITORIES:
        out[t.abbr.lower()] = (t.name, "territory")
    return out


def division(state: str) -> str:
    return f"ocd-division/country:us/{places()[state][1]}:{state}"


def norm(value: str | None) -> str:
    """A district as compared: lowercase words joined by _, a number without zero padding."""
    text = _NORM.sub("_", (value or "").lower()).strip("_")
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


@dataclass(frozen=True)
class Want:
    """A seat asked for: its level, the state, the district tokens it may be stored as."""

    level: str
    state: str
    number: str | None = None
    name: str | None = None

    def tokens(self) -> set[str]:
        found = {norm(self.number)} if self.number else set()
        words = [w for w in norm(self.name).split("_") if w and w not in _KIND_WORDS]
        if words and self.level in ("state_upper", "state_lower"):   # "1st Barnstable" in Massachusetts
            found.add(norm("_".join(words)))
        found.discard("")
        return found


def _divisions(w: Want) -> set[str]:
    base = division(w.state)
    if w.level == "us_senate":
        return {base}
    if w.level == "us_house":
        if w.number == "AL":
            return {base, f"{base}/cd:at-large", f"{base}/cd:al", f"{base}/cd:0", f"{base}/cd:00"}
        return {f"{base}/cd:{t}" for t in w.tokens()}
    kinds = ("sldu", "ward") if w.level == "state_upper" else ("sldl",)
    return {f"{base}/{k}:{t}" for k in kinds for t in w.tokens()}


def _plain(w: Want) -> set[str]:
    """What a role without a division id stores as its district for this seat."""
    code = w.state.upper()
    if w.level == "us_senate":
        return {norm(places()[w.state][0]), norm(w.state)}
    if w.level == "us_house":
        numbers = {"al", "0", "00"} if w.number == "AL" else w.tokens()
        return {norm(f"{code}-{n}") for n in numbers}
    return w.tokens()


def _fits(role: LegislatorRole, w: Want) -> bool:
    if role.division_id:
        wanted = {d.lower() for d in _divisions(w)}
        head, _, tail = role.division_id.lower().rpartition(":")
        return role.division_id.lower() in wanted or f"{head}:{norm(tail)}" in wanted
    return norm(role.district) in _plain(w) and (w.level != "us_house" or bool(role.district))


def _roles(db: Session, jurisdiction: str, chambers: tuple[str, ...], day: dt.date) -> list[LegislatorRole]:
    rows = db.exec(select(LegislatorRole).where(LegislatorRole.jurisdiction_id == jurisdiction,
                                                LegislatorRole.chamber.in_(chambers))).all()
    return [r for r in rows if is_current(r, day)]


def _where(w: Want) -> tuple[str, tuple[str, ...]]:
    if w.level == "us_senate":
        return "us", ("upper",)
    if w.level == "us_house":
        return "us", ("lower",)
    return w.state, (("upper", "legislature") if w.level == "state_upper" else ("lower",))


def _in_state(role: LegislatorRole, state: str) -> bool:
    base = division(state).lower()
    if role.division_id:
        return role.division_id.lower() == base or role.division_id.lower().startswith(base + "/")
    d = norm(role.district)
    return d.startswith(f"{state}_") or d in (state, norm(places()[state][0]))


def seat(db: Session, w: Want, day: dt.date) -> Seat:
    """The seat `w` with its current members (one entry per person, with their public grades)."""
    jurisdiction, chambers = _where(w)
    roles = _roles(db, jurisdiction, chambers, day)
    tracked = any(_in_state(r, w.state) for r in roles) if jurisdiction == "us" else bool(roles)
    held: dict[int, LegislatorRole] = {}
    for r in roles:
        if _fits(r, w) and (r.legislator_id not in held or (r.start_date or dt.date.min) > (
                held[r.legislator_id].start_date or dt.date.min)):
            held[r.legislator_id] = r
    people = {p.id: p for p in db.exec(select(Legislator).where(Legislator.id.in_(list(held))))} if held else {}
    members = [SeatMember(key=p.key, name=p.name, party=held[p.id].party or p.party, title=held[p.id].title,
                          district=held[p.id].district, grades=grades(db, p.id, p.key))
               for p in sorted(people.values(), key=lambda p: ((p.family_name or p.name).casefold(), p.name))]
    unicameral = jurisdiction != "us" and bool(roles) and all(r.chamber == "legislature" for r in roles)
    return Seat(level=w.level, jurisdiction=jurisdiction, chamber="legislature" if unicameral else chambers[0],
                state=w.state, district=w.number if w.level != "us_senate" else None,
                district_name=w.name, tracked=tracked, members=members)


def _house_at_large(db: Session, state: str, day: dt.date) -> bool:
    """The state (or DC, a territory) has one House seat, held at large, among current members."""
    mine = [r for r in _roles(db, "us", ("lower",), day) if _in_state(r, state)]
    return bool(mine) and all(_fits(r, Want("us_house", state, "AL")) for r in mine)


def seats(db: Session, state: str, *, house: Want | None, upper: Want | None, lower: Want | None,
          day: dt.date) -> list[Seat]:
    out = []
    if places()[state][1] == "state":            # DC and the territories have no senators
        out.append(seat(db, Want("us_senate", state), day))
    if house is None and _house_at_large(db, state, day):
        house = Want("us_house", state, "AL")
    out += [seat(db, w, day) for w in (house, upper, lower) if w is not None]
    return out


def _want(d: District | None, level: str) -> Want | None:
    return Want(level, d.state, d.number, d.name) if d else None


def find_by_address(db: Session, address: str, *, base_url: str, timeout: float, user_agent: str,
                    client: str | None = None, per_hour: int = 0, on: dt.date | None = None) -> FindResult:
    """The seats of an address. `per_hour` bounds look-ups per client (0: no bound); the
    throttle keeps a hash of the client's address, never the street address."""
    address = " ".join((address or "").split())
    if not address:
        raise FilterError("address", "type a street address with a city or ZIP code")
    if len(address) > 200:
        raise FilterError("address", "at most 200 characters")
    if per_hour and client:
        wait = throttle.take(db, throttle.key("find-client", client), per_hour, 3600)
        db.commit()
        if wait:
            return FindResult(status="throttled", source="address", retry_after=wait)
    try:
        g = geocode(address, base_url=base_url, timeout=timeout, user_agent=user_agent)
    except GeocoderUnavailable:
        return FindResult(status="unavailable", source="address")
    if g.status in ("no_match", "rejected") or g.state not in places():
        return FindResult(status=g.status if g.status in ("no_match", "rejected") else "no_match",
                          source="address", message=g.message, matched_address=g.matched_address)
    first = {}
    for d in g.districts:
        if d.state == g.state:
            first.setdefault(d.level, d)
    day = on or clock.today()
    found = seats(db, g.state, house=_want(first.get("congressional"), "us_house"),
                  upper=_want(first.get("state_upper"), "state_upper"),
                  lower=_want(first.get("state_lower"), "state_lower"), day=day)
    return FindResult(status=g.status, source="address", matched_address=g.matched_address, state=g.state,
                      failed_layers=g.failed_layers, other_matches=g.other_matches, seats=found)


def _district_value(field: str, value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _DISTRICT_TEXT.match(value):
        raise FilterError(field, f"{value[:40]!r} is not a district (letters, digits, spaces and -, at most 40)")
    return value


def checked_state(state: str | None) -> str:
    code = (state or "").strip().lower()
    if code not in places():
        raise FilterError("state", f"unknown state {code[:10]!r} (use a postal code like ca, dc or pr)")
    return code


def find_by_district(db: Session, state: str | None, district: str | None = None, upper: str | None = None,
                     lower: str | None = None, *, on: dt.date | None = None) -> FindResult:
    """The seats of a state and the district numbers chosen (each optional): the state's two
    senators always; its House seat (at large: found without a number), state senate and house."""
    code = checked_state(state)
    house = None
    number = (_district_value("district", district) or "").upper()
    if number:
        if not (number in ("AL", "0", "00") or (number.isdigit() and 1 <= int(number) <= 99)):
            raise FilterError("district", f"{number[:10]!r} is not a congressional district (1-99, or AL at large)")
        house = Want("us_house", code, seat_number(number, "congressional"))
    up, low = _district_value("upper", upper), _district_value("lower", lower)
    found = seats(db, code, house=house, upper=Want("state_upper", code, up) if up else None,
                  lower=Want("state_lower", code, low) if low else None, day=on or clock.today())
    return FindResult(status="ok", source="district", state=code, seats=found)


def _natural(value: str):
    m = re.match(r"(\d+)(.*)", value)
    return (0, int(m.group(1)), m.group(2)) if m else (1, 0, value.casefold())


def district_options(db: Session, state: str, *, on: dt.date | None = None) -> DistrictOptions:
    """The district numbers of `state`'s current members edtracker holds, for the form."""
    code = checked_state(state)
    day = on or clock.today()
    cds = set()
    for r in _roles(db, "us", ("lower",), day):
        if not _in_state(r, code):
            continue
        tail = (r.division_id or "").rpartition("/")[2]
        if tail.startswith("cd:") and tail[3:].isdigit() and int(tail[3:]) > 0:
            cds.add(str(int(tail[3:])))
        elif _fits(r, Want("us_house", code, "AL")):
            cds.add("AL")
        elif (r.district or "").upper().startswith(f"{code.upper()}-") and r.district.split("-")[-1].isdigit():
            cds.add(str(int(r.district.split("-")[-1])))
    states = {"upper": set(), "lower": set()}
    for r in _roles(db, code, ("upper", "legislature", "lower"), day):
        if r.district:
            states["lower" if r.chamber == "lower" else "upper"].add(r.district)
    return DistrictOptions(state=code, congressional=sorted(cds, key=_natural),
                           upper=sorted(states["upper"], key=_natural), lower=sorted(states["lower"], key=_natural))
