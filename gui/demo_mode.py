"""The demo's own pieces of start-up: its clock shift, the simulated Modbus bus and the backfilled history."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

log = logging.getLogger("watchkeeper")

DEMO_FILES = {"lines": "demo.duckdb", "modbus": "demo-modbus.duckdb"}


class DemoMode:
    """``--demo`` (the simulated device) or ``--demo modbus`` (a simulated bus of three slaves)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.clock_shift = 0.0  # see core.simulation.demo.demo_clock_shift
        self.bus = None  # the simulated Modbus bus (a SimulatedBus) while it runs
        self._backfill: threading.Thread | None = None

    def choose_clock_shift(self, settings, store) -> float:
        """A new demo file starts at the demo's chosen time of day; an existing one keeps the shift
        its history was made with, so the signal carries on where it left off."""
        from core.simulation.demo import demo_clock_shift

        saved = settings.demo_clock_shift
        if saved is not None and store.count() > 0:
            self.clock_shift = saved
        else:
            self.clock_shift = round(demo_clock_shift(time.time()))
            settings.demo_clock_shift = self.clock_shift
        return self.clock_shift

    def configure(self, config):
        """The configuration the demo records with (its port, channels, limits)."""
        from core.simulation.demo import demo_bus_config, demo_config

        config = demo_config(config, self.clock_shift)
        return demo_bus_config(self.bus.port, config) if self.bus is not None else config

    def start_bus(self) -> str | None:
        """Start the simulated bus of ``--demo modbus``; a sentence for the operator if it cannot."""
        if self.kind != "modbus":
            return None
        from core.simulation.demo import start_demo_bus

        try:
            self.bus = start_demo_bus(self.clock_shift)
        except RuntimeError as exc:
            log.warning("the simulated Modbus bus did not start: %s", exc)
            return QCoreApplication.translate(
                "Application", "The simulated Modbus bus could not be started on this PC."
            )
        return None

    def register_map(self):
        """The simulated bus's register map (None for the line demo)."""
        if self.bus is None:
            return None
        from core.register_maps import load_register_map
        from core.simulation.demo import DEMO_BUS_MAP

        return load_register_map(DEMO_BUS_MAP)

    def backfill(self, store, until_s: float, done: Callable[[], None]) -> None:
        """Fill the file with the demo's past on a thread of its own (through the live writer);
        ``done()`` when readings were added."""
        from core.simulation.demo import backfill_history
        from core.simulation.demo_bus import UNITS as DEMO_BUS_UNITS

        channels = tuple(DEMO_BUS_UNITS) if self.kind == "modbus" else None  # the bus's seven

        def run() -> None:
            added = backfill_history(store, until_s, clock_shift_s=self.clock_shift, channels=channels)
            if added:
                log.info("demo history: %d readings", added)
                done()

        self._backfill = threading.Thread(target=run, name="DemoHistory", daemon=True)
        self._backfill.start()

    def join_backfill(self, timeout: float | None = None) -> None:
        if self._backfill is not None:
            self._backfill.join(timeout)

    def stop(self) -> None:
        if self.bus is not None:
            self.bus.stop()
            self.bus = None
