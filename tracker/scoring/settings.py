"""A scorecard's methodology settings: every choice real scorecards disagree on is a setting here
(see ../shared/docs/scorecards.md), validated once and stored as JSON in `Scorecard.settings`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

# What a vote that is not yes/no does to a score.
POLICIES = {
    "count_against": "counts as a vote against the coalition's position (0 points)",
    "exclude": "is left out: neither for nor against",
    "partial": "earns partial credit (the scorecard's partial_credit fraction of the weight)",
    "with_outcome": "counts as if the legislator voted with the outcome of the roll call",
}
SPONSORSHIP_MODES = {
    "credit_only": "only (co)sponsors are scored on the item: sponsoring a supported bill earns "
                   "full credit, sponsoring an opposed bill none",
    "scored": "every member of the bill's chamber is scored: (co)sponsoring agrees with a "
              "supported bill, not sponsoring agrees with an opposed one",
}
WITHDRAWAL_POLICIES = {
    "ignore": "a withdrawn (co)sponsorship counts as never made",
    "debit": "a withdrawn (co)sponsorship of a supported bill counts against the legislator",
}
MISSING_POLICIES = {
    "ignore": "a member of the body who is not on the roll at all is not scored on it (sources list "
              "every sitting member, so a missing name usually means the seat was vacant)",
    "absent": "a member of the body who is not on the roll counts as absent (absence policy)",
}
DEFAULT_BANDS = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"), (0.0, "F"))


@dataclass(frozen=True)
class ScoringSettings:
    """The methodology of one scorecard (defaults follow the League of Conservation Voters)."""

    absence_policy: str = "count_against"
    excused_policy: str = "exclude"
    paired_policy: str = "exclude"
    present_policy: str = "count_against"
    partial_credit: float = 0.5
    min_participation: int = 1
    grade_bands: tuple = field(default=DEFAULT_BANDS)
    rounding: int = 0
    sponsorship_mode: str = "credit_only"
    withdrawal: str = "ignore"
    lifetime: bool = True
    missing_from_roll: str = "ignore"

    @classmethod
    def from_dict(cls, data: dict | None) -> "ScoringSettings":
        """Validate stored or submitted settings; ValueError names the bad field."""
        data = dict(data or {})
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown scorecard setting(s) {unknown}")
        for name in ("absence_policy", "excused_policy", "paired_policy", "present_policy"):
            if name in data and data[name] not in POLICIES:
                raise ValueError(f"{name}: {data[name]!r} is not one of {sorted(POLICIES)}")
        if "sponsorship_mode" in data and data["sponsorship_mode"] not in SPONSORSHIP_MODES:
            raise ValueError(f"sponsorship_mode: {data['sponsorship_mode']!r} is not one of "
                             f"{sorted(SPONSORSHIP_MODES)}")
        if "withdrawal" in data and data["withdrawal"] not in WITHDRAWAL_POLICIES:
            raise ValueError(f"withdrawal: {data['withdrawal']!r} is not one of {sorted(WITHDRAWAL_POLICIES)}")
        if "missing_from_roll" in data and data["missing_from_roll"] not in MISSING_POLICIES:
            raise ValueError(f"missing_from_roll: {data['missing_from_roll']!r} is not one of "
                             f"{sorted(MISSING_POLICIES)}")
        if "partial_credit" in data:
            data["partial_credit"] = float(data["partial_credit"])
            if not 0 <= data["partial_credit"] <= 1:
                raise ValueError("partial_credit must be between 0 and 1")
        if "min_participation" in data:
            data["min_participation"] = int(data["min_participation"])
            if data["min_participation"] < 0:
                raise ValueError("min_participation must be 0 or more")
        if "rounding" in data:
            data["rounding"] = int(data["rounding"])
            if not 0 <= data["rounding"] <= 3:
                raise ValueError("rounding must be 0 to 3 decimals")
        if "grade_bands" in data:
            bands = []
            for band in data["grade_bands"]:
                try:
                    floor, grade = band
                    bands.append((float(floor), str(grade)))
                except (TypeError, ValueError):
                    raise ValueError(f"grade_bands: {band!r} is not a [minimum score, grade] pair") from None
            data["grade_bands"] = tuple(sorted(bands, reverse=True))
        return cls(**data)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["grade_bands"] = [list(b) for b in self.grade_bands]
        return out
