"""Keep `bill_text_section` (and through it the full-text index of bill text) in step with the
stored text versions, and search it: each hit names the bill, the version and the section."""
from __future__ import annotations

import re

from pydantic import BaseModel, Field
from sqlalchemy import delete, text
from sqlmodel import Session, select

from tracker.models import Bill, BillText, BillTextSection
from tracker.search.textddl import TEXT_FTS, TEXT_TSVECTOR

_WORD = re.compile(r"\w+", re.UNICODE)


def section_rows(body: str | None, sections: list[dict] | None) -> list[tuple[int, str, str]]:
    """(position, label, text) of each section of a version; a version without sections is one."""
    body = body or ""
    if not sections:
        return [(1, "", body)] if body.strip() else []
    return [(i + 1, " / ".join([*(s.get("path") or []), *(x for x in (s.get("num"), s.get("heading")) if x)]),
             body[s["start"]:s["end"]]) for i, s in enumerate(sections)]


def index_text(session: Session, row: BillText) -> None:
    """Rewrite the section rows of one stored version."""
    session.execute(delete(BillTextSection).where(BillTextSection.bill_text_id == row.id))
    for pos, label, body in section_rows(row.text, row.sections):
        session.add(BillTextSection(bill_text_id=row.id, bill_id=row.bill_id, position=pos, label=label, body=body))


class TextHit(BaseModel):
    bill_key: str
    bill_title: str
    version_code: str
    version_name: str | None = None
    label: str = Field(description="heading path, number and heading of the section")
    anchor: str = Field(description="the section's id on the text page")
    url: str = Field(description="the text page at that section")
    snippet: str


def _snippet(body: str, q: str, width: int = 220) -> str:
    words = [w.lower() for w in _WORD.findall(q)]
    low = body.lower()
    at = min((p for p in (low.find(w) for w in words) if p >= 0), default=0)
    start = max(0, at - width // 3)
    out = " ".join(body[start:start + width].split())
    return ("… " if start else "") + out + (" …" if start + width < len(body) else "")


def search_text(session: Session, q: str, limit: int = 20) -> list[TextHit]:
    """Sections of stored bill text matching the words of `q`, best first."""
    words = _WORD.findall(q or "")
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sql = (f"SELECT id FROM bill_text_section WHERE ({TEXT_TSVECTOR}) @@ plainto_tsquery('english', :q) "
               f"ORDER BY ts_rank(({TEXT_TSVECTOR}), plainto_tsquery('english', :q)) DESC, id LIMIT :n")
        params = {"q": " ".join(words), "n": limit}
    else:
        sql = f"SELECT rowid FROM {TEXT_FTS} WHERE {TEXT_FTS} MATCH :q ORDER BY bm25({TEXT_FTS}, 2.0, 1.0), rowid LIMIT :n"
        params = {"q": " ".join(f'"{w}"' for w in words), "n": limit}
    ids = [r[0] for r in session.execute(text(sql), params)]
    if not ids:
        return []
    rows = session.exec(select(BillTextSection, BillText.version_code, BillText.version_name, Bill.key, Bill.title)
                        .join(BillText, BillText.id == BillTextSection.bill_text_id)
                        .join(Bill, Bill.id == BillTextSection.bill_id)
                        .where(BillTextSection.id.in_(ids))).all()
    order = {i: n for n, i in enumerate(ids)}
    out = []
    for sec, code, name, key, title in sorted(rows, key=lambda r: order[r[0].id]):
        anchor = f"s-{sec.position}"
        out.append(TextHit(bill_key=key, bill_title=title, version_code=code, version_name=name,
                           label=sec.label or name or code, anchor=anchor,
                           url=f"/bill/{key}/text?version={code}#{anchor}", snippet=_snippet(sec.body, q)))
    return out
