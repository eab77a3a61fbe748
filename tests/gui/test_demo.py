"""The demo end to end: it trains its first model by itself, and the drift is predicted before
the temperature reaches its limit."""

import pytest


@pytest.mark.timeout(420)  # it waits up to 240 s for the first model and its forecast
def test_the_demo_predicts_the_temperature_crossing_its_limit(make_app, qtbot):
    wk = make_app(demo=True)
    ctl = wk.forecasts
    qtbot.waitUntil(lambda: ctl.dialog is not None and ctl.dialog.isVisible(), timeout=20_000)

    def engine():
        session = wk.recorder._session
        return None if session is None else session.engine

    def predicted() -> bool:
        e = engine()
        return e is not None and e.status("temperature.predictive").state.active

    qtbot.waitUntil(predicted, timeout=240_000)
    e = engine()
    assert "Predicted HIGH 70.0" in e.status("temperature.predictive").message
    assert not e.status("temperature.H").state.active  # the warning comes before the limit
    plot = wk.window.plots.plots["temperature"]
    qtbot.waitUntil(lambda: len(plot.forecast.getData()[0]) > 0, timeout=30_000)
    # The training dialog steps aside once the first model is there.
    qtbot.waitUntil(lambda: not ctl.dialog.isVisible(), timeout=15_000)
