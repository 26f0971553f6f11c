"""The compiled BILLSTATUS reader gives exactly the stylesheet's records (skipped when not built)."""
from __future__ import annotations

import pytest
from lxml import etree

from scrapers.formats import billstatus_extract as extract
from scrapers.xmlsafe import parse_xml
from tests.conftest import FIXTURES, real_fixture

pytestmark = pytest.mark.skipif(not extract.compiled(),
                                reason="the compiled reader is not built (no C compiler at install: see setup.py)")


def _both(data: bytes):
    root = parse_xml(data, remove_blank_text=True)
    return extract.records(root, sanitize=False), extract.records(root, sanitize=False, stylesheet=True)


def test_every_real_file_reads_the_same():
    files = sorted((FIXTURES / "billstatus").glob("*/*.xml"))
    if not files:
        real_fixture("billstatus", "v3-future")  # skips, saying where the fixtures should be
    for path in files:
        compiled, stylesheet = _both(path.read_bytes())
        assert compiled == stylesheet, path.name
        assert len(compiled) > 5


@pytest.mark.parametrize("xml", [
    # text split by child elements, CDATA and character references: the whole string value
    b"<billStatus><bill><title>A <i>new</i> <![CDATA[<b>&]]> &#233;tude</title>"
    b"<actions><item><actionDate>2020-01-02</actionDate><text>x</text>"
    b"<committees><item><name>One</name><name>Two</name></item><item><name>Three</name></item></committees>"
    b"</item><item><text/></item></actions></bill></billStatus>",
    # elements in a namespace are not the ones the paths name
    b'<billStatus><bill xmlns="urn:other"><title>no</title></bill><bill><title>yes</title></bill></billStatus>',
    b'<billStatus xmlns="urn:other"><bill><title>no</title></bill></billStatus>',
    b"<other><bill><title>no</title></bill></other>",
    b"<billStatus/>",
    # empty and repeated fields, a processing instruction inside a field
    b"<billStatus><bill><number/><number>2</number><title>a<?pi x?>b</title>"
    b"<textVersions><item><type>T</type><formats><item><url>u1</url></item><item><url>u2</url></item></formats>"
    b"</item></textVersions></bill></billStatus>",
])
def test_edge_cases_read_the_same(xml):
    compiled, stylesheet = _both(xml)
    assert compiled == stylesheet


def test_entity_references_are_left_to_the_stylesheet():
    from scrapers.formats import billstatus_cwalk

    xml = (b'<!DOCTYPE billStatus [<!ENTITY e "expanded">]>'
           b"<billStatus><bill><title>a &e; b</title></bill></billStatus>")
    # parse_xml refuses documents declaring entities; the compiled reader stays defensive all
    # the same, for a tree built some other way (an internal entity only: nothing is loaded)
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, remove_blank_text=True,
                                                 no_network=True, load_dtd=False))
    assert billstatus_cwalk.records(root, *extract._C_LAYOUT) is None
    assert extract.records(root, sanitize=False) == extract.records(root, sanitize=False, stylesheet=True)
