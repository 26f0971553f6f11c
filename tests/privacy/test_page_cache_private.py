"""The page cache (api/page_cache.py) never hands a signed-in visitor's page to anyone else, nor
an anonymous page to a signed-in visitor (issue 19), on the privacy world's real data."""
from __future__ import annotations

from api.app import create_app
from tests.alerts.conftest import SECRET as SECRET_KEY
from tests.privacy import world as w
from tests.privacy.test_private_stances import env  # noqa: F401  (the fixture)
from tracker.db import get_engine
from tracker.settings import get_settings


def test_a_staff_page_is_never_kept_nor_served_a_kept_page(env, tmp_path):  # noqa: F811
    url, _, _ = env
    app = create_app(get_settings())
    world = w.build(get_engine(url), app, tmp_path, SECRET_KEY)
    page = f"/c/edfund/bills/{w.BILL}"
    w.set_position_on_staff_page(world, "oppose", public=False)
    for _ in range(2):   # twice: a kept staff page would answer the second visit
        staff = world.staff.get(page)
        assert staff.status_code == 200 and w.SECRET_RATIONALE in staff.text
        assert "public" not in staff.headers.get("cache-control", "")
    for lang in ("", "?lang=es"):
        for _ in range(2):
            world.client.cookies.clear()
            visitor = world.client.get(page + lang)
            assert visitor.status_code == 200 and not any(s in visitor.text for s in w.SECRET_WORDS)
            assert visitor.headers["etag"]
    # the anonymous page is kept now; the staff member still gets their own, with the private stance
    again = world.staff.get(page, headers={"If-None-Match": visitor.headers["etag"]})
    assert again.status_code == 200 and w.SECRET_RATIONALE in again.text
