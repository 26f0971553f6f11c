"""Derive a bill's coalition-facing stage from its classified actions.

The rules are a table: each row says which action classification, taken in which chamber
(the bill's origin chamber, the other one, or anywhere), moves the bill to which stage.
Progress stages only move forward; `failed`, `vetoed` and `withdrawn` hold until a later
action makes progress again (a reconsidered vote, a veto override). Resolutions are
`adopted` once the chambers they need have passed them. A bill still pending when its
session has ended is `dead`. See docs/stages.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from tracker.vocab import FINAL_STAGES


@dataclass(frozen=True)
class StageRule:
    classification: str
    stage: str
    where: str = "any"  # any | origin | second


STAGE_RULES: tuple[StageRule, ...] = (
    StageRule("filing", "introduced"),
    StageRule("introduction", "introduced"),
    StageRule("referral-committee", "in_committee", "origin"),
    StageRule("committee-passage", "out_of_committee", "origin"),
    StageRule("committee-passage-favorable", "out_of_committee", "origin"),
    StageRule("passage", "passed_origin", "origin"),
    StageRule("passage", "passed_second", "second"),
    StageRule("executive-receipt", "to_executive"),
    StageRule("executive-signature", "enacted"),
    StageRule("became-law", "enacted"),
    StageRule("executive-veto", "vetoed"),
    StageRule("veto-override-passage", "override"),
    StageRule("failure", "failed"),
    StageRule("withdrawal", "withdrawn"),
)

PROGRESS = ("introduced", "in_committee", "out_of_committee", "passed_origin", "passed_second",
            "to_executive", "enacted")
_RANK = {s: i for i, s in enumerate(PROGRESS)}
_SETBACKS = {"failed", "vetoed", "withdrawn"}


class ActionLike(Protocol):
    date: dt.date
    actor: str
    classification: list[str]


def origin_from_identifier(identifier: str) -> str | None:
    """H.R./HB/AB/A -> lower, S/SB -> upper; None when the prefix says nothing."""
    head = identifier.strip().upper()[:1]
    return {"H": "lower", "A": "lower", "S": "upper"}.get(head)


def derive_stage(actions: Iterable[ActionLike], *, bill_type: str = "bill",
                 origin_chamber: str | None = None, unicameral: bool = False,
                 session_end: dt.date | None = None, today: dt.date | None = None,
                 ) -> tuple[str, dt.date | None]:
    """Return (stage, date the bill reached it) for actions in chronological order."""
    progress, progress_date = "introduced", None
    setback: tuple[str, dt.date] | None = None
    origin = origin_chamber
    passed_in: set[str] = set()
    overridden_in: set[str] = set()
    for action in actions:
        for cls in action.classification:
            for rule in STAGE_RULES:
                if rule.classification != cls:
                    continue
                chamber = action.actor if action.actor in ("upper", "lower", "legislature") else None
                if cls == "passage" and chamber and origin is None:
                    origin = chamber
                in_origin = chamber is None or origin is None or chamber == origin or unicameral
                if rule.where == "origin" and not in_origin:
                    continue
                if rule.where == "second" and in_origin:
                    continue
                if cls == "passage" and chamber:
                    passed_in.add(chamber)
                stage = rule.stage
                if stage == "override":
                    overridden_in.add(chamber or "legislature")
                    if unicameral or len(overridden_in) >= 2:
                        stage = "enacted"
                    else:
                        continue
                if stage in _SETBACKS:
                    setback = (stage, action.date)
                elif _RANK[stage] > _RANK[progress] or setback:
                    if _RANK[stage] >= _RANK[progress]:
                        progress, progress_date = stage, action.date
                    setback = None
                break
    if bill_type in ("resolution", "concurrent resolution") and not setback:
        needed = 1 if bill_type == "resolution" or unicameral else 2
        if len(passed_in) >= needed:
            return "adopted", progress_date
    if setback:
        return setback
    if (progress != "enacted" and session_end and today and session_end < today):
        return "dead", session_end
    return progress, progress_date


def with_source_stages(stage: str, hints: Sequence[str]) -> str:
    """The derived stage combined with the sources' own stages (best source first).

    The best source's stage wins as before, except that a progress stage never holds a bill
    behind what the union of actions, or another source's progress stage, shows.
    """
    if not hints:
        return stage
    best = hints[0]
    if best in _RANK and stage in _RANK:
        return max([stage, *(h for h in hints if h in _RANK)], key=_RANK.__getitem__)
    return best


def source_stage_date(stage: str, actions: Sequence[ActionLike]) -> dt.date | None:
    """When a bill reached a stage a source gave (not derived from the actions): the latest
    action classified as leading to it, else the bill's latest action (the source's status
    reflects what happened by then at the latest)."""
    leading = {r.classification for r in STAGE_RULES if r.stage == stage}
    for action in reversed(actions):
        if leading & set(action.classification):
            return action.date
    return actions[-1].date if actions else None


def is_final(stage: str) -> bool:
    return stage in FINAL_STAGES


_SETBACK_CLASSES = frozenset({"failure", "executive-veto", "withdrawal"})


def furthest_progress(actions: Iterable[ActionLike], **kwargs) -> str:
    """The furthest step of the usual path a bill reached, whatever befell it after (a bill that
    passed its chamber and then failed in the other one reached `passed_origin`)."""

    @dataclass(frozen=True)
    class _Plain:
        date: dt.date
        actor: str
        classification: list[str]

    kept = [_Plain(a.date, a.actor, [c for c in a.classification if c not in _SETBACK_CLASSES])
            for a in actions]
    stage, _ = derive_stage(kept, **{k: v for k, v in kwargs.items() if k != "session_end"})
    return stage if stage in _RANK else "introduced"
