"""Just the fields the tagger reads (title, summary, subjects, committees, actions), taken from
the real files in ../shared/fixtures, for tests that must not wait for the importers."""
from __future__ import annotations

import json
from pathlib import Path

from scrapers.xmlsafe import parse_xml
from tracker.tagging.engine import BillText


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def billstatus(path: Path) -> BillText:
    """GovInfo BILLSTATUS XML (legacy, v1 and v3 layouts)."""
    bill = parse_xml(path.read_bytes()).find(".//bill")
    summaries = bill.findall("./summaries//text")
    subjects = [_text(n) for n in bill.findall("./subjects//legislativeSubjects/item/name")]
    policy = bill.find("./policyArea/name")
    if policy is None:  # legacy files put it under subjects/billSubjects/policyArea
        policy = bill.find("./subjects//policyArea/name")
    committees = {_text(n) for n in bill.findall("./committees//item/name")
                  if n.getparent().find("systemCode") is not None}
    actions = [_text(a.find("text")) for a in bill.findall("./actions/item")]
    return BillText.from_values(title=_text(bill.find("title")),
                                summary=_text(summaries[-1]) if summaries else "",
                                subjects=subjects, policy_area=_text(policy) or None,
                                committees=sorted(committees), actions=actions)


def legiscan_ms(path: Path) -> BillText:
    """LegiScan's older XML dataset flavour (Mississippi 2012-2014)."""
    bill = parse_xml(path.read_bytes()).find("bill")
    subjects = [_text(n) for n in bill.findall(".//subject/subject_name")]
    actions = [_text(n) for n in bill.findall(".//history/step/action")]
    # This flavour has no committee element; referrals read "Referred To Education;Appropriations".
    committees = [c.strip() for a in actions if a.lower().startswith("referred to")
                  for c in a[len("referred to"):].split(";") if c.strip()]
    return BillText.from_values(title=_text(bill.find("title")), summary=_text(bill.find("description")),
                                subjects=subjects, committees=list(dict.fromkeys(committees)), actions=actions)


def ny_openleg(path: Path) -> BillText:
    """A NY Senate OpenLegislation API v3 bill response."""
    r = json.loads(path.read_bytes())["result"]
    committees = [c["name"] for c in (r.get("pastCommittees") or {}).get("items", [])]
    actions = [a["text"] for a in r["actions"]["items"]]
    return BillText.from_values(title=r["title"], summary=r.get("summary"),
                                committees=list(dict.fromkeys(committees)),
                                actions=actions)


def senate_lis_vote_document(path: Path) -> BillText:
    """The bill a Senate LIS roll call is about (title only), e.g. the 2004 debt limit bill."""
    root = parse_xml(path.read_bytes())
    return BillText.from_values(title=_text(root.find(".//document/document_title"))
                                or _text(root.find(".//document_text")))
