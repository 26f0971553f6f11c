"""Signed links: the tokens edtracker writes are itsdangerous's own format (links in emails sent
before and after any change keep working), and a token for one purpose opens nothing else."""
from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer

from tracker.alerts.tokens import BadToken, make_token, read_token

SECRET = "token-test-" + "k" * 40


@pytest.mark.parametrize("subscription", [None, 7, 10 ** 12])
def test_tokens_are_itsdangerous_url_safe_timed_tokens(subscription):
    stock = URLSafeTimedSerializer(SECRET, salt="edtracker-alerts-unsubscribe")
    ours = make_token(SECRET, "unsubscribe", 42, 3, subscription)
    assert stock.loads(ours) == {"s": 42, "v": 3, "sub": subscription}
    if subscription != 10 ** 12:  # (the stock one zlib-compresses a long run of zeros; ours never does)
        assert ours.split(".")[0] == stock.dumps({"s": 42, "v": 3, "sub": subscription}).split(".")[0]


def test_compressed_tokens_still_read_and_purposes_do_not_mix():
    stock = URLSafeTimedSerializer(SECRET, salt="edtracker-alerts-preferences")
    padded = stock.dumps({"s": 5, "v": 1, "sub": None, "pad": "a" * 200})   # long enough to be compressed
    assert padded.startswith(".")
    assert read_token(SECRET, "preferences", padded)["s"] == 5
    with pytest.raises(BadToken):
        read_token(SECRET, "unsubscribe", make_token(SECRET, "preferences", 5, 1))
