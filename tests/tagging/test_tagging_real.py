"""The default rules on REAL bills from ../shared/fixtures: education bills get education issue
areas (with explanations), non-education bills (highway, budget, debt limit, ...) get none."""
from __future__ import annotations

import pytest

from tests.conftest import real_fixture
from tests.tagging import realbills
from tracker.tagging.engine import BillText, tag_bill
from tracker.tagging.rules import compile_taxonomy, default_taxonomy


@pytest.fixture(scope="module")
def rules():
    return compile_taxonomy(default_taxonomy())


def slugs(rules, text):
    return {t.slug for t in tag_bill(rules, text)}


EDUCATION = [
    # Federal bills referred to House Education and Labor / Senate HELP.
    (realbills.billstatus, ("billstatus", "v1-actions-committees", "BILLSTATUS-116hr5177.xml"),
     {"homeless-students", "equity", "education-general"}),
    (realbills.billstatus, ("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml"),
     {"education-general"}),
    (realbills.billstatus, ("billstatus", "v1-current", "BILLSTATUS-117hr1.xml"), {"education-general"}),
    # Mississippi charter school, teacher pay and school funding bills (LegiScan XML).
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2012", "bill", "SB2401.xml"),
     {"charter-schools", "charter-authorizing", "charter-facilities", "school-finance"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2013", "bill", "HB369.xml"),
     {"charter-schools", "charter-authorizing", "charter-accountability"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2013", "bill", "SB2189.xml"), {"charter-schools"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2012", "bill", "HB1152.xml"),
     {"charter-schools", "assessment-accountability"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2014", "bill", "HB504.xml"), {"educator-workforce"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2014", "bill", "SB2091.xml"), {"school-finance"}),
    (realbills.legiscan_ms, ("legiscan-ms-xml", "ms-2014", "bill", "HB455.xml"), {"governance-local-control"}),
]


@pytest.mark.parametrize("reader,parts,expected", EDUCATION, ids=[p[-1] for _, p, _ in EDUCATION])
def test_education_bills_get_their_issue_areas(rules, reader, parts, expected):
    got = slugs(rules, reader(real_fixture(*parts)))
    assert expected <= got, f"missing {expected - got}; got {sorted(got)}"


NOT_EDUCATION = [
    (realbills.billstatus, ("billstatus", "legacy-noversion", "BILLSTATUS-114hr22.xml")),   # FAST Act (highways)
    (realbills.billstatus, ("billstatus", "v1-actions-committees", "BILLSTATUS-115s2979.xml")),  # budget rescissions
    (realbills.senate_lis_vote_document, ("votes-senate-lis", "vote_108_2_00213.xml")),      # public debt limit
    (realbills.billstatus, ("billstatus", "v1-current", "BILLSTATUS-117hr6658.xml")),       # tax cuts
    (realbills.billstatus, ("billstatus", "legacy-noversion", "BILLSTATUS-114hres348.xml")),  # Ukraine
    # NY S609-2017: home inspector licensing; "continuing education" must not make it an education bill.
    (realbills.ny_openleg, ("ny-openleg", "api-v3", "bill_S609-2017.json")),
]


@pytest.mark.parametrize("reader,parts", NOT_EDUCATION, ids=[p[-1] for _, p in NOT_EDUCATION])
def test_non_education_bills_get_nothing(rules, reader, parts):
    assert slugs(rules, reader(real_fixture(*parts))) == set()


def test_explanation_says_which_rule_matched_which_words_where(rules):
    text = realbills.legiscan_ms(real_fixture("legiscan-ms-xml", "ms-2014", "bill", "HB504.xml"))
    tag = next(t for t in tag_bill(rules, text) if t.slug == "educator-workforce")
    first = tag.explanation[0]
    assert first["rule"] in ("phrase", "pattern") and first["field"] == "title"
    assert "teacher" in first["matched"].lower()
    assert tag.score == pytest.approx(sum(e["weight"] for e in tag.explanation), abs=1e-3)


@pytest.mark.parametrize("text,expected", [
    (BillText(title="Relates to charter school caps"), {"charter-schools", "charter-caps"}),
    (BillText(title="An act", subjects=["Education--Primary & Secondary--Charter Schools"]),
     {"charter-schools", "education-general"}),
    (BillText(title="Housing choice voucher program"), set()),
    (BillText(title="Requires continuing education for plumbers"), set()),
    (BillText(title="Title I of the Act"), set()),
    (BillText(title="English learner support grants"), {"english-learners", "equity"}),
])
def test_rule_kinds(rules, text, expected):
    assert slugs(rules, text) == expected
