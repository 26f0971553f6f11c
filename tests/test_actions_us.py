"""Federal action classification rules, on action texts copied from the real BILLSTATUS fixtures."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cli.main import app
from scrapers.xmlsafe import parse_xml
from tests.conftest import real_fixture
from tracker.actions.rules import AnyOf, HintIndex, Rule, alternatives, compile_lower
from tracker.actions.us import US_CLASSIFIER, US_RULES, chamber_of_code, classify

# (text, action code, BILLSTATUS source system) -> (classifications, actor); texts verbatim from
# ../shared/fixtures/billstatus/*
CASES = [
    (("Introduced in House", "Intro-H", "9"), (["introduction"], "lower")),
    (("Introduced in Senate", "10000", "9"), (["introduction"], "upper")),
    (("Referred to the House Committee on Education and Labor.", "H11100", "2"), (["referral-committee"], "lower")),
    (("Read twice and referred to the Committee on Health, Education, Labor, and Pensions.", None, "0"),
     (["reading-1", "reading-2", "referral-committee"], "upper")),
    (("Read twice and referred to the Committee on the Judiciary. (Sponsor introductory remarks on measure: CR S2798)",
      None, "0"), (["reading-1", "reading-2", "referral-committee"], "upper")),
    (("Sponsor introductory remarks on measure. (CR S2798)", "B00100", "9"), ([], "legislature")),
    (("Referred to the Subcommittee on Communications and Technology.", None, "1"), (["referral-committee"], "lower")),
    (("Ordered to be Reported by Voice Vote.", None, "1"), (["committee-passage-favorable"], "lower")),
    (("Committee on Finance. Reported by Senator Hatch without amendment. With written report No. 114-3.", None, "0"),
     (["committee-passage"], "upper")),
    (("Reported (Amended) by the Committee on Natural Resources. H. Rept. 114-602, Part I.", "H12200", "2"),
     (["committee-passage"], "lower")),
    (("Committee on Education and the Workforce discharged.", "H12300", "2"), (["discharge"], "lower")),
    (("Rules Committee Resolution H. Res. 546 Reported to House. Rule provides for consideration of the "
      "conference report to H.R. 22.", "H1L210", "2"), ([], "lower")),
    (("Rule H. Res. 546 passed House.", "H1L220", "2"), ([], "lower")),
    (("On motion to recommit Failed by the Yeas and Nays: 210 - 219 (Roll no. 61).", "H36210", "2"), ([], "lower")),
    (("Motion to reconsider laid on the table Agreed to without objection.", "H38310", "2"), ([], "lower")),
    (("Cloture on the measure invoked in Senate by Yea-Nay Vote. 65 - 35. Record Vote Number: 259. "
      "(consideration: CR S6092; text: CR S6092)", None, "0"), ([], "upper")),
    (("Motion to proceed to consideration of measure withdrawn in Senate. (consideration: CR S5057)", None, "0"),
     ([], "upper")),
    (("On passage Passed by recorded vote: 297 - 127 (Roll no. 288).", "H37100", "2"), (["passage"], "lower")),
    (("On motion to suspend the rules and pass the bill Agreed to by the Yeas and Nays: (2/3 required): "
      "412 - 0 (Roll no. 7). (text: CR H29)", "H37300", "2"), (["passage"], "lower")),
    (("On motion to suspend the rules and agree to the resolution, as amended Agreed to by the Yeas and Nays: "
      "(2/3 required): 413 - 4 (Roll no. 552).", "H37300", "2"), (["passage"], "lower")),
    (("Resolution agreed to in Senate without amendment by Unanimous Consent. (consideration: CR S6765)", None, "0"),
     (["passage"], "upper")),
    (("Passed Senate with an amendment and an amendment to the Title by Yea-Nay Vote. 65 - 34. "
      "Record Vote Number: 260.", None, "0"), (["passage"], "upper")),
    (("Introduced in the Senate, read twice, considered, read the third time, and passed without amendment by "
      "Unanimous Consent. (consideration: CR S6065-6066)", None, "0"),
     (["introduction", "reading-1", "reading-2", "reading-3", "passage"], "upper")),
    (("Received in the House.", "H14000", "2"), (["receipt"], "lower")),
    (("The House adopted the amendment in the nature of a substitute as agreed to by the Committee of the Whole "
      "House on the state of the Union.", "H34400", "2"), (["amendment-passage"], "lower")),
    (("On motion to agree to the House amendments en gros Agreed to by recorded vote: 363 - 64 (Roll no. 623).",
      "H36610", "2"), (["amendment-passage"], "lower")),
    (("Senate appointed conferees Inhofe, Thune, Hatch, Murkowski, Fischer, Barrasso, Cornyn, Boxer, Brown.",
      None, "0"), (["conference"], "upper")),
    (("Senate agreed to conference report, under the order of 12/3/2015, having achieved 60 votes in the "
      "affirmative, by Yea-Nay Vote. 83 - 16. Record Vote Number: 331.", None, "0"), (["conference"], "upper")),
    (("Presented to President.", "E20000", "2"), (["executive-receipt"], "executive")),
    (("Signed by President.", "36000", "9"), (["executive-signature"], "executive")),
    (("Became Public Law No: 114-94.", "E40000", "2"), (["became-law"], "executive")),
    (("Placed on the Union Calendar, Calendar No. 468.", "H12410", "2"), ([], "lower")),
    (("DEBATE - The House proceeded with forty minutes of debate on S. 1300.", "H8D000", "2"), ([], "lower")),
]


@pytest.mark.parametrize("given,expected", CASES, ids=[c[0][0][:40] for c in CASES])
def test_real_action_texts(given, expected):
    result = classify(*given)
    assert (result.classifications, result.actor) == expected


@pytest.mark.parametrize("text,vote", [
    ("On passage Passed by the Yeas and Nays: 220 - 210 (Roll no. 62).",
     {"chamber": "lower", "vote_type": "roll", "result": "pass", "roll_number": "62", "counts": {"yes": 220, "no": 210}}),
    ("Cloture on the motion to proceed to the measure not invoked in Senate by Yea-Nay Vote. 41 - 56. "
     "Record Vote Number: 250.",
     {"chamber": "upper", "vote_type": "roll", "result": "fail", "roll_number": "250", "counts": {"yes": 41, "no": 56}}),
    ("On motion that the Committee rise Agreed to by voice vote.",  # no chamber in the words
     {"chamber": None, "vote_type": "voice", "result": "pass", "roll_number": None}),
    ("Passed Senate without amendment by Unanimous Consent.",
     {"chamber": "upper", "vote_type": "unanimous consent", "result": "pass", "roll_number": None}),
    ("Conference report H. Rept. 114-357 filed.", None),  # "114-357" is not a tally
    ("Motion by Senator McConnell to reconsider the vote by which cloture was not invoked (Record Vote No. 250) "
     "entered in Senate.", {"chamber": "upper", "vote_type": "roll", "result": "fail", "roll_number": None}),
])
def test_vote_details(text, vote):
    assert classify(text).vote == vote


def test_chamber_of_code():
    assert [chamber_of_code(c) for c in ("H11100", "E40000", "Intro-H", "8000", "17000", "36000", None)] == [
        "lower", "executive", "lower", "lower", "upper", None, None]


def test_rules_are_data_and_checked():
    assert all(isinstance(r, Rule) for r in US_RULES)
    with pytest.raises(ValueError, match="unknown classification"):
        Rule(("passed",), pattern="x")
    with pytest.raises(ValueError, match="pattern or action codes"):
        Rule(("passage",))


def _real_action_texts() -> set[str]:
    """Every action text of the BILLSTATUS and Congress.gov fixtures, amendments' actions included."""
    texts = {given[0] for given, _ in CASES}
    for path in real_fixture("billstatus").glob("*/*.xml"):
        root = parse_xml(path.read_bytes())
        texts.update(el.text.strip() for el in root.iterfind(".//actions/item/text") if el.text)
    for path in real_fixture("congress-gov-api-json").rglob("*actions*.json"):
        for action in json.loads(path.read_text()).get("actions", []):
            texts.add(action.get("text") or "")
    return {t for t in texts if t}


def test_lower_cased_patterns_match_as_case_insensitive_ones():
    texts = _real_action_texts()
    for rule in [*US_CLASSIFIER.rules, *US_CLASSIFIER.vote_rules, *US_CLASSIFIER.chamber_rules]:
        if rule.pattern:
            insensitive = re.compile(rule.pattern, re.I)
            assert [bool(insensitive.search(t)) for t in texts] == [bool(rule.regex.search(t.lower())) for t in texts]
    assert compile_lower(r"\bRoll no\.\s*(\d+)\S").pattern == r"\broll no\.\s*(\d+)\S"


def test_hints_never_hide_a_match():
    """A hint only skips a regex that could not match: on every real action text, whenever a
    rule's pattern matches, one of its hints is in the lower-cased text."""
    texts = _real_action_texts()
    assert len(texts) > 300
    rows = [("rule", r.pattern, r.regex, r.hint) for r in US_CLASSIFIER.rules if r.regex is not None]
    rows += [("vote rule", r.pattern, r.regex, r.hint) for r in US_CLASSIFIER.vote_rules]
    rows += [("chamber rule", r.pattern, r.regex, r.hint) for r in US_CLASSIFIER.chamber_rules]
    missed = []
    for kind, pattern, regex, hints in rows:
        assert all(h == h.lower() for h in hints), f"{kind} {pattern!r}: hints must be lower case"
        if not hints:
            continue
        missed += [(kind, pattern, t) for t in texts
                   if regex.search(t.lower()) and not any(h in t.lower() for h in hints)]
    assert not missed, missed[:5]
    tally_texts = [t for t in texts if US_CLASSIFIER._tally.search(t)]
    assert tally_texts and all(US_CLASSIFIER.tally_hint in t for t in tally_texts)


def test_hint_index_finds_every_row_whose_hint_occurs():
    """One automaton pass must report exactly the rows a substring search per hint would:
    overlapping hints ("not agreed to" holds "agreed to"), hints sharing a start, repeats."""
    rows = [("agreed to",), ("not agreed to", "failed"), (), ("passed", "passed house"), ("house",)]
    index = HintIndex(rows)

    def naive(text: str) -> int:
        return sum(1 << i for i, hints in enumerate(rows) if not hints or any(h in text for h in hints))

    for text in ("motion not agreed to", "passed house", "passed", "house house", "", "failed; agreed to"):
        assert index.rows(text) == naive(text), text
    assert index.rows("nothing here") == 0b100  # only the row without hints
    assert HintIndex([(), ()]).rows("anything") == 0b11

    table = [r.hint for r in (*US_CLASSIFIER.rules, *US_CLASSIFIER.vote_rules, *US_CLASSIFIER.chamber_rules)]
    real = HintIndex(table)
    for text in _real_action_texts():
        lower = text.lower()
        assert real.rows(lower) == sum(1 << i for i, hints in enumerate(table)
                                       if not hints or any(h in lower for h in hints)), text


def test_alternatives_split_only_at_the_top_level():
    assert alternatives(r"a|b(c|d)|[|]|\||[]|]x|[^]|]y") == ["a", "b(c|d)", "[|]", r"\|", "[]|]x", "[^]|]y"]
    assert alternatives("plain") == ["plain"]
    assert alternatives("a|") == ["a", ""]


def test_any_of_answers_as_the_whole_pattern_does():
    """Trying each alternative (from its literal) must say "found" exactly when the pattern
    does, for every rule and vote rule, on every real action text."""
    texts = [t.lower() for t in _real_action_texts()]
    rules = [r for r in (*US_CLASSIFIER.rules, *US_CLASSIFIER.vote_rules) if r.pattern]
    for rule in rules:
        assert [rule.matcher.search(t) for t in texts] == [bool(rule.regex.search(t)) for t in texts], rule.pattern
    assert sum(len(r.matcher.parts) > 1 for r in rules) >= 10
    tricky = AnyOf(r"^on (passage)\b|\bpassed (by|without) [a-z]+|x{2}|[(]note\)")
    for text in ("on passage", "it passed by voice", "xx", "(note)", "passed  by", "no passage", ""):
        assert tricky.search(text) == bool(compile_lower(
            r"^on (passage)\b|\bpassed (by|without) [a-z]+|x{2}|[(]note\)").search(text)), text


def test_cli_classify_prints_stage_after_each_action():
    texts = ["Introduced in House",
             "Referred to the House Committee on Education and Labor.",
             "Rule H. Res. 546 passed House.",
             "On passage Passed by the Yeas and Nays: 220 - 210 (Roll no. 62).",
             "Passed Senate without amendment by Unanimous Consent.",
             "Presented to President.",
             "Signed by President."]
    out = CliRunner().invoke(app, ["actions", "classify", "--jurisdiction", "us"], input="\n".join(texts) + "\n")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["stage"] for r in rows] == ["introduced", "in_committee", "in_committee", "passed_origin",
                                          "passed_second", "to_executive", "enacted"]
    assert rows[3]["vote"]["roll_number"] == "62" and rows[2]["classification"] == []


def test_cli_resolution_and_unknown_jurisdiction():
    out = CliRunner().invoke(app, ["actions", "classify", "--bill-type", "resolution"],
                             input="Resolution agreed to in Senate without amendment by Unanimous Consent.\n")
    assert json.loads(out.stdout)["stage"] == "adopted"
    bad = CliRunner().invoke(app, ["actions", "classify", "--jurisdiction", "zz"], input="x\n")
    assert bad.exit_code != 0
