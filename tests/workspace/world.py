"""The workspace tests' world: the real Mississippi 2013 bills (HB 369, SB 2189, from
../shared/fixtures/legiscan-ms-xml), a coalition with admin, editor and viewer staff and two
member organizations with a login each, and a second coalition whose staff must never get in."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlmodel import Session

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.coalitions.auth import hash_password
from tracker.coalitions.members import create_member
from tracker.ingest import Ingestor
from tracker.models import Coalition, StaffUser
from tracker.vocab import MEMBER_ROLE

HB, SB = "ms-2013-hb369", "ms-2013-sb2189"
PASSWORD = "workspace-pass-1"
ADMIN, EDITOR, VIEWER = "admin@edfund.example", "editor@edfund.example", "viewer@edfund.example"
PARENTS, TEACHERS = "login@parents.example", "login@teachers.example"
OTHER_ADMIN = "admin@other.example"


def import_ms(engine) -> None:
    folder = real_fixture("legiscan-ms-xml", "ms-2013")
    report = Ingestor(engine, today=dt.date(2013, 6, 1)).ingest(iter_records(plan([Path(folder)])))
    assert report.counts.get("error", 0) == 0, [str(e) for e in report.errors[:3]]


def build(engine) -> dict[str, int]:
    """Bills, coalitions, accounts; returns ids by name."""
    import_ms(engine)
    with Session(engine) as db:
        co, other = Coalition(slug="edfund", name="Education Fund"), Coalition(slug="other", name="Other Table")
        db.add_all([co, other])
        db.flush()
        for email, role in ((ADMIN, "admin"), (EDITOR, "editor"), (VIEWER, "viewer")):
            db.add(StaffUser(coalition_id=co.id, email=email, password_hash=hash_password(PASSWORD), role=role))
        db.add(StaffUser(coalition_id=other.id, email=OTHER_ADMIN, password_hash=hash_password(PASSWORD), role="admin"))
        parents = create_member(db, co.id, name="Parents United", slug="parents")
        teachers = create_member(db, co.id, name="Teachers for Kids", slug="teachers")
        # Member logins as an accepted invitation makes them (tests/workspace/test_member_invites.py
        # goes through the email and the accept page).
        for email, org in ((PARENTS, parents), (TEACHERS, teachers)):
            db.add(StaffUser(coalition_id=co.id, email=email, password_hash=hash_password(PASSWORD),
                             role=MEMBER_ROLE, member_id=org.id))
        db.commit()
        return {"coalition": co.id, "other": other.id, "parents": parents.id, "teachers": teachers.id}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, email: str, slug: str = "edfund", password: str = PASSWORD):
    token = csrf_of(client.get(f"/c/{slug}/staff/login").text)
    return client.post(f"/c/{slug}/staff/login", data={"email": email, "password": password, "csrf": token},
                       follow_redirects=False)
