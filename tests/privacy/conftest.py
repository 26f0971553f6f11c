from tests.alerts.conftest import alerts_env, mail  # noqa: F401  (fixtures shared with the alert tests)
