"""Legislator scorecards: pure rules (`rules`), methodology settings (`settings`), persistence of
cells and summaries (`engine`), editing (`service`) and the open export format (`export`)."""
from tracker.scoring.engine import POOLED, RecomputeStats, recompute
from tracker.scoring.rules import grade_for, score_sponsorship, score_vote, summarize
from tracker.scoring.settings import ScoringSettings

__all__ = ["POOLED", "RecomputeStats", "ScoringSettings", "grade_for", "recompute", "score_sponsorship",
           "score_vote", "summarize"]
