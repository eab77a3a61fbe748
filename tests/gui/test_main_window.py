"""The operator window: demo, live plots, history presets, lost port banner, clean close."""

import time

import duckdb
import numpy as np

from core.acquisition.ports import SerialSettings
from core.config import PortConfig


def npoints(item) -> int:
    x = item.getData()[0]
    return 0 if x is None else len(x)


def test_demo_fills_the_plots_and_tiles(make_app, qtbot):
    """--demo records the simulated device at once: plots, tiles and status bar fill without a dialog."""
    wk = make_app(demo=True)
    assert "Watchkeeper" in wk.window.windowTitle()
    plots = wk.window.plots
    qtbot.waitUntil(lambda: len(plots.plots) == 4, timeout=10_000)
    assert plots.order[0] == "temperature"
    qtbot.waitUntil(lambda: all(npoints(cp.live) > 5 for cp in plots.plots.values()), timeout=10_000)
    qtbot.waitUntil(lambda: "°C" in wk.window.tiles.tiles["temperature"].value.text(), timeout=5_000)
    qtbot.waitUntil(lambda: "readings/s" in wk.window.rate_label.text(), timeout=5_000)
    assert "connected" in wk.window.port_label.text()


def test_range_preset_queries_history_with_envelope(make_app, qtbot):
    """Choosing '7 d' asks the storage engine and draws its mean and min/max envelope."""
    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: wk.store.count() > 100_000, timeout=20_000)  # the demo's week of history

    def week(result) -> bool:
        return result.request.end_us - result.request.start_us > 6 * 86_400e6

    with qtbot.waitSignal(wk.controller.history.shown, timeout=10_000, check_params_cb=week) as blocker:
        wk.window.range_actions[7 * 86_400].trigger()
    result = blocker.args[0]
    series = result.series["temperature"]
    assert series.resolution in ("1min", "1h")
    assert (series.vmax >= series.mean).all() and (series.vmin <= series.mean).all()
    qtbot.waitUntil(lambda: npoints(wk.window.plots.plots["temperature"].env_hi) > 10, timeout=5_000)
    x0, x1 = wk.window.plots.x_range()
    assert abs((x1 - x0) - 7 * 86_400) < 3600


def test_zooming_pauses_following(make_app, qtbot):
    """A manual zoom stops the view from scrolling; the Following button resumes it."""
    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: len(wk.window.plots.plots) == 4, timeout=10_000)
    plot = wk.window.plots.plots["temperature"].plot
    plot.vb.scaleBy((0.5, 1))  # what the mouse wheel does
    plot.vb.sigRangeChangedManually.emit(plot.vb.state["mouseEnabled"])
    assert not wk.controller.live_view.following and wk.window.follow_action.text() == "Paused"
    wk.window.follow_action.trigger()
    assert wk.controller.live_view.following


def test_lost_port_shows_a_banner_and_recovers(make_app, qtbot, cable, qsettings):
    """Pulling the cable shows a clear banner while reconnect keeps trying; plugging back clears it."""
    wk = make_app(start=False)
    wk.settings.last_port = PortConfig(cable.a, SerialSettings(115200))
    assert wk.start()
    qtbot.waitUntil(lambda: wk.recorder.is_recording, timeout=5_000)
    cable.write_b(b"temp=1\n")
    qtbot.waitUntil(lambda: "temp" in wk.window.plots.plots, timeout=5_000)
    cable.unplug()
    qtbot.waitUntil(lambda: wk.window.banner.isVisible(), timeout=5_000)
    assert "lost" in wk.window.banner.text() and "reconnecting" in wk.window.banner.text()
    cable.plug()
    qtbot.waitUntil(lambda: not wk.window.banner.isVisible(), timeout=5_000)


def test_close_flushes_every_reading_to_the_file(make_app, qtbot, cable, tmp_path):
    """Closing the window stops the threads and the file holds every reading that was shown."""
    db = tmp_path / "close.duckdb"
    wk = make_app(start=False, db=str(db))
    wk.settings.last_port = PortConfig(cable.a, SerialSettings(115200))
    assert wk.start()
    qtbot.waitUntil(lambda: wk.recorder.is_recording, timeout=5_000)
    cable.write_b(b"".join(b"v=%d\n" % i for i in range(2000)))
    qtbot.waitUntil(lambda: wk.live.total == 2000, timeout=5_000)
    wk.window.close()
    assert not wk.recorder.is_recording
    con = duckdb.connect(str(db), read_only=True)
    values = np.array(con.execute("SELECT value FROM readings ORDER BY ts").fetchall()).ravel()
    assert values.tolist() == list(range(2000))


def test_export_visible_range_and_png(make_app, qtbot, tmp_path):
    """The visible range exports to CSV and the plots to PNG."""
    from gui import exports

    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: wk.store.count() > 1000, timeout=20_000)
    time.sleep(0.6)  # let the writer commit the newest readings
    messages = []
    with qtbot.waitSignal(wk.controller.message, timeout=10_000):
        wk.controller.message.connect(messages.append)
        exports.export_visible_csv(wk.window, wk.store, tmp_path / "view.csv", wk.controller.message.emit)
    assert messages[-1].startswith("Saved ") and (tmp_path / "view.csv").stat().st_size > 100
    assert exports.save_plots_png(wk.window, tmp_path / "plots.png").startswith("Saved")
    assert (tmp_path / "plots.png").read_bytes()[:4] == b"\x89PNG"


def test_an_active_anomaly_is_shaded_up_to_now_not_into_the_forecast_room(make_app, qtbot):
    """Spans of anomaly alarms come from the journal; one still active ends at the present."""
    from core.alarms import AlarmEvent, AlarmJournal, AlarmKind, AlarmState, Priority

    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: len(wk.window.plots.plots) == 4, timeout=10_000)
    now = time.time()
    AlarmJournal(wk.store).append(
        [
            AlarmEvent(
                int((now - 120) * 1e6),
                "level.anomaly",
                "level",
                AlarmKind.ANOMALY,
                Priority.LOW,
                AlarmState.NORMAL,
                AlarmState.ACTIVE_UNACK,
                1.0,
                "Unusual behaviour",
            ),
        ]
    )
    wk.controller.live_view.set_forecast_reach(600.0)  # a forecast ten minutes ahead widens the view
    qtbot.waitUntil(lambda: wk.window.plots.x_range()[1] > time.time() + 60, timeout=5_000)
    cp = wk.window.plots.plots["level"]
    # The journal is read for spans every other second.
    qtbot.waitUntil(lambda: any(r.isVisible() for r in cp.spans), timeout=10_000)
    start, end = next(r for r in cp.spans if r.isVisible()).getRegion()
    assert abs(start - (now - 120)) < 1 and end <= time.time() + 0.5


def test_the_journal_is_read_for_spans_only_when_they_can_have_changed(make_app, qtbot, monkeypatch):
    """With no anomaly alarm active and the view standing still, the window does not ask the file
    for anomaly spans every other second; moving the view asks at once."""
    from gui.background import Query

    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: len(wk.window.plots.plots) == 4, timeout=10_000)
    overlays = wk.controller.overlays
    asked: list[float] = []
    submit = overlays.worker.submit

    def counting(kind, *args, **kwargs):
        if kind is Query.ANOMALY_SPANS:
            asked.append(time.monotonic())
        return submit(kind, *args, **kwargs)

    monkeypatch.setattr(overlays.worker, "submit", counting)
    live_view = wk.controller.live_view
    held = time.time()
    live_view.clock = lambda: held  # the followed view stands still (no step ahead meanwhile)
    qtbot.wait(2500)  # one read may be due from before (the demo's first alarms, the first view)
    settled = len(asked)
    qtbot.wait(6000)  # three span ticks
    engine = wk.recorder.alarm_engine
    if not any(s.kind.value == "anomaly" and s.state.active for s in engine.alarms()):
        assert len(asked) == settled, "the journal was read with nothing in view able to change"
    live_view.set_forecast_reach(600.0)  # the view widens
    qtbot.waitUntil(lambda: len(asked) > settled, timeout=5_000)
