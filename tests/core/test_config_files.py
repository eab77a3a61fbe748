"""Config files as editors save them, and mistakes in the sections other capabilities read."""

import pytest

from core.cli.main import run
from core.config import ConfigError, load_config
from core.engine.settings import load_checked_config


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "wk.toml"
    path.write_text(text, encoding=encoding)
    return path


def test_a_byte_order_mark_from_notepad_is_accepted(tmp_path):
    """Notepad and PowerShell save UTF-8 with a BOM: the file still loads."""
    path = write(tmp_path, '[port]\ndevice = "COM3"\n', encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_config(path).port.device == "COM3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[alarms.channels.t]\nh = 'high'\n", "alarms.channels.t.h must be a number"),
        ("[anomaly]\nbogus = 1\n", "[anomaly] has an unknown key 'bogus'"),
        ('[forecast]\ncycle = "often"\n', "forecast.cycle must be a duration"),
        ("[ui]\ntheme = 'dark'\n", "[ui] has an unknown key 'theme'"),
    ],
)
def test_mistakes_in_other_sections_are_errors_naming_the_file(tmp_path, text, message):
    """[alarms], [anomaly], [forecast] and [ui] are checked when the file is read, and the
    sentence names the file and the key."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_checked_config(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


def test_record_with_a_bad_alarm_section_names_the_file_and_creates_nothing(tmp_path, capsys):
    """`record --config` with a mistake in [alarms]: exit 1, one line naming the file, no database."""
    path = write(tmp_path, "[alarms.channels.t]\nh = 'high'\n")
    db = tmp_path / "x.duckdb"
    assert run(["record", "--port", "sim://?channels=1", "--config", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "alarms.channels.t.h" in err[0]
    assert not db.exists()


def test_the_window_can_read_the_file_and_check_sections_itself(tmp_path):
    """The loader leaves [alarms] to the caller, which (the window) falls back per section."""
    path = write(tmp_path, '[port]\ndevice = "COM3"\n[alarms.channels.t]\nh = "high"\n')
    assert load_config(path).port.device == "COM3"
