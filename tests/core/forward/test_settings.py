"""[forward.*] and [notify.*]: defaults, every mistake named, secrets kept out of repr and errors."""

from __future__ import annotations

import pytest

from core.config import ConfigError, load_config
from core.engine.settings import load_checked_config
from core.forward.settings import parse_forward_config, redact


def test_a_full_configuration_parses(tmp_path):
    path = tmp_path / "wk.toml"
    path.write_text(
        """
[forward]
site = "mill"
device = "line3"
[forward.mqtt]
url = "mqtts://broker.plant:8883"
username = "wk"
password = "hunter2"
ca_file = "ca.pem"
protocol = "3.1.1"
[forward.influx]
url = "http://influx:8086/"
database = "plant"
tags = { area = "north" }
[forward.opcua]
endpoint = "opc.tcp://0.0.0.0:4841/wk/"
[[notify.webhook]]
url = "https://hooks.example/alarm"
priorities = ["critical"]
[[notify.webhook]]
url = "https://hooks.example/all"
priorities = ["low", "medium", "high", "critical"]
digest = true
[notify.email]
host = "smtp.plant"
from = "wk@plant"
to = ["shift@plant"]
password = "mail-pass"
""",
        encoding="utf-8",
    )
    config = load_config(path)
    fwd = parse_forward_config(config.extra["forward"], config.extra["notify"])
    assert fwd.mqtt.topic == "watchkeeper/mill/line3" and fwd.mqtt.protocol == "3.1.1"
    assert fwd.influx.url == "http://influx:8086" and fwd.influx.tags == (("area", "north"),)
    assert fwd.opcua.endpoint == "opc.tcp://0.0.0.0:4841/wk/"
    assert [w.name for w in fwd.webhooks] == ["webhook", "webhook-2"] and fwd.webhooks[1].delivery.digest
    assert fwd.emails[0].port == 587 and fwd.emails[0].security == "starttls"
    assert "hunter2" not in repr(fwd) and "mail-pass" not in repr(fwd)


@pytest.mark.parametrize(
    ("forward", "notify", "words"),
    [
        ({"mqtt": {"url": "http://x"}}, {}, "forward.mqtt.url must look like mqtt://host:port"),
        ({"mqtt": {"url": "mqtt://x", "qos": 2}}, {}, "[forward.mqtt] has an unknown key 'qos'"),
        ({"mqtt": {"url": "mqtt://x", "protocol": "3"}}, {}, 'forward.mqtt.protocol must be "5" or "3.1.1"'),
        ({"mqtt": {"url": "mqtt://x", "topic": "a/#"}}, {}, "without + or #"),
        ({"influx": {"url": "http://x", "bucket": "b"}}, {}, "needs both bucket and token"),
        (
            {"influx": {"url": "http://x", "drain_rate": 0}},
            {},
            "forward.influx.drain_rate must be a positive",
        ),
        ({"opcua": {"endpoint": "http://x"}}, {}, "forward.opcua.endpoint must look like opc.tcp://"),
        ({}, {"webhook": {"url": "http://x", "priorities": ["urgent"]}}, "priority 'urgent' is not one of"),
        ({}, {"email": {"host": "h", "to": ["a@b"]}}, "notify.email needs host, from"),
        ({}, {"email": {"host": "h", "from": "a@b", "to": "c@d", "digest_time": "7am"}}, "digest_time"),
        ({"mqtt": {"url": "mqtt://u:pw-S3cret@x:port"}}, {}, "port that is not a number"),
    ],
)
def test_mistakes_are_named(forward, notify, words):
    with pytest.raises(ConfigError) as info:
        parse_forward_config(forward, notify)
    assert words in str(info.value)
    assert "S3cret" not in str(info.value)


def test_the_file_is_named_in_errors(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[forward.mqtt]\nurl = "ftp://x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: forward\.mqtt\.url"):
        load_checked_config(path)


def test_redact_hides_passwords_and_tokens():
    assert redact("mqtt://wk:pa55@broker:1883/x") == "mqtt://wk:***@broker:1883/x"
    assert (
        redact("http://influx:8086/write?db=a&u=admin&p=secret")
        == "http://influx:8086/write?db=a&u=***&p=***"
    )
    assert redact("https://h/x?token=abc") == "https://h/x?token=***"


def test_the_example_files_commented_sections_parse_when_uncommented():
    """resources/watchkeeper.example.toml shows every forwarding key; uncommented they are valid."""
    import re
    import tomllib
    from pathlib import Path

    text = (Path(__file__).parents[3] / "resources" / "watchkeeper.example.toml").read_text(encoding="utf-8")
    part = text[text.index("# -- Central monitoring") :].splitlines()
    keep = [line[2:] for line in part if re.match(r"# (\[|[a-z_]+ = )", line)]
    data = tomllib.loads("\n".join(keep))
    config = parse_forward_config(data["forward"], data["notify"])
    assert config.mqtt and config.influx and config.opcua and config.webhooks and config.emails
