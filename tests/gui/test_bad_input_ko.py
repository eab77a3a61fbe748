"""In the Korean window, the sentences about bad input read Korean: a Modbus bus being
commissioned (a scan, a read of a dead slave, a register map that cannot be used), a
configuration with a mistake, a damaged forecast model and an export that cannot be written.

The Modbus tests run against pymodbus's own server on 127.0.0.1 playing the simulated plant's
three slaves, unit 3 muted to play a dead slave (as tests/gui/test_port_dialog_modbus.py).
"""

from __future__ import annotations

import re

from PySide6 import QtCore

from core.forecast.artifacts import model_path
from gui.port_dialog import PortDialog
from tests.gui.test_forecasts import rig  # noqa: F401 (the fixture)
from tests.gui.test_port_dialog_modbus import _modbus_dialog, bus  # noqa: F401 (the fixture)


def _status(dialog: PortDialog) -> str:
    return dialog.modbus.status.text()


def test_the_register_map_and_its_summary_read_korean(qtbot, bus, korean):  # noqa: F811
    dialog = _modbus_dialog(qtbot, bus)
    titles = [dialog.modbus.map_combo.itemText(i) for i in range(dialog.modbus.map_combo.count())]
    assert "'watchkeeper modbus simulate'의 모의 버스 (슬레이브 3대, 하드웨어 불필요)" in titles
    assert "XY-MD02 온습도 전송기 (SHT20 센서, RS485 Modbus RTU)" in titles
    summary = dialog.modbus.map_summary.text()
    assert summary.startswith("슬레이브 3대, 포인트 7개: 유닛 1 energy meter (voltage, current); 유닛 2 ")


def test_a_scan_and_its_mistakes_read_korean(qtbot, bus, korean):  # noqa: F811
    dialog = _modbus_dialog(qtbot, bus)
    panel = dialog.modbus
    panel.units_edit.setText("1-x")
    qtbot.mouseClick(panel.scan_button, QtCore.Qt.LeftButton)
    assert "유닛 ID '1-x'은(는) 1-247 또는 1-10,20 같은 목록이 아닙니다." in _status(dialog)
    panel.units_edit.setText("1-5")
    qtbot.mouseClick(panel.scan_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "color:" in _status(dialog), timeout=30_000)  # the scan's end
    text = _status(dialog)
    assert "유닛 1 응답; 유닛 2 응답" in text and "유닛 3" not in text, text


def test_reading_a_dead_slave_and_a_bad_address_read_korean(qtbot, bus, korean):  # noqa: F811
    dialog = _modbus_dialog(qtbot, bus)
    panel = dialog.modbus
    panel.unit.setValue(3)
    panel.address.setText("30002")
    qtbot.mouseClick(panel.read_button, QtCore.Qt.LeftButton)
    expected = (
        "유닛 3이(가) 1초 안에 응답하지 않았습니다 (시간 초과). "
        "주소, 통신 속도, 패리티와 배선을 확인하십시오."
    )
    qtbot.waitUntil(lambda: expected in _status(dialog), timeout=15_000)
    panel.address.setText("3x")
    qtbot.mouseClick(panel.read_button, QtCore.Qt.LeftButton)
    assert "주소 '3x'은(는) 정수가 아닙니다 (3, 0x03E8 또는 30004처럼 쓰십시오)." in _status(dialog)


def test_reading_the_whole_map_says_which_slave_is_silent_in_korean(qtbot, bus, korean):  # noqa: F811
    dialog = _modbus_dialog(qtbot, bus)
    qtbot.mouseClick(dialog.modbus.test_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "유닛 1 (energy meter)" in _status(dialog), timeout=20_000)
    assert re.search(r"유닛 3이\(가\) [\d.]+초 안에 응답하지 않았습니다 \(시간 초과\)", _status(dialog))


def test_a_register_map_with_a_mistake_is_said_in_korean(qtbot, bus, tmp_path, korean):  # noqa: F811
    broken = tmp_path / "broken.toml"
    broken.write_text('[modbus]\ninterval = "fast"\n', encoding="utf-8")
    dialog = _modbus_dialog(qtbot, bus)
    dialog.set_register_map(str(broken))
    assert dialog.register_map() is None
    said = dialog.modbus.map_summary.text()
    assert f"{broken}: modbus.interval은(는) 숫자여야 합니다 (입력: 'fast')" in said


def test_a_configuration_mistake_is_said_in_korean_and_the_window_starts(make_app, tmp_path, korean):
    config = tmp_path / "watchkeeper.toml"
    config.write_text('[port]\nbaudrate = "fast"\n', encoding="utf-8")
    wk = make_app(config=str(config), start=False)
    assert wk.start()
    expected = (
        f"설정 파일에 문제가 있습니다: {config}: port.baudrate은(는) 정수여야 합니다 (입력: 'fast'). "
        "Watchkeeper를 기본 설정으로 시작합니다."
    )
    assert expected in wk.messages


def _started_with(make_app, tmp_path, toml: str):
    """The config file written with ``toml`` and what the Korean window said as it started."""
    config = tmp_path / "watchkeeper.toml"
    config.write_text(toml, encoding="utf-8")
    wk = make_app(config=str(config), start=False)
    assert wk.start()
    return config, wk.messages


def test_a_machine_of_one_channel_in_the_anomaly_settings_is_said_in_korean(make_app, tmp_path, korean):
    """[anomaly] machines with a machine of one channel: the whole sentence is Korean, the
    channel names and key as written."""
    config, said = _started_with(make_app, tmp_path, '[anomaly]\nmachines = [["current", "current"]]\n')
    expected = (
        f"[anomaly] 설정에 문제가 있습니다: {config}: anomaly.machines: 설비 1에는 서로 다른 채널이 "
        "둘 이상 있어야 합니다. 기본값을 사용합니다."
    )
    assert expected in said, said


def test_a_forwarding_url_without_a_host_is_said_in_korean(make_app, tmp_path, korean):
    """[forward.mqtt] url that is not mqtt://host:port: Korean around the key, the example and
    what was written."""
    config, said = _started_with(make_app, tmp_path, '[forward.mqtt]\nurl = "broker.local:1883"\n')
    expected = (
        f"[forward] 또는 [notify] 설정에 문제가 있습니다: {config}: forward.mqtt.url은(는) "
        "mqtt://host:port 형식이어야 합니다 (입력: 'broker.local:1883'). 아무것도 전송하지 않습니다."
    )
    assert expected in said, said


def test_an_unknown_key_in_the_alarm_settings_is_said_in_korean(make_app, tmp_path, korean):
    config = tmp_path / "watchkeeper.toml"
    config.write_text("[alarms]\nchatter = 3\n", encoding="utf-8")
    wk = make_app(config=str(config), start=False)
    assert wk.start()
    said = next(m for m in wk.messages if "[alarms]" in m and "chatter" in m)
    assert "에 알 수 없는 키 'chatter'이(가) 있습니다 (사용 가능: " in said and "기본 경보" in said, said


def test_a_damaged_forecast_model_is_said_on_its_tile_in_korean(qtbot, rig, korean):  # noqa: F811
    ctl, window, tmp_path = rig
    path = model_path(tmp_path / "models", "temp")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not a model", encoding="utf-8")
    ctl.predict_now()
    note = window.tiles.tiles["temp"].note
    qtbot.waitUntil(lambda: "손상되었거나 Watchkeeper 모델이 아닙니다" in note.toolTip(), timeout=60_000)
    assert "1행의 JSON이 올바르지 않음" in note.toolTip()


def test_an_export_that_cannot_be_written_is_said_in_korean(make_app, qtbot, tmp_path, monkeypatch, korean):
    """Export CSV… in the toolbar, to a "folder" that is a file: one Korean sentence, no
    library text, and the window goes on."""
    from gui import exports

    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: wk.store.count() > 200, timeout=20_000)
    (tmp_path / "report").write_text("a file, not a folder")
    target = tmp_path / "report" / "view.csv"
    monkeypatch.setattr(exports, "ask_path", lambda *a: target)  # the file dialog's answer
    messages: list[str] = []
    wk.controller.message.connect(messages.append)
    wk.window.export_csv_action.trigger()
    try:
        qtbot.waitUntil(lambda: any(m.startswith("내보내기 실패") for m in messages), timeout=20_000)
    except Exception as exc:  # pytest-qt's TimeoutError: say what was said instead
        raise AssertionError(f"no export failure said; messages: {messages}") from exc
    said = next(m for m in messages if m.startswith("내보내기 실패"))
    assert said == f"내보내기 실패: {target}에 쓸 수 없습니다: 경로의 일부가 폴더가 아니라 파일입니다", said
    assert "IO Error" not in said and "duckdb" not in said.lower()
    assert not target.exists()


def test_limits_in_the_wrong_order_are_refused_in_korean(qtbot, tmp_path, korean):
    """The operator types HH below H and presses Save: one Korean sentence, the file unchanged."""
    from gui.limits_dialog import LimitsDialog

    path = tmp_path / "watchkeeper.toml"
    path.write_text('[port]\ndevice = "COM3"\n', encoding="utf-8")
    dialog = LimitsDialog(["boiler"], None, {"boiler": "°C"}, path)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 1).setText("lots")  # H
    qtbot.mouseClick(dialog.save_button, QtCore.Qt.LeftButton)
    assert "저장하지 않음: boiler H은(는) 숫자여야 합니다 (입력: 'lots')." in dialog.error.text()
    dialog.table.item(0, 1).setText("85")
    dialog.table.item(0, 0).setText("80")  # HH below H
    qtbot.mouseClick(dialog.save_button, QtCore.Qt.LeftButton)
    expected = "저장하지 않음: alarms.channels.boiler: 한계값은 hh ≥ h ≥ l ≥ ll 순서여야 합니다."
    assert expected in dialog.error.text()
    assert path.read_text(encoding="utf-8") == '[port]\ndevice = "COM3"\n'
