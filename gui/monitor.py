"""The window controller's former name, kept until the composition root imports
``gui.window_controller`` (then this module goes: "monitor" is the scoring and alarm thread,
core.alarms.monitor.Monitor)."""

from __future__ import annotations

from gui.window_controller import WindowController


class MonitorController(WindowController):
    """WindowController under its old name, with its old settable threshold."""

    @property
    def anomaly_threshold(self) -> float:
        return self.live_view.anomaly_threshold

    @anomaly_threshold.setter
    def anomaly_threshold(self, value: float) -> None:
        self.live_view.anomaly_threshold = value
