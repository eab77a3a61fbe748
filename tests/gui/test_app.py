"""Start-up behaviour: a busy file, the saved port, no TensorFlow, errors shown once."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from core.acquisition.ports import PortInfo, SerialSettings, UsbIdentity
from core.config import PortConfig

ROOT = Path(__file__).resolve().parents[2]


def test_start_does_not_import_tensorflow(tmp_path):
    """The window starts and records without loading TensorFlow (only the forecast worker loads it)."""
    code = textwrap.dedent(f"""
        import argparse, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6 import QtCore, QtWidgets
        from gui.app import Application
        app = QtWidgets.QApplication([])
        wk = Application(argparse.Namespace(demo=True, db={str(tmp_path / "d.duckdb")!r}, config=None))
        wk.window.show()
        assert wk.start()
        QtCore.QTimer.singleShot(2500, app.quit)
        app.exec()
        print("tensorflow" in sys.modules, wk.live.total > 0)
        wk.window.close()
    """)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert out.stdout.split()[-2:] == ["False", "True"], out.stderr[-2000:]


def test_a_file_recorded_by_another_program_is_a_message_not_a_crash(make_app, tmp_path, monkeypatch):
    """If another Watchkeeper holds the file, the window says so and stays open."""
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys, time
        from core.storage.store import ReadingStore
        s = ReadingStore({str(db)!r}); print("ready", flush=True); time.sleep(30)
    """),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        wk = make_app(db=str(db), start=False)
        assert wk.start() is False
        assert "already open in another Watchkeeper" in wk.messages[0]
        assert wk.window.banner.isVisible() and wk.window.isVisible()
    finally:
        holder.kill()
        holder.wait()


def test_saved_usb_adapter_is_found_under_its_new_port_name(make_app, monkeypatch):
    """A remembered USB adapter that came back as another COM port is used under its new name."""
    import core.acquisition.ports as ports

    usb = UsbIdentity(0x0403, 0x6001, "A10K")
    moved = PortInfo("COM9", "USB-RS485", "FTDI", 0x0403, 0x6001, "A10K")
    monkeypatch.setattr(ports, "list_serial_ports", lambda: [moved])
    wk = make_app(start=False)
    wk.settings.last_port = PortConfig("COM4", SerialSettings(19200), usb=usb)
    wk.config = __import__("core.config", fromlist=["Config"]).Config()
    port = wk._saved_port()
    assert port.device == "COM9" and port.settings.baudrate == 19200


def test_unexpected_errors_are_logged_and_shown_once(make_app, monkeypatch):
    """An unexpected exception goes to the log file and one message box, and the app goes on."""
    wk = make_app(demo=True)
    for _ in range(3):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    assert len(wk.messages) == 1 and "boom" in wk.messages[0]
    assert "RuntimeError: boom" in wk.log_path.read_text(encoding="utf-8")
    sys.excepthook = sys.__excepthook__


def test_an_interrupt_or_a_time_out_is_not_swallowed_as_an_unexpected_error(make_app):
    """Ctrl+C, an exit or a test's time-out reaching the hook goes on to the previous hook (which
    ends the program or fails the test) instead of being logged as an error and ignored."""
    seen = []
    sys.excepthook = lambda *info: seen.append(info[0])
    wk = make_app(start=False)
    wk.start()
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
    assert seen == [KeyboardInterrupt] and wk.messages == []
