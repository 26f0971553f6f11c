"""Action classification: rule tables per jurisdiction (`tracker.actions.us` for Congress)."""
