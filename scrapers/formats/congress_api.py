"""Congress.gov API v3 JSON (https://api.congress.gov/v3): saved responses and the spider's pages.

Every response is one JSON object with a `request` echo (and `pagination` on lists) beside the
content key that says what it is (`bill`, `actions`, `houseRollCallVote`, `members`, ...).
A bill is spread over its detail and sub-resources, a House roll call over its detail and
`/members`: `edtracker import` reads the files of a folder together (a bundle format) and
merges the parts of one bill or one roll call, identified by their `request` echo, into one
record (`scrapers.formats.congress_api_records`). Lists (`/bill`, `/house-vote`,
`/member/{id}/sponsored-legislation`) only point at records: the spider follows them, the
importer skips them.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Any, Iterator

from scrapers.formats.base import Item, Tree, json_object
from scrapers.formats.congress_api_members import member_record
from scrapers.formats.detect import json_shape
from scrapers.formats.guard import convert, convert_all, record_name
from scrapers.formats.congress_api_records import (FORMAT_NAME, bill_identity, bill_record,
                                                   house_vote_record)
from tracker.contract import RecordError

# Content key -> (kind, the `parts` name of a bill sub-resource or None).
CONTENT = {
    "bill": ("bill", None),
    "actions": ("bill-part", "actions"), "cosponsors": ("bill-part", "cosponsors"),
    "committees": ("bill-part", "committees"), "subjects": ("bill-part", "subjects"),
    "summaries": ("bill-part", "summaries"), "textVersions": ("bill-part", "text"),
    "titles": ("bill-part", "titles"), "relatedBills": ("bill-part", "relatedbills"),
    "amendments": ("bill-part", "amendments"),
    "member": ("member", None), "members": ("members", None),
    "houseRollCallVote": ("vote", None), "houseRollCallVoteMemberVotes": ("vote-members", None),
    "bills": ("listing", None), "houseRollCallVotes": ("listing", None),
    "sponsoredLegislation": ("listing", None), "cosponsoredLegislation": ("listing", None),
}
class NotApiResponse(ValueError):
    """The bytes are not a Congress.gov API v3 response."""


def is_api_response(tree: Tree, name: str) -> bool:
    """Congress.gov JSON: its `request` echo beside a content key, whatever their order (LegiScan
    and unitedstates/congress files also have a `bill` key, but never a `request` object)."""
    shape = json_shape(tree, name)
    return bool(shape) and shape.get("request") is dict and any(k in CONTENT for k in shape)


def load(data: bytes) -> dict[str, Any]:
    """The decoded response; `NotApiResponse` says why it is not one (an error page, a stray file)."""
    doc = json_object(data, NotApiResponse)
    if isinstance(doc.get("error"), (dict, str)):
        raise NotApiResponse(f"API error: {doc['error']}")
    if not isinstance(doc.get("request"), dict):
        raise NotApiResponse("no `request` echo: not a Congress.gov API v3 response")
    if content_key(doc) is None:
        raise NotApiResponse(f"no known content key in {sorted(doc)[:8]}")
    return doc


def content_key(doc: dict) -> str | None:
    for key in CONTENT:
        if key in doc and key not in ("request", "pagination"):
            return key
    return None


def kind_of(doc: dict) -> tuple[str, str | None]:
    """(kind, part): `("bill-part", "actions")`, `("vote", None)`, `("listing", None)`..."""
    key = content_key(doc)
    kind, part = CONTENT[key] if key else ("unknown", None)
    if kind == "bill-part" and bill_identity(doc["request"]) is None:
        kind, part = "listing", None  # `/summaries`, `/committee/...`: not one bill's part
    return kind, part


def items(doc: dict, part: str) -> list:
    """The items of one page of a bill sub-resource (subjects as names)."""
    if part == "subjects":
        subjects = doc.get("subjects") or {}
        return [s.get("name") for s in subjects.get("legislativeSubjects") or [] if s.get("name")]
    key = {"text": "textVersions", "relatedbills": "relatedBills"}.get(part, part)
    return list(doc.get(key) or [])


def total(doc: dict) -> int | None:
    count = (doc.get("pagination") or {}).get("count")
    return count if isinstance(count, int) else None


def next_page(doc: dict) -> str | None:
    """`pagination.next`: the next page's URL as the API gives it (without the api_key)."""
    return (doc.get("pagination") or {}).get("next") or None


def policy_area(doc: dict) -> str | None:
    return ((doc.get("subjects") or {}).get("policyArea") or {}).get("name")


def bill_listing(doc: dict) -> list[dict[str, Any]]:
    """`/bill/{congress}` rows: congress, type code, number and updateDate of each bill."""
    out = []
    for row in doc.get("bills") or []:
        ident = bill_identity(row)
        if ident:
            out.append({"congress": ident[0], "type": ident[1], "number": ident[2],
                        "update_date": row.get("updateDateIncludingText") or row.get("updateDate")})
    return out


def vote_listing(doc: dict) -> list[dict[str, Any]]:
    """`/house-vote/{congress}` rows: congress, session, roll number and updateDate."""
    out = []
    for row in doc.get("houseRollCallVotes") or []:
        try:
            out.append({"congress": int(row["congress"]), "session": int(row["sessionNumber"]),
                        "roll": int(row["rollCallNumber"]), "update_date": row.get("updateDate")})
        except (KeyError, TypeError, ValueError):
            continue
    return out


def vote_identity(doc: dict) -> tuple[int, int, int] | None:
    body = doc.get("houseRollCallVote") or doc.get("houseRollCallVoteMemberVotes") or {}
    try:
        return int(body["congress"]), int(body["sessionNumber"]), int(body["rollCallNumber"])
    except (KeyError, TypeError, ValueError):
        return None


# --- edtracker import: a folder of saved responses ----------------------------------------------

class CongressApiFiles:
    """Bundle format: the saved responses of a folder, merged per bill and per roll call."""

    name = FORMAT_NAME
    priority = 15

    def claim(self, tree: Tree) -> list[str]:
        return [n for n in tree.names() if is_api_response(tree, n)]

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        bills: dict[tuple, dict] = defaultdict(lambda: {"detail": None, "parts": defaultdict(list),
                                                        "totals": {}, "source": None})
        votes: dict[tuple, dict] = defaultdict(lambda: {"detail": None, "members": None, "source": None})
        for name in sorted(names):
            source = tree.source(name)
            try:
                doc = load(tree.read(name))
            except (NotApiResponse, OSError) as exc:
                yield RecordError(source, posixpath.basename(name), None, str(exc))
                continue
            # one file is read whole or not at all: a wrong-typed file is one error naming it
            yield from convert_all(_gather, doc, source, bills, votes, source=source,
                                   record=posixpath.basename(name))
        for ident, group in sorted(bills.items()):
            key = f"us-{ident[0]}-{ident[1]}{ident[2]}"
            if group["detail"] is None:
                yield RecordError(group["source"], key, "bill",
                                  "sub-resources without the bill's detail response (/bill/{congress}/{type}/{number})")
                continue
            detail = group["detail"]
            if "policy_area" in group and not detail.get("policyArea"):
                detail = {**detail, "policyArea": {"name": group["policy_area"]}}
            yield convert(bill_record, detail, dict(group["parts"]), group["source"], totals=group["totals"],
                          source=group["source"], record=key, prefix="bill")
        for ident, group in sorted(votes.items()):
            yield convert(house_vote_record, group["detail"] or group["meta"], group["members"], group["source"],
                          source=group["source"], record=f"us-house-{ident[0]}-{ident[1]}-{ident[2]}",
                          prefix="houseRollCallVote")


def _gather(doc: dict, source: str, bills: dict, votes: dict) -> Iterator[Item]:
    """File the parts of one response under their bill or roll call; members come out at once."""
    kind, part = kind_of(doc)
    if kind == "member":
        yield member_record(doc["member"], source)
    elif kind == "members":
        for i, m in enumerate(doc.get("members") or []):
            yield convert(member_record, m, source, source=source, prefix=f"members.{i}",
                          record=record_name(m, "bioguideId", "name"))
    elif kind == "bill":
        if not isinstance(doc["bill"], dict) or bill_identity(doc["bill"]) is None:
            yield RecordError(source, None, "bill", "no congress, type and number in the bill object")
            return
        ident = bill_identity(doc["bill"])
        bills[ident]["detail"], bills[ident]["source"] = doc["bill"], source
    elif kind == "bill-part":
        group = bills[bill_identity(doc["request"])]
        group["parts"][part].extend(items(doc, part))
        if part == "subjects" and policy_area(doc):
            group["policy_area"] = policy_area(doc)
        if total(doc) is not None:
            group["totals"][part] = total(doc)
        group["source"] = group["source"] or source
    elif kind in ("vote", "vote-members"):
        ident = vote_identity(doc)
        if ident is None:
            yield RecordError(source, None, "rollCallNumber", "House vote without congress/session/roll")
            return
        if kind == "vote":
            votes[ident]["detail"], votes[ident]["source"] = doc["houseRollCallVote"], source
        else:
            body = doc["houseRollCallVoteMemberVotes"]
            votes[ident]["members"] = list(body.get("results") or [])
            votes[ident]["source"] = votes[ident]["source"] or source
            votes[ident].setdefault("meta", body)
    # listings point at records the spider fetches; nothing to store from them


FORMAT = CongressApiFiles()
