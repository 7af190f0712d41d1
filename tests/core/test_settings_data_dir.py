"""The data dir is one absolute folder, whatever the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings, default_data_dir


def test_default_is_under_xdg_data_home_or_local_share() -> None:
    assert default_data_dir({"XDG_DATA_HOME": "/srv/data"}) == Path("/srv/data/ticketflow")
    assert default_data_dir({}) == Path.home() / ".local" / "share" / "ticketflow"


def test_the_same_folder_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TICKETFLOW_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    here = Settings().data_dir
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert Settings().data_dir == here == tmp_path / "xdg" / "ticketflow"


def test_a_relative_setting_is_made_absolute_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TICKETFLOW_DATA_DIR", "state")
    assert Settings().data_dir == tmp_path / "state"
