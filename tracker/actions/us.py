"""Federal (Congress) action classification: the rule tables and who-acted logic.

Texts and codes are the ones Congress.gov / GovInfo BILLSTATUS publish; codes are documented
in GPO's user guide (https://github.com/usgpo/bill-status, "Action Code Element Possible
Values"), which warns the list is incomplete and that codes were reused: text rules do most of
the work, codes decide only where they are unambiguous.

Row order matters only for `final` rows: procedural actions (rules for consideration, motions to
reconsider, recommit, cloture, previous question, debate) come first and stop the table, because
their words ("passed House", "Agreed to", "Reported to House") would otherwise read as progress
of the bill itself.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Iterable

from tracker.actions.rules import ChamberRule, Classified, Classifier, Rule, VoteRule
from tracker.bills.stage import derive_stage

_PROCEDURAL_CODES = (
    "H1L210", "H1L220",            # a rule (H.Res.) for consideration reported / passed
    "H35000", "H41400", "H42300", "H8A000",  # previous question ordered
    "H38310", "H42831",            # motion to reconsider laid on the table
    "H8D000",                      # debate and floor announcements
    "H30000", "H30200", "H30300",  # considered / unanimous consent request / motion to suspend
    "H32020", "H32050", "H32340", "H32341", "H32400", "H32600", "H32700",  # Committee of the Whole
    "H38900", "H40150", "H40200", "H37220", "H12410", "H15000", "B00100",
)

US_RULES: tuple[Rule, ...] = (
    # --- procedural: no classification, stop -------------------------------------------------
    Rule(codes=_PROCEDURAL_CODES, final=True),
    Rule(pattern=r"^Rules? Committee Resolution|^Rule H\. ?Res\. ?\d+ (passed|agreed)|Rule provides for consideration",
         hint="rule", final=True),
    Rule(pattern=r"\breconsider", hint="reconsider", final=True),
    Rule(pattern=r"previous question", hint="previous question", final=True),
    Rule(pattern=r"\bcloture\b", hint="cloture", final=True),
    Rule(pattern=r"motion to proceed", hint="proceed", final=True),
    Rule(pattern=r"\b(motion to|moved to|moves to) (re)?commit\b|\bto commit to\b", hint=("to commit", "to recommit"),
         final=True),
    Rule(pattern=r"motion to (table|waive)|point of order|to lay on the table",
         hint=("motion to table", "motion to waive", "point of order", "lay on the table"), final=True),
    Rule(pattern=r"to instruct (the )?(House |Senate )?conferees|moved that the House instruct",
         hint="instruct", final=True),
    Rule(pattern=r"resolved (itself )?into (the )?Committee of the Whole|rose from the Committee of the Whole"
                 r"|Committee of the Whole House on the state of the Union rises|that the Committee rise",
         hint=("resolved", "rose from", "union rises", "committee rise"), final=True),
    Rule(pattern=r"^(GENERAL )?DEBATE -|POSTPONED PROCEEDINGS|UNFINISHED BUSINESS|^Considered\b"
                 r"|Measure laid before|Mark-?up Session Held|Hearings held|Held at the desk"
                 r"|^Placed on (the )?(Union|House|Private|Senate Legislative) Calendar|^Message on (Senate|House) action"
                 r"|^Conference papers|Clerk was authorized|asked unanimous consent|designated the Honorable"
                 r"|^Sponsor introductory remarks|Forwarded by Subcommittee|^Pursuant to",
         hint=("debate -", "postponed", "unfinished", "considered", "laid before", "up session held", "hearings held",
               "held at",
               "placed on", "message on", "conference papers", "clerk was", "unanimous consent", "designated",
               "introductory", "forwarded", "pursuant"), final=True),
    Rule(pattern=r"veto message", hint="veto message", final=True),
    # --- veto overrides before passage and failure --------------------------------------------
    Rule(("veto-override-failure",), pattern=r"failed of passage[^.]*over (the )?veto"
         r"|objections of the President to the contrary notwithstanding,? Failed", hint=("veto", "objections"),
         final=True),
    Rule(("veto-override-passage",), pattern=r"passed (House|Senate) over (the )?veto|over (the )?veto\b[^.]*passed"
         r"|objections of the President to the contrary notwithstanding,? (Passed|Agreed)",
         hint=("veto", "objections"), final=True),
    # --- the President -------------------------------------------------------------------------
    Rule(("executive-receipt",), codes=("E20000", "28000"), actor="executive"),
    Rule(("executive-receipt",), pattern=r"^Presented to (the )?President", hint="president",
         actor="executive"),
    Rule(("executive-signature",), codes=("E30000",), actor="executive"),
    Rule(("executive-signature",), pattern=r"^Signed by (the )?President", hint="signed", actor="executive"),
    Rule(("executive-veto",), pattern=r"^(Pocket )?Vetoed by (the )?President", hint="vetoed",
         actor="executive"),
    Rule(("became-law",), codes=("E40000",), actor="executive"),
    Rule(("became-law",), pattern=r"^Became (Public|Private) Law", hint="became", actor="executive"),
    # --- introduction, receipt, referral --------------------------------------------------------
    Rule(("introduction",), codes=("Intro-H", "1000", "10000")),
    Rule(("introduction",), pattern=r"^Introduced in (the )?(House|Senate)", hint="introduced"),
    Rule(("receipt",), pattern=r"^Received in the (House|Senate)", hint="received"),
    Rule(("reading-1", "reading-2"), pattern=r"\bread twice\b", hint="read twice"),
    Rule(("reading-3",), pattern=r"\bread (the|a) third time\b", hint="third time"),
    Rule(("referral-committee",), codes=("H11100", "H11200", "2000", "11000")),
    Rule(("referral-committee",), pattern=r"\breferred\b[^.]*\bto\b[^.]*\b(sub)?committees?\b", hint="referred"),
    # --- committees ----------------------------------------------------------------------------
    Rule(("committee-passage-favorable",), pattern=r"\bordered to be reported\b", hint="ordered to be reported"),
    Rule(("committee-passage",), codes=("H12100", "H12200", "5000", "14000")),
    Rule(("committee-passage",), pattern=r"^Reported\b[^.]*\bby (the )?(Committee|Senator)|\. Reported by Senator"
         r"|^Reported to (House|Senate)", hint="reported"),
    Rule(("discharge",), codes=("H12300", "5500", "14500")),
    Rule(("discharge",), pattern=r"\bdischarged\b", hint="discharged"),
    # --- amendments and differences between the chambers ---------------------------------------
    Rule(("amendment-failure",), pattern=r"^On agreeing to the .{0,160}?amendments?\b.*\b(Failed|not agreed to)\b"
         r"|^Amendment (SA|HA)? ?\d+[^.]* not agreed to", hint=("failed", "not agreed to")),
    Rule(("amendment-passage",), pattern=r"^On agreeing to the .{0,160}?amendments?\b.*\bAgreed to\b"
         r"|^On motion to agree to the .*amendments?.*\bAgreed to\b|adopted the amendment"
         r"|^Amendment (SA|HA)? ?\d+[^.]* agreed to", hint=("agreed to", "adopted the amendment")),
    Rule(("amendment-introduction",), pattern=r"^Amendment (SA|HA)? ?\d+ proposed by", hint="proposed"),
    Rule(("amendment-withdrawal",), pattern=r"\bamendment[^.]*\bwas withdrawn|^Amendment (SA|HA)? ?\d+[^.]* withdrawn",
         hint="withdrawn"),
    # the House agreeing to the Senate's amendment or the reverse; "agree to the House amendments en
    # gros" is the House adopting its own amendments, not a concurrence
    Rule(("concurrence",), pattern=r"\bHouse (?:agree|agreed|agrees|concur|concurred|concurs) (?:in|to) the Senate amendment"
         r"|\bSenate (?:agree|agreed|agrees|concur|concurred|concurs) (?:in|to) the House amendment",
         hint=("house agree", "house concur", "senate agree", "senate concur")),
    Rule(("conference",), codes=("20700", "20800", "20900")),
    Rule(("conference",), pattern=r"\bconfer(ence|ees)\b", hint="confer"),
    # --- passage and failure --------------------------------------------------------------------
    Rule(("passage",), codes=("8000", "17000")),
    Rule(("failure",), pattern=r"^Failed of passage|^Failed of passage/not agreed to"
         r"|\b(resolution|measure|bill) not (agreed to|passed)\b"
         r"|^On (motion to suspend the rules and )?(passage|pass the bill|agree(ing)? to the "
         r"(resolution|concurrent resolution|joint resolution))\b[^.]*\bFailed\b",
         hint=("fail", "not agreed", "not passed")),
    Rule(("passage",), pattern=r"^Passed/agreed to in (House|Senate)|^Passed (the )?(House|Senate)\b"
         r"|\bpassed (without|with an?) amendments?\b|\bpassed (by|without objection)\b"
         r"|\b(resolution|measure|bill)s? (as amended )?(agreed to|passed) (in|by) (the )?(House|Senate)\b"
         r"|^On (motion to suspend the rules and )?(passage|pass the bill|agree(ing)? to the "
         r"(resolution|concurrent resolution|joint resolution))\b[^.]*\b(Passed|Agreed to)\b",
         hint=("passed", "agreed to")),
    Rule(("passage",), pattern=r"\b(resolution|measure|bill)s? (as amended )?agreed to\b|^On agreeing to the "
         r"(resolution|concurrent resolution|joint resolution)\b[^.]*\bAgreed to\b", hint="agreed to"),
    Rule(("withdrawal",), pattern=r"\b(bill|measure|resolution) withdrawn by (the )?sponsor", hint="withdrawn"),
)

US_VOTE_RULES: tuple[VoteRule, ...] = (
    VoteRule(r"Yea-Nay Vote|the Yeas and Nays|recorded vote|Roll no\.|Record Vote (Number|No)", vote_type="roll",
             hint=("yea", "roll", "record")),
    VoteRule(r"\bvoice vote\b", vote_type="voice", hint="voice"),
    VoteRule(r"\bunanimous consent\b|\bwithout objection\b", vote_type="unanimous consent",
             hint=("unanimous", "objection")),
    # failure first: "not agreed to" contains "agreed to"
    VoteRule(r"\b(Failed|not agreed to|not invoked|not sustained|rejected)\b", result="fail",
             hint=("fail", "not ", "rejected")),
    VoteRule(r"\b(Passed|Agreed to|invoked|adopted|sustained|ordered to be reported)\b", result="pass",
             hint=("pass", "agreed", "invoked", "adopted", "sustained", "ordered to be reported")),
)

# One row per phrase (rows are tried in order, the first that matches names the chamber):
# a literal search per row is cheaper than one alternation tried at every position of the text.
_HOUSE_ONLY = ("Roll no.", "the Yeas and Nays", "recorded vote", "Union Calendar", "House Calendar",
               "Committee of the Whole", "suspend the rules", "Rules Committee")
_SENATE_ONLY = ("Record Vote No", "Yea-Nay Vote", "Senate Legislative Calendar", "Presiding Officer")

US_CHAMBER_RULES: tuple[ChamberRule, ...] = (
    ChamberRule(r"^Received in the (House|Senate)", hint="received in the "),
    ChamberRule(r"^Message on (House|Senate) action", hint="message on "),
    ChamberRule(r"\bpassed (House|Senate)\b", hint=("passed house", "passed senate")),
    ChamberRule(r"\b(?:to|by) the (House|Senate) Committee", hint=("the house committee", "the senate committee")),
    ChamberRule(r"\bin (?:the )?(House|Senate)\b", hint=("in house", "in senate", "in the house", "in the senate")),
    *(ChamberRule(re.escape(phrase), chamber="lower", hint=phrase.lower()) for phrase in _HOUSE_ONLY),
    ChamberRule(r"\bthe Speaker\b", chamber="lower", hint="the speaker"),
    ChamberRule(r"H\. ?Rept\.", chamber="lower", hint="rept."),
    *(ChamberRule(re.escape(phrase), chamber="upper", hint=phrase.lower()) for phrase in _SENATE_ONLY),
    ChamberRule(r"\bRead twice\b", chamber="upper", hint="read twice"),
    ChamberRule(r"\bSenator\b", chamber="upper", hint="senator"),
)

US_CLASSIFIER = Classifier(
    rules=US_RULES, vote_rules=US_VOTE_RULES, chamber_rules=US_CHAMBER_RULES,
    # House: "(Roll no. 288)"; Senate: "Record Vote Number: 260" (older texts: "Record Vote No: 12")
    roll_patterns=(r"Roll no\.\s*(\d+)", r"Record Vote (?:Number|No)\.?:\s*(\d+)"),
    # "412 - 0", "83 - 16": spaces around the dash, so "H. Rept. 114-357" is not a tally
    tally_pattern=r"\b(\d{1,3}) - (\d{1,3})\b", tally_hint=" - ",
)

# BILLSTATUS sourceSystem/code: 0 Senate, 1 House committee actions, 2 House floor actions,
# 9 Library of Congress (which reports both chambers, so it tells nothing by itself).
SOURCE_SYSTEM_CHAMBER = {"0": "upper", "1": "lower", "2": "lower"}


def chamber_of_code(code: str | None) -> str | None:
    """The actor an action code implies: H* House, E* executive, LoC 1000-9999 House, 10000-19999 Senate."""
    if not code:
        return None
    if code[0] == "H" or code == "Intro-H":
        return "lower"
    if code[0] == "E":
        return "executive"
    if code.isdigit():
        n = int(code)
        if n < 10000:
            return "lower"
        if n < 20000:
            return "upper"
    return None


def classify(text: str, code: str | None = None, source_system: str | None = None,
             default_actor: str | None = None) -> Classified:
    """Classify one federal action from its text, code and BILLSTATUS source system.

    The actor is, in order: what a rule says (the President's actions), the source system
    (the Senate's and the House's own systems), the action code, the text, `default_actor`.
    """
    found = _classify_cached(text, code, source_system, default_actor)
    return Classified(list(found.classifications), found.actor, copy_vote(found.vote), list(found.rules))


def classify_shared(text: str, code: str | None = None, source_system: str | None = None,
                    default_actor: str | None = None) -> Classified:
    """`classify`, without the copy: the memoized result itself, which the caller must not change."""
    return _classify_cached(text, code, source_system, default_actor)


def copy_vote(vote: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a memoized vote dict that the caller may change (its only nested value is `counts`)."""
    # plain dict copies: copy.deepcopy cost a fifth of a cold BILLSTATUS normalization
    if not vote:
        return None
    out = dict(vote)
    counts = out.get("counts")
    if counts is not None:
        out["counts"] = dict(counts)
    return out


@lru_cache(maxsize=16384)
def _classify_cached(text: str, code: str | None, source_system: str | None,
                     default_actor: str | None) -> Classified:
    # The same texts come back thousands of times in a congress ("Introduced in House",
    # "Motion to reconsider laid on the table Agreed to without objection."): classify each once.
    actor = SOURCE_SYSTEM_CHAMBER.get(source_system or "") or chamber_of_code(code)
    result = US_CLASSIFIER.classify(text, code, actor=actor)
    if result.actor is None:
        result.actor = default_actor or "legislature"
        if result.vote and result.vote["chamber"] is None and result.actor in ("upper", "lower"):
            result.vote["chamber"] = result.actor
    return result


def clear_cache() -> None:
    """Forget memoized classifications (after the rule table changed, or to time a cold run)."""
    _classify_cached.cache_clear()


class _Action:
    __slots__ = ("date", "actor", "classification")

    def __init__(self, date: dt.date, actor: str, classification: list[str]):
        self.date, self.actor, self.classification = date, actor, classification


def classify_sequence(texts: Iterable[str], *, bill_type: str = "bill",
                      origin_chamber: str | None = None) -> Iterable[dict[str, Any]]:
    """Classify action texts of one bill in order; each result carries the stage after that action.

    Used by `edtracker actions classify`: texts only, so the actor comes from the words.
    """
    done: list[_Action] = []
    day = dt.date(2000, 1, 1)
    origin = origin_chamber
    for text in texts:
        result = classify(text, default_actor=origin)
        if origin is None and result.actor in ("lower", "upper"):
            origin = result.actor  # texts name no chamber often: the first one named is the origin
        done.append(_Action(day, result.actor or "legislature", result.classifications))
        stage, _ = derive_stage(done, bill_type=bill_type, origin_chamber=origin)
        yield {"text": text, **result.as_dict(), "stage": stage}
