"""README.md documents every command and every setting, and starts with the two set-up commands."""
from __future__ import annotations

import typer.main

from app.cli import app as cli
from app.config import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_names(group, prefix: str = "newsarchive") -> list[str]:
    names = []
    for name, command in typer.main.get_command(group).commands.items():
        if hasattr(command, "commands"):
            names += [f"{prefix} {name} {sub}" for sub in command.commands]
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_in_the_readme():
    missing = [name for name in command_names(cli) if f"`{name}" not in README]
    assert not missing, missing


def test_every_setting_is_in_the_readme():
    missing = [f"NEWSARCHIVE_{field.upper()}" for field in Settings.model_fields
               if f"NEWSARCHIVE_{field.upper()}" not in README]
    assert not missing, missing


def test_readme_starts_with_the_demo_and_the_test_commands():
    blocks = README.split("```bash\n")[1:3]
    assert "newsarchive demo" in blocks[0]
    assert blocks[1].strip().startswith("bash scripts/test.sh")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
