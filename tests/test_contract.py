"""The ingest contract's closed vocabularies and the tidying BillIn does on its children."""
from __future__ import annotations

import pytest

from tracker.contract import RecordError, build


def _bill(**changes) -> dict:
    data = {"type": "bill", "jurisdiction": "us", "session": "118", "identifier": "HR 1", "title": "A bill",
            "source": {"url": "https://example.test/hr1.xml", "format": "test"},
            "actions": [{"date": "2023-01-09", "description": "Introduced in House", "actor": "lower",
                         "classification": ["introduction", "referral-committee", "introduction"]}],
            "sponsorships": [{"name": "Rep. Doe", "ids": {"bioguide": "D000001", "lis": ""}, "primary": True}]}
    data.update(changes)
    return data


def test_repeated_classifications_and_empty_ids_are_dropped():
    bill = build("bill", _bill())
    assert bill.actions[0].classification == ["introduction", "referral-committee"]
    assert bill.sponsorships[0].ids == {"bioguide": "D000001"}


@pytest.mark.parametrize("field, value, words", [
    ("actor", "senate", "actions.0.actor"),
    ("classification", ["passage", "passed"], "actions.0.classification.1"),
])
def test_unknown_action_vocabulary_names_the_field(field, value, words):
    data = _bill()
    data["actions"][0][field] = value
    with pytest.raises(RecordError) as err:
        build("bill", data)
    assert err.value.source == "https://example.test/hr1.xml" and err.value.record == "us-118-hr1"
    assert words in str(err.value)


def test_unknown_sponsor_id_scheme_is_refused():
    data = _bill(sponsorships=[{"name": "Rep. Doe", "ids": {"twitter": "doe"}, "primary": True}])
    with pytest.raises(RecordError) as err:
        build("bill", data)
    assert err.value.field.startswith("sponsorships.0.ids") and "bioguide" in str(err.value)
