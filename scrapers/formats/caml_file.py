"""A California CAML bill version lob on its own (`20230AB230299INT.lob`, as pubinfo ships them)
-> `BillTextIn`; inside a pubinfo dump the lobs are read with their BILL_VERSION_TBL rows instead
(`ca_pubinfo`). The bill, version id, name and date come from the lob's own description."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from lxml import etree

from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.ca_pubinfo_bills import bill_url, key_of_bill_id
from scrapers.formats.caml import parse_caml
from scrapers.formats.detect import xml_root
from tracker.contract import RecordError, build

FORMAT_NAME = "caml"
# The lob's MeasureState: which version this is (the last history line may be "FILED").
_STATES = {"INT": "Introduced", "AMA": "Amended Assembly", "AMS": "Amended Senate", "ENR": "Enrolled",
           "CHP": "Chaptered", "PRO": "Proposed"}


def sniff(name: str, head: bytes) -> bool:
    return (xml_root(head) or "").endswith("MeasureDoc") and b"lc.ca.gov/legalservices/schemas/caml" in head


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse(data: bytes, source: str) -> Iterator[Item]:
    try:
        doc = parse_caml(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        yield RecordError(source, None, None, f"not a CAML bill version: {exc}")
        return
    m = doc.measure
    code = (doc.version_id or "").replace("_", "")
    try:
        year = int(m.get("SessionYear", ""))
        bill_id = f"{year}{year + 1}{int(m.get('SessionNum') or 0)}{m['MeasureType']}{int(m['MeasureNum'])}"
    except (KeyError, ValueError):
        yield RecordError(source, code or None, "LegislativeInfo", "the lob names no session and measure")
        return
    key = key_of_bill_id(bill_id)
    last = doc.history[-1] if doc.history else ("", "")
    if not code or key is None:
        yield RecordError(source, code or None, "Id", f"no version id or bill ({bill_id}) in the lob")
        return
    try:
        yield build("bill_text", {
            "bill_key": key, "code": code, "name": _STATES.get(m.get("MeasureState", ""))
                                                   or last[0].replace("_", " ").capitalize() or None,
            "date": _date(last[1]), "format": "caml", "content": data.decode("utf-8"),
            "text": doc.text, "sections": doc.sections, "url": bill_url(bill_id, "billTextClient"),
            "source": {"url": source, "format": FORMAT_NAME}}, source=source)
    except RecordError as err:
        yield err
    except UnicodeDecodeError as exc:
        yield RecordError(source, code, None, f"not UTF-8: {exc}")


FORMAT = SimpleFormat(FORMAT_NAME, sniff, parse, priority=70)
