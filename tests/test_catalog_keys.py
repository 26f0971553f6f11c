"""A catalog key written twice is a silent bug (YAML keeps the last one): merges of parallel work
do this. Every message catalog is read with a loader that refuses duplicate keys."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted([*ROOT.glob("api/i18n/*.yaml"), *ROOT.glob("api/templates/**/messages.yaml"),
                   *ROOT.glob("tracker/**/templates/messages.yaml")])


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dups = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dups:
        raise ValueError(f"line {node.start_mark.line + 1}: keys written twice: {', '.join(dups)}")
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_catalogs():
    assert len(CATALOGS) >= 3, CATALOGS


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_key_written_twice(path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_the_check_catches_a_duplicate():
    with pytest.raises(ValueError, match="keys written twice: a"):
        yaml.load("top:\n  a: 1\n  a: 2\n", Loader=_StrictLoader)
