"""Resolve raw voter and sponsor names to legislators, with a method and a confidence.

Sources often print only a name: "Smith", "Smith, J.", "Taylor of Galveston", "Mr. Speaker",
"Peña". A name is compared only with legislators who held a seat in the right jurisdiction,
chamber and on the right date (their roles). Aliases people added (`voter_alias`) win; then
full names and `other_names`; then family name with a consistent first name or initial, or a
district / home-town qualifier; then a close spelling. Two equally good candidates make the
name ambiguous, and anything below the threshold setting stays unmatched: a wrong vote on a
scorecard is worse than a missing one. See docs/matching.md.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.people.match_types import NO_MATCH, Match
from tracker.models import Legislator, LegislatorRole, VoterAlias

# Confidence of each method (the best one a candidate reaches counts).
CONFIDENCE = {
    "alias": 1.0, "name:full": 0.97, "name:other": 0.95, "name:last+first": 0.95,
    "name:last+district": 0.95, "name:last+initial": 0.92, "name:last": 0.9,
}
FUZZY_MIN_RATIO = 0.85  # a fuzzy family name scores ratio * 0.9, so 0.89 passes a 0.8 threshold
AMBIGUITY_MARGIN = 0.03
# (database URL, jurisdiction) -> (signature, candidates, aliases, family index); see _load.
_INDEX_CACHE: dict[tuple[str, str], tuple] = {}

_HONORIFIC = re.compile(
    r"^(?:sen|senator|rep|representative|assemblymember|assemblyman|assemblywoman|assembly member|"
    r"delegate|del|mr|mrs|ms|miss|dr|hon|honorable|councilmember|councilman|councilwoman|"
    r"speaker|president)\b\.?\s+", re.I)
_SUFFIX = re.compile(r",?\s+(?:jr|sr|ii|iii|iv|v)\.?$", re.I)
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
_STATE = re.compile(r"/(?:state|district|territory):([a-z]{2})\b")
_OF = re.compile(r"^(.+?)\s+of\s+(.+)$", re.I)
# Names that are a presiding office, not a person: resolved by role title or alias only.
_TITLES = {
    "mr speaker": "speaker", "madam speaker": "speaker", "madame speaker": "speaker",
    "speaker": "speaker", "the speaker": "speaker", "mr president": "president",
    "madam president": "president", "president": "president", "the president": "president",
    "president pro tem": "president pro tem", "president pro tempore": "president pro tem",
    "speaker pro tem": "speaker pro tem", "speaker pro tempore": "speaker pro tem",
    "lieutenant governor": "lieutenant governor", "lt governor": "lieutenant governor",
}


@lru_cache(maxsize=65536)
def unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Compare form: no accents, lower case, punctuation dropped, single spaces."""
    text = unaccent(text).lower().replace("’", "").replace("'", "")
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class ParsedName:
    full: str                 # folded, without honorifics and suffixes
    family: str               # folded family name as written ("de la torre")
    given: str | None         # folded given name or initials ("j", "john"), if any
    qualifier: str | None     # "(TX)", "of Galveston", "(12)" -> folded
    title: str | None = None  # "speaker", "president" when the name is an office


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> ParsedName:
    """Split a printed name into family name, given name or initial, and qualifier."""
    text = re.sub(r"\s+", " ", unaccent(raw)).strip()
    title = _TITLES.get(fold(text))
    if title:
        return ParsedName(fold(text), "", None, None, title)
    qualifier = None
    m = _PAREN.search(text)
    if m:
        qualifier, text = fold(m.group(1)), text[:m.start()]
    while True:
        stripped = _HONORIFIC.sub("", text)
        if stripped == text or not stripped.strip():
            break
        text = stripped
    text = _SUFFIX.sub("", text).strip()
    m = _OF.match(text)
    if m and "," not in text:
        text, qualifier = m.group(1), fold(m.group(2))
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        given = _SUFFIX.sub("", " " + given).strip() if given else ""
        return ParsedName(fold(f"{given} {family}"), fold(family), fold(given) or None, qualifier)
    # words split on blanks before folding: "Miller-Meeks" is one family name, not Meeks with
    # a given name Miller
    tokens = [t for t in (fold(w) for w in text.split()) if t]
    if not tokens:
        return ParsedName("", "", None, qualifier)
    if len(tokens) == 1:
        return ParsedName(tokens[0], tokens[0], None, qualifier)
    return ParsedName(" ".join(tokens), " ".join(tokens[1:]), tokens[0], qualifier)


@dataclass
class Candidate:
    legislator_id: int
    names: list[tuple[str, ParsedName]] = field(default_factory=list)  # (kind, parsed)
    family: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)
    roles: list[LegislatorRole] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # districts and home towns, folded


def _given_consistent(raw_given: str, given_names: set[str]) -> str | None:
    """'name:last+first' when a given name agrees, 'name:last+initial' for initials, else None."""
    parts = raw_given.split()
    if all(len(p) == 1 for p in parts):
        return "name:last+initial" if any(g[:1] == parts[0] for g in given_names if g) else None
    for g in given_names:
        if g and (g == raw_given or g.split()[0] == parts[0]
                  or (len(parts[0]) >= 3 and g.startswith(parts[0]))):
            return "name:last+first"
    return None


def _squash(text: str) -> str:
    return text.replace(" ", "").replace("-", "")


class NameMatcher:
    """Matches names within one transaction; candidates are loaded once per jurisdiction."""

    def __init__(self, session: Session, threshold: float | None = None):
        from tracker.settings import get_settings

        self.session = session
        self.threshold = get_settings().match_threshold if threshold is None else threshold
        self._candidates: dict[str, list[Candidate]] = {}
        self._aliases: dict[str, list[tuple]] = {}
        self._memo: dict[tuple, Match] = {}
        self._index: dict[str, dict[str, list[Candidate]]] = {}

    def _load(self, jurisdiction: str) -> list[Candidate]:
        if jurisdiction in self._candidates:
            return self._candidates[jurisdiction]
        bind = self.session.get_bind()  # an engine, or a connection (an import's batch)
        cache_key = (str(getattr(bind, "engine", bind).url), jurisdiction)
        signature = self._signature(jurisdiction)
        cached = _INDEX_CACHE.get(cache_key)
        if cached is None or cached[0] != signature:
            cached = (signature, *self._build(jurisdiction))
            if len(_INDEX_CACHE) > 64:
                _INDEX_CACHE.clear()
            _INDEX_CACHE[cache_key] = cached
        _, self._candidates[jurisdiction], self._aliases[jurisdiction], self._index[jurisdiction] = cached
        return self._candidates[jurisdiction]

    def _signature(self, jurisdiction: str) -> tuple:
        """Changes whenever a role, a legislator of the jurisdiction or an alias is written."""
        roles = self.session.exec(select(func.count(LegislatorRole.id), func.max(LegislatorRole.id),
                                         func.max(Legislator.fetched_at), func.max(Legislator.id))
                                  .join(Legislator, Legislator.id == LegislatorRole.legislator_id)
                                  .where(LegislatorRole.jurisdiction_id == jurisdiction)).one()
        aliases = self.session.exec(select(func.count(VoterAlias.id), func.max(VoterAlias.id),
                                           func.max(VoterAlias.created_at))
                                    .where(VoterAlias.jurisdiction_id == jurisdiction)).one()
        return tuple(roles) + tuple(aliases)

    def _build(self, jurisdiction: str) -> tuple[list[Candidate], list[tuple], dict[str, list[Candidate]]]:
        """Candidates of a jurisdiction with parsed names, its aliases, and a family-name index."""
        # Plain rows, not ORM objects: the result is cached across sessions.
        roles = self.session.exec(select(
            LegislatorRole.legislator_id, LegislatorRole.chamber, LegislatorRole.district,
            LegislatorRole.division_id, LegislatorRole.title, LegislatorRole.start_date,
            LegislatorRole.end_date).where(LegislatorRole.jurisdiction_id == jurisdiction)).all()
        by_id: dict[int, Candidate] = {}
        for role in roles:
            cand = by_id.setdefault(role.legislator_id, Candidate(role.legislator_id))
            cand.roles.append(role)
            if role.district:
                cand.places.add(fold(role.district))
            # Congress: the House Clerk tells namesakes apart by state ("Carter (TX)")
            state = _STATE.search(role.division_id or "")
            if state and jurisdiction == "us":
                cand.places.add(state.group(1))
        people = self.session.exec(select(
            Legislator.id, Legislator.name, Legislator.given_name, Legislator.family_name,
            Legislator.other_names, Legislator.extras).where(
            Legislator.id.in_(list(by_id)))).all() if by_id else []
        for person in people:
            cand = by_id[person.id]
            cand.names.append(("name:full", parse_name(person.name)))
            if person.given_name and person.family_name:
                cand.names.append(("name:full", parse_name(f"{person.given_name} {person.family_name}")))
            for other in person.other_names or []:
                cand.names.append(("name:other", parse_name(other)))
            for kind, parsed in cand.names:
                if parsed.family:
                    cand.family.add(parsed.family)
                if parsed.given and kind == "name:full":
                    cand.given.add(parsed.given)
            if person.family_name:
                cand.family.add(fold(person.family_name))
            if person.given_name:
                cand.given.add(fold(person.given_name))
            for town in (person.extras or {}).get("places", []):
                cand.places.add(fold(town))
        index: dict[str, list[Candidate]] = {}
        for cand in by_id.values():
            for fam in {_squash(f) for f in cand.family}:
                index.setdefault(fam, []).append(cand)
        aliases = [(a.normalized_name, a.chamber, a.start_date, a.end_date, a.legislator_id)
                   for a in self.session.exec(select(VoterAlias).where(
                       VoterAlias.jurisdiction_id == jurisdiction)).all()]
        return list(by_id.values()), aliases, index

    @staticmethod
    def _serving(role: LegislatorRole, chamber: str | None, date: dt.date | None) -> bool:
        if chamber in ("upper", "lower") and role.chamber not in (chamber, "legislature"):
            return False
        if date is not None:
            if role.start_date and role.start_date > date:
                return False
            if role.end_date and role.end_date < date:
                return False
        return True

    def match(self, raw: str, *, jurisdiction: str, chamber: str | None = None,
              date: dt.date | None = None) -> Match:
        """The legislator `raw` names, or a no-match carrying why (ambiguous, low-confidence)."""
        memo_key = (raw, jurisdiction, chamber, date)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._match(raw, jurisdiction, chamber, date)
        return self._memo[memo_key]

    def _match(self, raw: str, jurisdiction: str, chamber: str | None, date: dt.date | None) -> Match:
        candidates = self._load(jurisdiction)
        folded = fold(raw)
        for name, a_chamber, start, end, legislator_id in self._aliases[jurisdiction]:
            if name == folded and a_chamber in (None, chamber) and (
                    date is None or ((start or date) <= date <= (end or date))):
                return Match(legislator_id, "alias", CONFIDENCE["alias"])
        parsed = parse_name(raw)
        serving = lambda c: any(self._serving(r, chamber, date) for r in c.roles)  # noqa: E731
        if parsed.title:
            hits = [c for c in candidates if any(self._serving(r, chamber, date) and r.title
                                                 and parsed.title in fold(r.title) for r in c.roles)]
            return self._decide({c.legislator_id: ("title", 0.9) for c in hits})
        if not parsed.family:
            return NO_MATCH
        scores: dict[int, tuple[str, float]] = {}
        # Every non-fuzzy method needs the family name to agree: look only at those candidates.
        index = self._index[jurisdiction]
        pool = [c for c in index.get(_squash(parsed.family), []) if serving(c)]
        if not pool and parsed.given and "," not in raw:
            # a family name of several words printed alone ("Van Drew", "De La Cruz")
            pool = [c for c in index.get(_squash(parsed.full), []) if serving(c)]
            if pool:
                parsed = ParsedName(parsed.full, parsed.full, None, parsed.qualifier)
        for cand in pool:
            best = self._score(parsed, cand)
            if best:
                scores[cand.legislator_id] = best
        # A close spelling only when nobody serving has the family name as printed: when
        # somebody has it but the given name or the place disagrees, the printed person is not
        # loaded, and the nearest spelling would be a namesake's vote.
        if not pool:
            for cand in filter(serving, candidates):
                if parsed.qualifier is not None and cand.places and not self._place_ok(parsed.qualifier, cand):
                    continue  # a close spelling in another district or state is somebody else
                ratio = max((SequenceMatcher(None, parsed.family, f).ratio() for f in cand.family),
                            default=0.0)
                if ratio >= FUZZY_MIN_RATIO:
                    scores[cand.legislator_id] = ("name:fuzzy", round(ratio * 0.9, 3))
        return self._decide(scores)

    def _score(self, parsed: ParsedName, cand: Candidate) -> tuple[str, float] | None:
        if parsed.qualifier is not None and cand.places and not self._place_ok(parsed.qualifier, cand):
            return None
        best: tuple[str, float] | None = None

        def better(method: str) -> None:
            nonlocal best
            if best is None or CONFIDENCE[method] > best[1]:
                best = (method, CONFIDENCE[method])

        for kind, name in cand.names:
            if name.full and name.full == parsed.full and parsed.given:
                better(kind)
        if _squash(parsed.family) in {_squash(f) for f in cand.family}:
            if parsed.qualifier is not None:
                better("name:last+district")
            elif parsed.given is None:
                better("name:last")
            else:
                method = _given_consistent(parsed.given, cand.given)
                if method:
                    better(method)
                elif best is None:
                    return None
        return best

    @staticmethod
    def _place_ok(qualifier: str, cand: Candidate) -> bool:
        digits = re.sub(r"\D", "", qualifier)
        for place in cand.places:
            if qualifier == place or (digits and re.sub(r"\D", "", place) == digits and
                                      not re.sub(r"[\d\s]|district|d", "", qualifier)):
                return True
        return False

    def _decide(self, scores: dict[int, tuple[str, float]]) -> Match:
        if not scores:
            return NO_MATCH
        ranked = sorted(scores.items(), key=lambda kv: -kv[1][1])
        top_id, (method, conf) = ranked[0]
        if len(ranked) > 1 and ranked[1][1][1] >= conf - AMBIGUITY_MARGIN:
            return Match(None, "ambiguous", conf)
        if conf < self.threshold:
            return Match(None, "low-confidence", conf)
        return Match(top_id, method, conf)


def invalidate_cache() -> None:
    """Forget cached candidates (a legislator's names or an alias changed in this process)."""
    _INDEX_CACHE.clear()


def matcher_for(session: Session) -> NameMatcher:
    """One matcher per session, so a vote with 150 names loads the candidates once."""
    matcher = session.info.get("edtracker_namematcher")
    if matcher is None:
        matcher = session.info["edtracker_namematcher"] = NameMatcher(session)
    return matcher
