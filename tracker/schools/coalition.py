"""A coalition's schools: the school districts its member organizations are placed in, and who
represents them. Which member is where is not shown, only the districts."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.models import MemberOrganization, MemberSchoolDistrict, SchoolDistrict
from tracker.schools.service import _ORDER, ref, representation
from tracker.schools.views import CoalitionSchools, SchoolRepresentative


def our_schools(db: Session, coalition_id: int, *, on: dt.date | None = None) -> CoalitionSchools:
    rows = db.exec(select(SchoolDistrict).join(MemberSchoolDistrict, MemberSchoolDistrict.school_district_id ==
                                               SchoolDistrict.id)
                   .join(MemberOrganization, MemberOrganization.id == MemberSchoolDistrict.member_id)
                   .where(MemberOrganization.coalition_id == coalition_id)).all()
    districts = sorted({r.id: r for r in rows}.values(), key=lambda r: (r.state, r.nces_name or r.ocd_name or ""))
    day = on or clock.today()
    people: dict[tuple, SchoolRepresentative] = {}
    vintages = set()
    for d in districts:
        for seat in representation(db, d, day):
            if seat.vintage:
                vintages.add(seat.vintage)
            for m in seat.members:
                key = (m.key, seat.level, seat.state, seat.district)
                rep = people.get(key) or SchoolRepresentative(key=m.key, name=m.name, party=m.party, level=seat.level,
                                                              state=seat.state, district=seat.district, grades=m.grades)
                rep.school_districts.append(ref(d))
                people[key] = rep
    reps = sorted(people.values(), key=lambda r: (_ORDER[r.level], r.state, r.district or "", r.name))
    return CoalitionSchools(school_districts=[ref(d) for d in districts], representatives=reps,
                            boundaries=sorted(vintages))
