"""In the Korean window, core's sentences about ports and files and a recording's notices read
Korean, the port names, paths and numbers in them unchanged."""

from __future__ import annotations

import threading

from PySide6 import QtCore, QtWidgets

from gui.port_dialog import PortDialog
from tests.core.test_full_and_read_only_disks import _fill, small_disk


def _connect_button(dialog: PortDialog) -> QtWidgets.QPushButton:
    return dialog.findChild(QtWidgets.QDialogButtonBox).button(QtWidgets.QDialogButtonBox.Ok)


def test_testing_a_port_that_is_not_there_says_so_in_korean(qtbot, tmp_path, korean):
    gone = str(tmp_path / "ttyGONE")
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText(gone)
    qtbot.mouseClick(dialog.test_button, QtCore.Qt.LeftButton)
    expected = f"포트 {gone}을(를) 찾을 수 없습니다: 케이블과 포트 이름을 점검하십시오."
    qtbot.waitUntil(lambda: expected in dialog.verdict.text(), timeout=5_000)
    assert dialog.test_button.isEnabled()


def test_the_port_tests_verdict_reads_korean_with_its_counts_and_channels(qtbot, cable, korean):
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText(cable.a)
    threading.Timer(0.3, cable.write_b, [b"temp=21.5,hum=40\n" * 3]).start()
    qtbot.mouseClick(dialog.test_button, QtCore.Qt.LeftButton)
    expected = "정상으로 보입니다: 줄 3개 중 3개를 읽었고, 채널 2개: hum, temp."
    qtbot.waitUntil(lambda: expected in dialog.verdict.text(), timeout=8_000)


def test_the_window_refuses_a_csv_file_in_korean(make_app, tmp_path, korean):
    path = tmp_path / "history.csv"
    path.write_text("timestamp,temp\n2026-01-01T00:00:00,20\n")
    wk = make_app(db=str(path), start=False)
    assert not wk.start()
    sentence = (
        f"파일 {path}은(는) Watchkeeper 데이터베이스가 아니라 CSV 파일입니다. --db로 다른 파일을 고르십시오 "
        "(새 이름을 주면 새 데이터베이스가 시작됩니다)."
    )
    assert sentence in wk.messages
    assert wk.window.banner.text() == sentence + " 다른 파일로 시작하십시오 (--db)."


def test_connecting_to_a_port_that_is_not_there_says_why_nothing_records_in_korean(
    make_app, qtbot, tmp_path, korean
):
    """The operator picks a port that is gone and presses Connect: the banner says, in Korean,
    that nothing is being recorded and why."""
    gone = str(tmp_path / "ttyGONE")
    wk = make_app()
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=5_000)
    wk.port_dialog.port_edit.setText(gone)
    qtbot.mouseClick(_connect_button(wk.port_dialog), QtCore.Qt.LeftButton)
    expected = f"기록 안 함: 포트 {gone}을(를) 찾을 수 없습니다: 케이블과 포트 이름을 점검하십시오."
    qtbot.waitUntil(lambda: wk.window.banner.text() == expected, timeout=10_000)
    assert wk.window.port_label.text() == "기록 안 함"


def test_a_device_sending_too_many_channel_names_is_told_in_korean(make_app, qtbot, tmp_path, korean):
    """A recording's notice (here: more channel names than the port may create) reaches the
    status bar in Korean."""
    config = tmp_path / "watchkeeper.toml"
    config.write_text('[port]\ndevice = "sim://?channels=6&rate=20&format=kv"\nmax_channels = 2\n')
    wk = make_app(config=str(config))
    expected = (
        "sim://?channels=6&rate=20&format=kv의 장치가 서로 다른 채널 이름을 2개보다 많이 보냅니다. "
        "새 이름의 줄은 저장하지 않습니다 (예상된 일이면 [port] max_channels 값을 올리십시오)."
    )
    qtbot.waitUntil(lambda: wk.window.message_label.text() == expected, timeout=15_000)


def test_a_full_disk_is_said_in_the_banner_in_korean(make_app, qtbot, tmp_path, korean):
    """The disk under the file fills while recording: the banner says, in Korean, that the file
    cannot be written and why, and that readings wait in memory."""
    with small_disk(tmp_path / "disk", size="8m") as disk:
        db = disk / "plant.duckdb"
        config = tmp_path / "watchkeeper.toml"
        config.write_text('[port]\ndevice = "sim://?channels=8&rate=50"\n[storage]\ncommit_interval = 0.2\n')
        wk = make_app(db=str(db), config=str(config))
        qtbot.waitUntil(lambda: wk.recorder.is_recording, timeout=10_000)
        _fill(disk)
        expected = (
            f"{db}에 쓸 수 없습니다: 디스크에 남은 공간이 없습니다. 그 디스크의 공간을 확보하십시오. "
            "측정값은 메모리에 보관했다가 파일에 쓸 수 있게 되는 즉시 기록합니다."
        )
        qtbot.waitUntil(lambda: wk.window.banner.text() == expected, timeout=30_000)
        (disk / "filler").unlink()
        qtbot.waitUntil(lambda: wk.window.banner.text() == "", timeout=30_000)
        wk.window.close()
