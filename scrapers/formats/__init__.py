"""The registry of import formats. Each module listed here defines `FORMAT` (or `FORMATS`)."""
from __future__ import annotations

import importlib

from scrapers.formats.base import BundleFormat, DirTree, FileFormat, Item, SimpleFormat, Tree, ZipTree

# One module per source format; adding a source adds a line here.
_MODULES = (
    "scrapers.formats.jsonl",
    "scrapers.formats.billstatus",
    "scrapers.formats.congress_api",
    "scrapers.formats.congress_legislators",
    "scrapers.formats.house_clerk",
    "scrapers.formats.senate_lis",
    "scrapers.formats.uscongress_votes",
    "scrapers.formats.openstates_people",
    "scrapers.formats.openstates_csv",
    "scrapers.formats.legiscan_json",
    "scrapers.formats.legiscan_xml",
    "scrapers.formats.ny_openleg",
    "scrapers.formats.ca_pubinfo",
    "scrapers.formats.uslm",
    "scrapers.formats.billxml",
    "scrapers.formats.caml_file",
)


def all_formats() -> list:
    """Every registered format, bundle formats first, then by priority (people before votes)."""
    found = []
    for name in _MODULES:
        mod = importlib.import_module(name)
        found.extend(getattr(mod, "FORMATS", None) or [mod.FORMAT])
    return sorted(found, key=lambda f: (not hasattr(f, "claim"), f.priority, f.name))


__all__ = ["BundleFormat", "DirTree", "FileFormat", "Item", "SimpleFormat", "Tree", "ZipTree",
           "all_formats"]
