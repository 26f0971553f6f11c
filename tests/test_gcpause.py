"""`tracker.ingest.gcpause.gc_paused`: no cyclic collection inside, the collector's state as it
was after (also after an error), so an import never leaves it off."""
from __future__ import annotations

import gc

import pytest

from tracker.ingest.gcpause import gc_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_on_again_after(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with gc_paused():
            raise RuntimeError("a batch failed")
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off(collector_on):
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_ingest_leaves_the_collector_on(collector_on, engine):
    import datetime as dt

    from tracker.contract import BillIn
    from tracker.ingest import Ingestor

    bill = BillIn.model_validate({"jurisdiction": "us", "session": "119", "identifier": "H.R. 7", "title": "A bill",
                                  "source": {"url": "https://example.org/7", "format": "test-json"}})
    report = Ingestor(engine, today=dt.date(2026, 6, 1)).ingest([bill])
    assert report.summary()["insert"] == 1
    assert gc.isenabled()
