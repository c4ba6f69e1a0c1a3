"""The public surface is __all__; every name in it exists; settings resolve as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline.errors import UsageError
from storyline.settings import SETTINGS_HELP, Settings


def test_all_names_exist() -> None:
    for name in storyline.__all__:
        assert hasattr(storyline, name), name


def test_every_setting_has_help_and_is_documented() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    fields = set(Settings.__dataclass_fields__)
    assert fields == set(SETTINGS_HELP)
    for name in fields:
        assert f"`{name}`" in readme, f"setting {name} is not documented in the README"


def test_settings_precedence(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text('{"workers": 3, "db": "from-file.db"}')
    env = {"STORYLINE_CONFIG": str(config), "STORYLINE_DB": "from-env.db"}
    settings = Settings.resolve({"workers": None}, environ=env)
    assert (settings.db, settings.workers) == ("from-env.db", 3)
    assert Settings.resolve({"db": "flag.db"}, environ=env).db == "flag.db"
    assert Settings.resolve(
        environ={"STORYLINE_ALLOW_PRIVATE_ADDRESSES": "yes"}
    ).allow_private_addresses


def test_bad_settings_are_clear() -> None:
    with pytest.raises(UsageError, match="workers"):
        Settings.resolve({"workers": "many"}, environ={})
    with pytest.raises(UsageError, match="unknown setting"):
        Settings.resolve({"colour": "red"}, environ={})
    with pytest.raises(UsageError, match="placement_passes='0' must be at least 1"):
        Settings.resolve(environ={"STORYLINE_PLACEMENT_PASSES": "0"})
    assert Settings.resolve(environ={"STORYLINE_PLACEMENT_PASSES": "3"}).placement_passes == 3
    with pytest.raises(UsageError, match="read_languages='english'"):
        Settings.resolve({"read_languages": "english"}, environ={})
    with pytest.raises(UsageError, match="read_languages"):
        Settings.resolve({"read_languages": " , "}, environ={})
    assert Settings.resolve({"read_languages": "FR, en"}, environ={}).read_languages == "en,fr"
    assert Settings.resolve({"read_languages": ["de"]}, environ={}).read_languages == "de"
    assert Settings.resolve(environ={"STORYLINE_READ_LANGUAGES": "*"}).read_languages == "*"
