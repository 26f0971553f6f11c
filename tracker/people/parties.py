"""Party names as sources spell them ("Democrat", "Democratic", "D") and the one key each means,
so that a filter on "democratic" finds them all and pages name them in the reader's language."""
from __future__ import annotations

# Spelling (lowercase) -> party key. A spelling not listed is its own party (shown as spelled).
PARTY_KEYS = {
    "democratic": "democratic", "democrat": "democratic", "d": "democratic", "dem": "democratic",
    "republican": "republican", "r": "republican", "rep": "republican",
    "independent": "independent", "i": "independent", "ind": "independent",
    "libertarian": "libertarian", "l": "libertarian", "green": "green",
    "nonpartisan": "nonpartisan", "democratic-farmer-labor": "dfl",
    "working families": "working_families", "conservative": "conservative",
}


def party_key(party: str | None) -> str | None:
    """The key of a party as a source spells it; unknown parties are their own lowercase key."""
    if not party or not party.strip():
        return None
    spelled = party.strip().lower()
    return PARTY_KEYS.get(spelled, spelled)


def spellings(key: str) -> set[str]:
    """Every lowercase spelling that means the party `key` (for a filter in SQL)."""
    key = key.strip().lower()
    return {s for s, k in PARTY_KEYS.items() if k == key} | {key}
