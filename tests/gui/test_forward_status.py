"""The window shows where its readings are forwarded: connected or not, and the backlog.

A real mosquitto on 127.0.0.1 (installed by .ci/run); the broker goes down mid-run and the
status bar turns amber with the reason in its tooltip, then recovers when it is back.
"""

from __future__ import annotations

import shutil
import signal

import pytest

from tests.core.forward.servers import Broker, find_binary


@pytest.fixture
def broker(tmp_path):
    exe = find_binary("mosquitto") or shutil.which("mosquitto")
    if exe is None:
        pytest.skip("mosquitto is not installed (.ci/run installs it)")
    b = Broker.create(exe, tmp_path / "broker")  # started
    yield b
    b.stop(signal.SIGKILL)


def test_the_status_bar_shows_the_forwarders_state(make_app, qtbot, tmp_path, broker):
    config = tmp_path / "watchkeeper.toml"
    config.write_text(
        '[port]\ndevice = "sim://?channels=2&rate=10"\n\n'
        f'[forward.mqtt]\nurl = "mqtt://127.0.0.1:{broker.port}"\nretry_max = 1\n',
        encoding="utf-8",
    )
    wk = make_app(config=str(config))
    label = wk.window.forward_label
    qtbot.waitUntil(lambda: label.isVisible() and "1/1 connected" in label.text(), timeout=60_000)
    assert "mqtt -> mqtt://127.0.0.1" in label.toolTip() and "connected" in label.toolTip()
    broker.stop(signal.SIGTERM)
    qtbot.waitUntil(lambda: "0/1 connected" in label.text(), timeout=60_000)
    assert "#9a6700" in label.styleSheet() and "NOT CONNECTED" in label.toolTip()
    broker.start()
    qtbot.waitUntil(lambda: "1/1 connected" in label.text(), timeout=60_000)
    qtbot.waitUntil(lambda: label.styleSheet() == "", timeout=60_000)
