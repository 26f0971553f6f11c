"""The coalition file (YAML) and its validation with line-precise errors.

Errors come from pydantic (shape) and from cross-checks (references between sections); each
names the file, the line and column (from PyYAML's node marks) and the path of the bad value.
"""
from __future__ import annotations

import re
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracker.tagging.rules import default_taxonomy
from tracker.vocab import STANCES

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _regexes(values: list[str]) -> list[str]:
    for v in values:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"bad regular expression {v!r}: {exc}") from None
    return values


class RuleBlock(_Strict):
    phrases: list[str] = []
    keywords: list[str] = []
    patterns: list[str] = []
    subjects: list[str] = []
    committees: list[str] = []
    exclude: list[str] = []
    weight: float = Field(default=1.0, gt=0)

    _p = field_validator("patterns", "committees")(_regexes)


class AreaSpec(_Strict):
    slug: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    parent: str | None = None
    description: str | None = None
    rules: RuleBlock = RuleBlock()


class IssueAreas(_Strict):
    use_defaults: bool = True
    rename: dict[str, str] = {}
    drop: list[str] = []
    add: list[AreaSpec] = []


class CoalitionSettings(BaseModel):
    model_config = ConfigDict(extra="allow")
    embed_origins: list[str] = []
    listed: bool = True      # shown in the public directory (/coalitions) and on the home page

    @field_validator("embed_origins")
    @classmethod
    def _origins(cls, v: list[str]) -> list[str]:
        bad = [o for o in v if not re.match(r"^https?://[^/\s]+$", o)]
        if bad:
            raise ValueError(f"origins must look like https://host[:port] without a path: {bad}")
        return v


class CoalitionInfo(_Strict):
    slug: str = Field(pattern=SLUG, max_length=64)
    name: str = Field(min_length=1)
    description: str | None = None
    website: str | None = None
    settings: CoalitionSettings = CoalitionSettings()


class MemberSpec(_Strict):
    slug: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    website: str | None = None
    school_districts: list[Annotated[str, Field(pattern=r"^\d{7}$")]] = Field(
        default_factory=list, description="NCES LEAIDs of the school districts the member's schools are in")


class PositionSpec(_Strict):
    bill: str = Field(min_length=1, description="bill key, e.g. us-119-hr5")
    stance: str
    rationale: str | None = None
    priority: int = 0
    public: bool = False

    @field_validator("stance")
    @classmethod
    def _stance(cls, v: str) -> str:
        if v not in STANCES:
            raise ValueError(f"stance {v!r} is not one of {', '.join(STANCES)}")
        return v


class MemberStanceSpec(PositionSpec):
    member: str
    rationale: None = None
    priority: int = 0
    public: bool = False
    note: str | None = None


class SavedSearchSpec(_Strict):
    slug: str = Field(pattern=SLUG)
    name: str
    params: dict[str, Any] = {}


class CoalitionFile(_Strict):
    version: int = 1
    coalition: CoalitionInfo
    members: list[MemberSpec] = []
    issue_areas: IssueAreas = IssueAreas()
    rules: dict[str, RuleBlock] = {}
    threshold: float | None = Field(default=None, gt=0)
    positions: list[PositionSpec] = []
    member_stances: list[MemberStanceSpec] = []
    saved_searches: list[SavedSearchSpec] = []


class CoalitionFileError(ValueError):
    """An invalid coalition file; `errors` lists (line, column, path, message)."""

    def __init__(self, source: str, errors: list[tuple[int | None, int | None, str, str]]):
        self.source, self.errors = source, errors
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.source}:{line or '?'}:{col or '?'}: {path}: {msg}" if path else
                f"{self.source}:{line or '?'}:{col or '?'}: {msg}" for line, col, path, msg in self.errors]


def _node_at(node: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The YAML node at a pydantic error location (the deepest one that exists)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(part)), None)
            if found is None:
                # An unknown key: point at the key itself.
                key = next((k for k, _ in node.value if k.value == str(part)), None)
                return key or node
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _cross_checks(f: CoalitionFile) -> list[tuple[tuple, str]]:
    errs: list[tuple[tuple, str]] = []
    defaults = {a["slug"] for a in default_taxonomy()["areas"]} if f.issue_areas.use_defaults else set()
    for slug in f.issue_areas.rename:
        if slug not in defaults:
            errs.append((("issue_areas", "rename", slug), f"no default issue area {slug!r} to rename"))
    for i, slug in enumerate(f.issue_areas.drop):
        if slug not in defaults:
            errs.append((("issue_areas", "drop", i), f"no default issue area {slug!r} to drop"))
    known = (defaults - set(f.issue_areas.drop)) | set()
    for i, a in enumerate(f.issue_areas.add):
        if a.slug in known:
            errs.append((("issue_areas", "add", i, "slug"), f"issue area {a.slug!r} already exists"))
        known.add(a.slug)
    for i, a in enumerate(f.issue_areas.add):
        if a.parent and a.parent not in known:
            errs.append((("issue_areas", "add", i, "parent"), f"unknown parent issue area {a.parent!r}"))
    for slug in f.rules:
        if slug not in known:
            errs.append((("rules", slug), f"rules for unknown issue area {slug!r}"))
    seen: dict[str, int] = {}
    for i, p in enumerate(f.positions):
        if p.bill in seen:
            errs.append((("positions", i, "bill"), f"second position on {p.bill} (first is item {seen[p.bill] + 1})"))
        seen[p.bill] = i
    members = {m.slug for m in f.members}
    for i, s in enumerate(f.member_stances):
        if s.member not in members:
            errs.append((("member_stances", i, "member"), f"unknown member {s.member!r}"))
    return errs


def parse_coalition_file(text: str, source: str = "<coalition file>") -> CoalitionFile:
    """Parse and validate a coalition file; raise `CoalitionFileError` listing every problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CoalitionFileError(source, [(mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                                           "", f"YAML syntax: {exc.problem or exc}")]) from None
    if not isinstance(data, dict):
        raise CoalitionFileError(source, [(1, 1, "", "the file must be a mapping with a `coalition` section")])

    def where(loc: tuple) -> tuple[int | None, int | None]:
        node = _node_at(root, loc)
        return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (None, None)

    try:
        parsed = CoalitionFile.model_validate(data)
    except ValidationError as exc:
        errors = []
        for e in exc.errors(include_url=False):
            loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            errors.append((*where(loc), ".".join(str(p) for p in loc), e["msg"]))
        raise CoalitionFileError(source, sorted(errors, key=lambda e: (e[0] or 0, e[1] or 0))) from None
    cross = _cross_checks(parsed)
    if cross:
        raise CoalitionFileError(source, [(*where(loc), ".".join(str(p) for p in loc), msg) for loc, msg in cross])
    return parsed
