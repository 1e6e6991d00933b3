"""The README documents every setting and every command."""

from __future__ import annotations

from publisher.cli import _parser
from publisher.config import SETTINGS
from tests.conftest import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "—"
        assert f"| `{setting.name}` | {default} |" in readme, setting.name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"lodpub {name}" in readme, name
