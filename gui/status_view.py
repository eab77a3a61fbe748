"""StatusView: the status bar and the banner — port state, reading rate, rejected lines, file
size, forwarding, and the sentences that say why nothing is being recorded."""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from PySide6 import QtCore

from core.acquisition.reader import PortEvent, PortState
from gui.main_window import MainWindow
from gui.messages import port_state_text
from gui.port_dialog import shown_address
from gui.recorder import Recorder

FORWARD_BEHIND_S = 300.0  # a forwarder this far behind is shown in amber
RATE_SAMPLES = 21  # status updates the reading rate is measured over (ten seconds)
# The texts keep the translation file's context of the window controller they came from, so
# the Korean translations apply unchanged.
translate = QtCore.QCoreApplication.translate


class StatusView(QtCore.QObject):
    """Turns the recorder's statistics and events into the status bar and the banner."""

    def __init__(self, window: MainWindow, recorder: Recorder) -> None:
        super().__init__(window)
        self.window = window
        self.recorder = recorder
        # (time, readings) of the last status updates: the rate is over about ten seconds, so a
        # bus polled once a second does not read 0 and 14 readings/s in turn.
        self._rate_samples: deque[tuple[float, int]] = deque(maxlen=RATE_SAMPLES)
        recorder.port_event.connect(self._on_recorder_port_event)
        recorder.started.connect(self._on_recorder_started)
        recorder.start_failed.connect(self._on_recorder_start_failed)
        recorder.store_error.connect(self._on_recorder_store_error)

    def update(self) -> None:
        """Refresh the status bar from the recording's statistics (called on the status timer)."""
        stats = self.recorder.stats()
        if stats is None:
            return
        w = self.window
        r = stats.reader
        mono = time.monotonic()
        if self._rate_samples and self._rate_samples[-1][1] > r.readings:
            self._rate_samples.clear()  # a new recording counts from zero
        self._rate_samples.append((mono, r.readings))
        (t0, n0), (t1, n1) = self._rate_samples[0], self._rate_samples[-1]
        if t1 > t0:
            rate = (n1 - n0) / (t1 - t0)
            shown = f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}"
            w.rate_label.setText(translate("StatusView", "{rate} readings/s").format(rate=shown))
        rejected = translate("StatusView", "rejected lines: {n}")
        w.rejected_label.setText(rejected.format(n=r.rejected_total))
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(r.rejected.items()))
        w.rejected_label.setToolTip(kinds or translate("StatusView", "none"))
        w.db_label.setText(f"{Path(self.recorder.db_path).name}: {stats.db_bytes / 1e6:.1f} MB")
        # Whole seconds: while readings flow the words stay the same and the label is not
        # repainted twice a second for a tenth of a second nobody acts on.
        age = "–" if r.last_reading_at is None else f"{max(0.0, time.time() - r.last_reading_at):.0f}"
        w.age_label.setText(translate("StatusView", "last reading {age} s ago").format(age=age))
        if stats.writer.dropped:
            dropped = translate("StatusView", "({n} readings dropped)").format(n=stats.writer.dropped)
            w.db_label.setText(f"{w.db_label.text()} {dropped}")
        self._show_forwarders(stats.forwarders)

    def _show_forwarders(self, states) -> None:
        """ "Forwarding 2/3 connected, backlog 4,213" (amber when one is down or behind), with each
        forwarder's line (target, state, backlog, last error) in the tooltip."""
        label = self.window.forward_label
        label.setVisible(bool(states))
        if not states:
            return
        from core.forward.text import describe

        up = sum(s.connected for s in states)
        backlog = sum(s.backlog for s in states)
        text = translate("StatusView", "Forwarding {up}/{n} connected").format(up=up, n=len(states))
        if backlog:
            text += translate("StatusView", ", backlog {n}").format(n=f"{backlog:,}")
        behind = any(s.backlog_age_s > FORWARD_BEHIND_S for s in states)
        label.setText(text)
        style = "color:#9a6700; font-weight:bold;" if up < len(states) or behind else ""
        if label.styleSheet() != style:
            label.setStyleSheet(style)
        label.setToolTip("\n".join(describe(s) for s in states))

    def _on_recorder_port_event(self, event: PortEvent) -> None:
        w = self.window
        port = shown_address(event.port)
        w.port_label.setText(f"{port}: {port_state_text(event.state.value)}")
        if event.state in (PortState.LOST, PortState.RECONNECTING):
            w.show_banner(
                translate(
                    "StatusView",
                    "Connection to {port} lost — reconnecting automatically. Check the cable, the "
                    "adapter or the gateway. Readings received so far are saved.",
                ).format(port=port)
            )
        elif event.state is PortState.CONNECTED:
            w.show_banner("")

    def _on_recorder_started(self, port: str) -> None:
        self.window.port_label.setText(f"{shown_address(port)}: {port_state_text('connected')}")
        self.window.show_banner("")

    def _on_recorder_start_failed(self, message: str) -> None:
        # Core's sentence (a PortError's, a StoreError's), already in the operator's language.
        self.window.port_label.setText(translate("StatusView", "Not recording"))
        text = translate("StatusView", "Not recording: {error}")
        self.window.show_banner(text.format(error=message))

    def _on_recorder_store_error(self, message: str) -> None:
        if message:
            self.window.show_banner(
                translate(
                    "StatusView",
                    "{error}. Readings are kept in memory and written as soon as the file can be written.",
                ).format(error=message)
            )
        else:
            self.window.show_banner("")
