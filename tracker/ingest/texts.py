"""Store a `BillTextIn`: one version of a bill's text, compared by checksum (see docs/bill-text.md)."""
from __future__ import annotations

import datetime as dt
import hashlib

from sqlmodel import Session, select

from tracker.contract import BillTextIn, RecordError
from tracker.ingest.diff import upsert
from tracker.models import Bill, BillText
from tracker.search.textindex import index_text


def checksum(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _bill_id(session: Session, key: str) -> int | None:
    """The stored bill of a key, or of `legiscan:{bill_id}` (a LegiScan text read without its bill)."""
    if key.startswith("legiscan:") and key[9:].isdigit():
        return session.exec(select(Bill.id).where(
            Bill.extras["legiscan_bill_id"].as_integer() == int(key[9:]))).first()
    return session.exec(select(Bill.id).where(Bill.key == key)).first()


def ingest_bill_text(session: Session, rec: BillTextIn, today: dt.date) -> tuple[str, dict]:
    """Upsert one text version of a stored bill; the content is compared by its checksum."""
    bill_id = _bill_id(session, rec.bill_key)
    if bill_id is None:
        raise RecordError(rec.source.url, rec.natural_key(), "bill_key",
                          f"bill {rec.bill_key} is not stored: import the bill before its text")
    digest = checksum(rec.content)
    row = session.exec(select(BillText).where(BillText.bill_id == bill_id,
                                              BillText.version_code == rec.code)).first()
    # The big columns are written only when the content changed, and never diffed field by field.
    bulky = {"content": rec.content, "text": rec.text,
             "sections": [s.model_dump(mode="json") for s in rec.sections]}
    values = {"version_name": rec.name, "date": rec.date, "format": rec.format, "checksum": digest,
              "source_url": rec.url, "source_format": rec.source.format,
              "fetched_at": rec.source.fetched_at}
    if row is None:
        values.update(bulky)
    row, outcome, changes = upsert(session, BillText, {"bill_id": bill_id, "version_code": rec.code},
                                   values, row=row)
    if outcome == "update" and "checksum" in changes:
        for name, value in bulky.items():
            setattr(row, name, value)
        session.add(row)
    elif outcome != "insert" and (row.text != rec.text or row.sections != bulky["sections"]):
        # same document, a better rendering (the reader improved): refresh it quietly
        row.text, row.sections = rec.text, bulky["sections"]
        session.add(row)
        changes["rendering"] = {"old": None, "new": "refreshed"}
        outcome = "update"
    if outcome == "insert" or "checksum" in changes or "rendering" in changes:
        session.flush()
        index_text(session, row)
    return outcome, changes
