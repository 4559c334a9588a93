"""One version, stated in three places the tools read: the package, the pack and the CLI output."""

import yaml

from conftest import ROOT
from tierguard import __version__


def test_pack_version_matches_the_package():
    assert yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())["version"] == __version__
