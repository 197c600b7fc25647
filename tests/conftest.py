"""Shared test configuration: Hypothesis profiles.

`ci` (the default) is derandomised and modest so the suite stays fast and reproducible;
`thorough` explores more examples when hunting bugs: `HYPOTHESIS_PROFILE=thorough pytest`.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=400,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
