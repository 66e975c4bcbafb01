import datetime as _dt

import pytest

from storeops import config
from storeops.errors import ConfigError
from tests.conftest import write_config


def test_loads_and_resolves_against_the_project_root(tmp_path):
    cfg = config.load(write_config(tmp_path, language="en"))
    assert cfg.root == tmp_path and cfg.language == "en" and cfg.reports_dir == tmp_path / "reports"
    assert cfg.name("zh") == "测试服饰店" and cfg.name("en") == "Test Apparel"
    assert cfg.yesterday() == cfg.today() - _dt.timedelta(days=1)


def test_finds_params_upwards(tmp_path, monkeypatch):
    write_config(tmp_path)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert config.load().root == tmp_path


@pytest.mark.parametrize("body, message", [
    ("store: [", "not valid YAML"),
    ("store:\n  language: fr\n", "store.language must be zh or en, not 'fr'"),
    ("store:\n  timezone: Mars/Olympus\n", "store.timezone 'Mars/Olympus' is not an IANA timezone"),
])
def test_bad_settings_say_what_is_wrong(tmp_path, body, message):
    p = tmp_path / "store.yaml"
    p.write_text(body)
    with pytest.raises(ConfigError, match=message):
        config.load(p)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        config.load(tmp_path / "nope.yaml")
