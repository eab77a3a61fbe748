"""The TOML config: the shipped example loads, mistakes name the key."""

from pathlib import Path

import pytest

from core.acquisition.parsing import LineFormat
from core.config import ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "watchkeeper.example.toml"


def write(tmp_path, text):
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_example_config_loads():
    """The commented example in resources/ is a valid config."""
    cfg = load_config(EXAMPLE)
    assert cfg.port.settings.baudrate > 0
    assert cfg.channels and all(c.name for c in cfg.channels)


def test_full_port_section_is_read(tmp_path):
    """Every port key is honoured, including the USB identity used for reconnects."""
    cfg = load_config(
        write(
            tmp_path,
            """
        [port]
        device = "COM7"
        baudrate = 19200
        parity = "e"
        stopbits = 1.5
        bytesize = 7
        format = "kv"
        vid = "0403"
        pid = "6001"
        serial_number = "A10K"
    """,
        )
    )
    s = cfg.port.settings
    assert (cfg.port.device, s.baudrate, s.parity, s.stopbits, s.bytesize) == (
        "COM7",
        19200,
        "E",
        1.5,
        7,
    )
    assert cfg.port.format is LineFormat.KEY_VALUE
    assert (cfg.port.usb.vid, cfg.port.usb.pid, cfg.port.usb.serial_number) == (
        0x403,
        0x6001,
        "A10K",
    )


def test_channels_map_fields_with_units_scale_and_offset(tmp_path):
    """[[channels]] entries become channel specs; a column number is an int field."""
    cfg = load_config(
        write(
            tmp_path,
            """
        [[channels]]
        field = "t"
        name = "boiler"
        unit = "°C"
        scale = 0.1
        [[channels]]
        field = 2
        name = "pressure"
        offset = -1
    """,
        )
    )
    assert [(c.field, c.name, c.unit, c.scale, c.offset) for c in cfg.channels] == [
        ("t", "boiler", "°C", 0.1, 0.0),
        (2, "pressure", "", 1.0, -1.0),
    ]
    assert cfg.units == {"boiler": "°C"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[port]\nbaudrate = 'fast'", "port.baudrate must be a whole number"),
        ("[port]\nbaudrate = -5", "baud rate must be a positive whole number"),
        ("[port]\nparity = 'X'", "port.parity must be one of N, E, O, M, S"),
        ("[port]\nstopbits = 3", "stop bits must be 1, 1.5 or 2"),
        ("[port]\nbytesize = 9", "data bits must be 5, 6, 7 or 8"),
        ("[port]\nformat = 'xml'", "port.format must be one of auto, csv, kv, json"),
        ("[port]\nbaud = 9600", "[port] has an unknown key 'baud'"),
        ("[[channels]]\nname = 'x'", "channels[1].field is missing"),
        (
            "[[channels]]\nfield = 'a'\nname = 'x'\n[[channels]]\nfield = 'b'\nname = 'x'",
            "channels[2].name 'x' is used by another channel",
        ),
        ("[storage]\ncommit_interval = 5", "storage.commit_interval must be between 0 and 1"),
        ("[bogus]\na = 1", "unknown section [bogus]"),
        ("[port\n", "is not valid TOML"),
    ],
)
def test_mistakes_name_the_key_and_the_problem(tmp_path, text, message):
    """Each invalid config gives one sentence naming the key and what is wrong."""
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert message in str(info.value)
    assert "\n" not in str(info.value).strip() or "TOML" in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path):
    """A config path that does not exist says so."""
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_retention_section_is_read_and_checked(tmp_path):
    """[retention] sets the ages; an impossible order is refused with the keys named."""
    cfg = load_config(write(tmp_path, "[retention]\nraw_days = 7\nminute_days = 90\n"))
    assert (cfg.retention.raw_days, cfg.retention.minute_days, cfg.retention.hour_days) == (7, 90, 3650)
    with pytest.raises(ConfigError, match="raw_days <= minute_days"):
        load_config(write(tmp_path, "[retention]\nraw_days = 100\nminute_days = 90\n"))
    with pytest.raises(ConfigError, match=r"retention.hour_days must be a positive number"):
        load_config(write(tmp_path, "[retention]\nhour_days = -1\n"))
