"""The tierguard CrossGuard pack. Constructing PolicyPack starts the Analyzer server and never returns."""

import os
import sys

# Run from a checkout without `pip install -e .`: the tierguard package sits one level up.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from tierguard.policy import PACK_NAME, POLICIES  # noqa: E402

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.ADVISORY, policies=POLICIES)
