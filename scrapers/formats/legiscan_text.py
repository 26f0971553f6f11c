"""A LegiScan text document (`{"text": {...}}`, getBillText: base64 `doc`) -> `BillTextIn`.

The bill is the one of the same dataset when it is there, else the stored bill carrying that
LegiScan bill id (`legiscan:{bill_id}`, resolved when stored). HTML and plain text documents are
rendered to text; PDFs and word-processor files are refused with a clear error.
"""
from __future__ import annotations

import base64
import binascii

from scrapers.formats import plainsections
from scrapers.formats.htmltext import html_to_text
from scrapers.formats.legiscan_records import Context, legiscan_int
from tracker.contract import BillTextIn, RecordError, build

_TEXTUAL = {"text/html": "html", "text/plain": "text"}


def text_record(payload: dict, ctx: Context, source: str, fmt: str) -> BillTextIn:
    doc_id, bill_id = legiscan_int(payload.get("doc_id")), legiscan_int(payload.get("bill_id"))
    mime = str(payload.get("mime") or "").split(";")[0].strip().lower()
    record = f"legiscan text {doc_id}"
    if mime not in _TEXTUAL:
        raise RecordError(source, record, "text.mime", f"a {mime or 'untyped'} document is not text edtracker reads")
    try:
        raw = base64.b64decode(str(payload.get("doc") or ""), validate=True).decode("utf-8-sig")
    except (binascii.Error, ValueError) as exc:
        raise RecordError(source, record, "text.doc", f"not base64 UTF-8 text: {exc}") from None
    text = (html_to_text(raw) if _TEXTUAL[mime] == "html" else raw.strip()) or ""
    if not text:
        raise RecordError(source, record, "text.doc", "the document is empty")
    info = ctx.bills.get(bill_id)
    return build("bill_text", {
        "bill_key": info.key if info else f"legiscan:{bill_id}", "code": f"legiscan-{doc_id}",
        "name": str(payload.get("type") or "Text"), "date": payload.get("date") or None,
        "format": _TEXTUAL[mime], "content": raw, "text": text, "sections": plainsections.sections(text),
        "url": payload.get("state_link") or payload.get("url") or None,
        "source": {"url": source, "format": fmt}}, source=source)
