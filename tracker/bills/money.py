"""Money in a bill's text: each dollar amount with its heading path, fiscal year, availability,
"of which" sub-amounts tied to their parent, issue areas from the heading (a rule table), and
the change of each line item between two versions (docs/bill-text.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

# $165,000,000 / $2.5 million / $1,000,000,000
_AMOUNT = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s+(million|billion))?", re.I)
_SCALE = {"million": 10**6, "billion": 10**9}
# What makes an amount a part of another one: "of which $X", "$X of the funds made available
# under this heading", "up to $X of the amounts provided".
_OF_WHICH = re.compile(r"of which\s+(?:not (?:less|more) than\s+|up to\s+|an amount (?:not to exceed|of)\s+)?$", re.I)
_OF_FUNDS = re.compile(r"^\s*(?:shall be\s+)?of the (?:funds|amounts?|sums?)\b[^.:;]{0,80}?"
                       r"(?:under this heading|in this paragraph|provided|made available|appropriated)", re.I)
_AVAILABLE = re.compile(r"(?:which shall |to )?(?:remain available (?:until|through) (?:expended|[A-Z][a-z]+ \d{1,2}, \d{4})"
                        r"|shall become available on [A-Z][a-z]+ \d{1,2}, \d{4}|available until expended)")
_FISCAL = re.compile(r"fiscal year (?:ending [A-Z][a-z]+ \d{1,2}, )?(\d{4})|(\d{4})[–-](\d{2}) fiscal year", re.I)
_TITLE_NUM = re.compile(r"^TITLE [IVXLC]+ — ", re.I)

# Issue areas a heading names (classification as data): (pattern on the heading path, area slug).
AREA_RULES: list[tuple[str, str]] = [
    (r"\bdepartment of education\b|\beducation\b|\bschools?\b", "education-general"),
    (r"\bspecial education\b|\bindividuals with disabilities education\b|\bidea\b", "special-education"),
    (r"\beducation for the disadvantaged\b|\btitle i\b|\bimpact aid\b", "equity"),
    (r"\benglish (?:language )?(?:learners?|acquisition)\b", "english-learners"),
    (r"\bcharter schools?\b", "charter-schools"),
    (r"\bchild care\b|\bhead start\b|\bpreschool\b|\bearly (?:learning|childhood)\b", "early-childhood"),
    (r"\bstudent financial assistance\b|\bhigher education\b|\bpell\b|\bcolleges?\b", "higher-education"),
    (r"\bcareer,? technical\b|\bcareer and technical\b", "cte"),
    (r"\bschool (?:lunch|meals?|nutrition)\b|\bchild nutrition\b", "school-meals-health"),
    (r"\bteachers?\b|\beducators?\b", "educator-workforce"),
    (r"\bhomeless (?:children|youth|students)\b", "homeless-students"),
    (r"\bschool safety\b", "school-safety"),
]
_AREA_RES = [(re.compile(p, re.I), slug) for p, slug in AREA_RULES]


class LineItem(BaseModel):
    """One amount of money in one version's text."""

    id: str = Field(description="stable within the bill: heading path, heading and position")
    path: list[str] = Field(description="the enclosing headings, outermost first")
    heading: str | None = None
    section: str = Field(description="the section's anchor in the text page (#s-3)")
    dollars: int
    fiscal_year: str | None = None
    availability: str | None = Field(None, description="e.g. 'to remain available until September 30, 2020'")
    kind: str = Field(description="appropriation (the heading's amount), part ('of which'), other")
    parent: str | None = Field(None, description="the id of the amount this one is a part of")
    context: str = Field(description="the words around the amount")
    areas: list[str] = Field(default_factory=list, description="taxonomy issue areas the heading names")


class MoneyChange(BaseModel):
    id: str
    path: list[str]
    heading: str | None = None
    kind: str
    status: str = Field(description="added, removed, changed, same")
    old: int | None = None
    new: int | None = None
    delta: int | None = None
    percent: float | None = Field(None, description="change in percent of the old amount, one decimal")
    areas: list[str] = Field(default_factory=list)


def _dollars(m: re.Match) -> int:
    whole = int(m.group(1).replace(",", ""))
    frac = m.group(2) or ""
    scale = _SCALE.get((m.group(3) or "").lower(), 1)
    return whole * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)


def _areas(path: list[str], heading: str | None) -> list[str]:
    where = " / ".join([*path, heading or ""])
    return sorted({slug for rx, slug in _AREA_RES if rx.search(where)})


def _norm(path: list[str]) -> str:
    """The path without title numbers, which change between versions (title VII becomes VIII)."""
    return " / ".join(_TITLE_NUM.sub("", p) for p in path)


@dataclass
class _Sec:
    num: str | None
    heading: str | None
    path: list[str]
    text: str


def line_items(text: str | None, sections: list[dict] | None) -> list[LineItem]:
    """Every dollar amount of a version with what the text says about it."""
    text = text or ""
    secs = [_Sec(s.get("num"), s.get("heading"), list(s.get("path") or []), text[s["start"]:s["end"]])
            for s in (sections or [])] or [_Sec(None, None, [], text)]
    default_fy = next((m.group(1) or f"{m.group(2)}-{m.group(3)}" for m in _FISCAL.finditer(secs[0].text)), None)
    out: list[LineItem] = []
    for i, s in enumerate(secs):
        base = f"{_norm(s.path)} / {s.heading or s.num or ''}"
        main: LineItem | None = None
        counts: dict[str, int] = {}
        for m in _AMOUNT.finditer(s.text):
            before, after = s.text[max(0, m.start() - 80):m.start()], s.text[m.end():m.end() + 300]
            nxt = after.find("$")
            window = after if nxt < 0 else after[:nxt]
            avail = _AVAILABLE.search(window)
            fy = _FISCAL.search(s.text[max(0, m.start() - 300):m.end() + 300])
            part = bool(_OF_WHICH.search(before) or _OF_FUNDS.match(window))
            kind = "part" if part and main is not None else ("appropriation" if main is None and (
                s.heading or re.search(r"appropriat", s.text[:m.start()], re.I)) else "other")
            counts[kind] = counts.get(kind, 0) + 1
            item = LineItem(
                id=f"{base} / {kind} {counts[kind]}", path=s.path, heading=s.heading or s.num,
                section=f"s-{i + 1}", dollars=_dollars(m),
                fiscal_year=(fy.group(1) or f"{fy.group(2)}-{fy.group(3)}") if fy else default_fy,
                availability=avail.group(0).removeprefix("which shall ").removeprefix("to ") if avail else None,
                kind=kind, parent=main.id if kind == "part" and main else None,
                context=" ".join((before[-60:] + m.group(0) + window[:80]).split()),
                areas=_areas(s.path, s.heading))
            if kind == "appropriation":
                main = item
            out.append(item)
    return out


def compare(old: list[LineItem], new: list[LineItem],
            pairs: list[tuple[int | None, int | None]] | None = None) -> list[MoneyChange]:
    """Each line item of either version: added, removed, changed (old -> new, percent) or same.

    `pairs` are the redline's pairs of sections (old index, new index): an amount is compared
    with the amount of the same kind and rank in the paired section, so a renumbered or
    re-titled section keeps its money. Without pairs, items are paired by id."""
    def rank(item: LineItem) -> str:
        return item.id.rsplit(" / ", 1)[-1]
    if pairs is None:
        before = {i.id: i for i in old}
    else:
        moved = {f"s-{i + 1}": f"s-{j + 1}" for i, j in pairs if i is not None and j is not None}
        before = {(moved.get(i.section, f"gone {i.section}"), rank(i)): i for i in old}
    after = {(i.id if pairs is None else (i.section, rank(i))): i for i in new}
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        ref = b or a
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        else:
            status = "same" if a.dollars == b.dollars else "changed"
        delta = (b.dollars - a.dollars) if a and b else None
        pct = round(100.0 * delta / a.dollars, 1) if a and b and a.dollars else None
        out.append(MoneyChange(id=ref.id, path=ref.path, heading=ref.heading, kind=ref.kind, status=status,
                               old=a.dollars if a else None, new=b.dollars if b else None, delta=delta,
                               percent=pct, areas=ref.areas))
    return out
