"""The ingest contract: typed records that spiders and importers produce.

Every record names its source (`SourceRef`) and has a natural key, so the ingest service can
upsert it idempotently and every error can say which source, record and field it is about.
"""
from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, ValidationError

from tracker.contract.base import PersonRef, Record, RecordError, SourceRef
from tracker.contract.bills import (ActionIn, BillIn, DocumentIn, LawIn, RelatedBillIn, SessionIn,
                                    SponsorshipIn, TitleIn, VersionIn)
from tracker.contract.events import AgendaItemIn, HearingIn, PersonVoteIn, VoteEventIn
from tracker.contract.people import KEY_SCHEMES, CommitteeIn, LegislatorIn, MembershipIn, RoleIn
from tracker.contract.texts import TEXT_FORMATS, BillTextIn, TextSectionIn
from tracker.bills.keys import bill_key

__all__ = ["ActionIn", "AgendaItemIn", "AnyRecord", "BillIn", "BillTextIn", "CommitteeIn", "DocumentIn",
           "HearingIn", "KEY_SCHEMES", "LawIn", "LegislatorIn", "MembershipIn", "PersonRef", "PersonVoteIn", "RECORD_TYPES", "Record",
           "RecordError", "RelatedBillIn", "RoleIn", "SessionIn", "SourceRef", "SponsorshipIn", "TitleIn",
           "TEXT_FORMATS", "TextSectionIn", "VersionIn", "VoteEventIn", "build", "build_any"]

RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls for cls in (SessionIn, BillIn, LegislatorIn, CommitteeIn, HearingIn, VoteEventIn,
                              BillTextIn)
}
AnyRecord = Annotated[Union[SessionIn, BillIn, LegislatorIn, CommitteeIn, HearingIn, VoteEventIn, BillTextIn],
                      Field(discriminator="type")]


def _guess_record_name(data: dict) -> str | None:
    for k in ("key", "identifier", "name"):
        if isinstance(data.get(k), str):
            return data[k]
    return None


def build(kind: str, data: dict[str, Any], *, source: str | None = None) -> Record:
    """Validate `data` as a record of `kind`; raise `RecordError` naming source, record and field.

    With several bad fields, the first is named in `field` and all are listed in the message.
    """
    cls = RECORD_TYPES.get(kind)
    src = source or ((data.get("source") or {}).get("url") if isinstance(data.get("source"), dict) else None)
    if cls is None:
        raise RecordError(src, _guess_record_name(data), "type", f"unknown record kind {kind!r}")
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        fields = [".".join(str(p) for p in e["loc"]) or "<record>" for e in errors]
        problems = (errors[0]["msg"] if len(errors) == 1 else
                    "; ".join(f"{f}: {e['msg']}" for f, e in zip(fields, errors)))
        name = _guess_record_name(data)
        if kind == "bill" and name and isinstance(data.get("session"), str) and isinstance(data.get("jurisdiction"), str):
            try:
                name = bill_key(data["jurisdiction"], data["session"], name)
            except ValueError:
                pass
        raise RecordError(src, name, fields[0], problems) from None


def build_any(data: dict[str, Any], *, source: str | None = None) -> Record:
    """Validate a dict carrying its own `type` (the JSON-lines exchange format)."""
    return build(str(data.get("type", "")), data, source=source)
