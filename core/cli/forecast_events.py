"""What the headless recorder prints of its forecast service: one line per cycle and per training."""

from __future__ import annotations

import time

from core.engine.forecasting import (
    CycleDone,
    CycleFailed,
    ForecastEvent,
    RetrainStarted,
    TrainDone,
    TrainFailed,
    TrainStarted,
)


class ForecastPrinter:
    """Prints forecast events; a reason a channel is not forecast is printed when it changes, not
    every cycle (an hourly "no model" line would bury the status lines)."""

    def __init__(self) -> None:
        self._said: dict[str, str] = {}

    def __call__(self, event: ForecastEvent) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(event, CycleDone):
            r = event.result
            if r.forecasts:
                where = f" and written to {r.csv_path}" if r.csv_path else ""
                print(f"{stamp} forecast for {', '.join(sorted(r.forecasts))}{where}.", flush=True)
            for channel in r.forecasts:
                self._said.pop(channel, None)
            for channel, why in {**r.skipped, **r.stale}.items():
                self._once(stamp, channel, why)
        elif isinstance(event, CycleFailed):
            self._once(
                stamp,
                "cycle",
                event.error if not event.unexpected else f"The forecast cycle failed: {event.error}",
            )
        elif isinstance(event, RetrainStarted):
            names = ", ".join(repr(c) for c in event.channels)
            print(
                f"{stamp} retraining the forecast model of {names} "
                f"(models are retrained every {event.every}).",
                flush=True,
            )
        elif isinstance(event, TrainStarted):
            print(f"{stamp} training the forecast model of '{event.channel}'…", flush=True)
        elif isinstance(event, TrainDone):
            print(
                f"{stamp} model for '{event.channel}' trained: "
                f"skill {event.result.skill:+.2f} against persistence.",
                flush=True,
            )
        elif isinstance(event, TrainFailed):
            why = "cancelled; the previous model (if any) is kept" if event.cancelled else event.error
            print(f"{stamp} training of '{event.channel}': {why}", flush=True)

    def _once(self, stamp: str, key: str, text: str) -> None:
        if self._said.get(key) != text:
            self._said[key] = text
            print(f"{stamp} forecast: {text}", flush=True)
