"""``watchkeeper ports``, ``record`` and ``simulate``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from core.acquisition.parsing import LineFormat
from core.acquisition.ports import PortError, SerialSettings, list_serial_ports
from core.acquisition.reader import PortEvent
from core.acquisition.source import source_for
from core.alarms.model import AlarmEvent
from core.cli.forecast_events import ForecastPrinter
from core.cli.modbus import print_bus
from core.cli.stops import StopRequests
from core.config import Config, ConfigError, PortConfig
from core.engine.engine import Engine
from core.engine.forecasting import ForecastService
from core.engine.handover import Handover, relaunch_command
from core.engine.ipc import OwnerKind, Request
from core.engine.session import Notice, RecordingSession, SessionEvents, SessionStats
from core.engine.settings import EngineConfig, forecast_paths, load_checked_config, parse_engine_config
from core.forward.text import describe as describe_forwarder
from core.paths import data_dir, default_db_path
from core.storage.store import StoreError

USER_ERRORS = (PortError, ConfigError, StoreError, ValueError)


def _settings(args: argparse.Namespace, base: SerialSettings) -> SerialSettings:
    return SerialSettings(
        baudrate=args.baud if args.baud is not None else base.baudrate,
        parity=args.parity or base.parity,
        stopbits=args.stopbits if args.stopbits is not None else base.stopbits,
        bytesize=args.bytesize if args.bytesize is not None else base.bytesize,
    ).validate()


def cmd_ports(args: argparse.Namespace) -> int:
    ports = list_serial_ports()
    if not ports:
        print("No serial ports found. URL ports such as socket://host:port need no listing.")
        return 0
    print(f"{'DEVICE':<16} {'VID:PID':<10} {'SERIAL':<16} {'MANUFACTURER':<20} DESCRIPTION")
    for p in ports:
        print(f"{p.device:<16} {p.vid_pid:<10} {p.serial_number:<16} {p.manufacturer:<20} {p.description}")
    return 0


def _load(path: str | None) -> Config:
    return load_checked_config(path) if path else Config()


def cmd_record(args: argparse.Namespace) -> int:
    config = _load(args.record_config or args.config)
    port = args.port or config.port.device
    if not port:
        raise ConfigError("no port given: use --port, or set [port].device in the config")
    db = Path(args.record_db or args.db or config.storage.db or default_db_path())
    fmt = LineFormat(args.format) if args.format else config.port.format
    settings = _settings(args, config.port.settings)
    with _logging_to(args.log):
        return record(
            port,
            db,
            settings,
            config,
            fmt,
            args.duration,
            args.status_interval,
            monitoring=args.monitor,
            argv=getattr(args, "argv", None),
        )


@contextlib.contextmanager
def _logging_to(path: str | None) -> Iterator[None]:
    """With ``--log FILE``: what record prints and logs goes to FILE (appended, UTF-8, a line at a
    time), so a recorder without a console leaves a record of what it did."""
    if not path:
        yield
        return
    try:
        stream = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ConfigError(f"cannot write the log file {path}: {exc.strerror or exc}") from None
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            print(f"--- watchkeeper record started {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}")
            yield
    finally:
        root.removeHandler(handler)
        stream.close()


def record(
    port: str,
    db: Path,
    settings: SerialSettings,
    config: Config,
    fmt: LineFormat,
    duration: float | None,
    status_interval: float = 5.0,
    monitoring: bool = True,
    first_cycle_in: float = 0.0,
    argv: Sequence[str] | None = None,
) -> int:
    """Record until Ctrl+C or ``duration``; print status lines, alarm transitions and a summary.

    With ``monitoring`` the engine also forecasts every ``[forecast].cycle`` (the first cycle
    ``first_cycle_in`` seconds after the start), retrains per ``[forecast].retrain``, writes
    Prediction.csv and raises predictive alarms, as the window does.

    The window may take the file over (see core.engine.handover): this recorder then stops as on
    Ctrl+C and tells the window the port and ``argv`` (this command's arguments) to start it again.

    With ``monitoring`` every reading is also scored for anomalies and evaluated by the alarm
    engine (the config's [anomaly] and [alarms] sections), off the reader thread.
    """
    usb = config.port.usb if config.port.device in ("", port) else None
    parsed = parse_engine_config(config)
    recorded = PortConfig(port, settings, fmt, usb, config.port.max_channels, config.port.protocol)
    session = RecordingSession(
        recorded,
        db,
        parsed,
        monitoring=monitoring,
        events=SessionEvents(_print_event, _print_store_error, _print_alarm, _print_notice),
        source=source_for(config.port.protocol, port, settings, config.extra),
    )
    stops = StopRequests()  # SIGTERM; on Windows also Ctrl+Break and closing the console
    handed: list[Handover] = []

    def hand_over(**_: object) -> Handover:
        handed.append(Handover(recorded, relaunch_command(argv or ()), os.getcwd(), os.getpid()))
        stops.requested.set()
        return handed[-1]

    forecasts = _forecast_service(parsed, first_cycle_in) if monitoring else None
    requests = {Request.STOP: hand_over} if argv is not None else {}
    engine = Engine(None, forecasts, OwnerKind.RECORD, requests)
    try:
        engine.record(session)
    except BaseException:
        engine.close()
        raise
    stops.install()
    print(
        f"Recording {port} ({settings.describe()}, format {fmt.value}) into {db}. Press Ctrl+C to stop.",
        flush=True,
    )
    started = time.monotonic()
    last = (started, 0)
    try:
        while duration is None or time.monotonic() - started < duration:
            remaining = (
                status_interval
                if duration is None
                else min(status_interval, duration - (time.monotonic() - started))
            )
            stops.wait(remaining)
            stats = session.stats()
            now = time.monotonic()
            rate = (stats.reader.readings - last[1]) / max(now - last[0], 1e-9)
            last = (now, stats.reader.readings)
            print(_status_line(stats, rate), flush=True)
            print_bus(session)
            _print_forwarders(stats)
    except KeyboardInterrupt:
        if handed:
            print("The Watchkeeper window takes this recording over; it starts it again when it closes.")
        print("Stopping…", flush=True)
    finally:
        engine.close()
        stops.flushed()
        stops.restore()
    stats = session.stats()
    print(_summary(stats, time.monotonic() - started), flush=True)
    print_bus(session)
    _print_forwarders(stats, stopped=True)
    return 0 if not stats.writer.pending else 1


def _forecast_service(settings: EngineConfig, first_cycle_in: float):
    """Builds the forecast service on the file once it is open; its events are printed."""

    def build(store) -> ForecastService:
        models, csv = forecast_paths(settings.forecast, data_dir())
        service = ForecastService(store, settings.forecast, models, csv, first_cycle_in=first_cycle_in)
        service.subscribe(ForecastPrinter())
        return service

    return build


def _print_forwarders(stats: SessionStats, stopped: bool = False) -> None:
    for state in stats.forwarders:
        print(f"  forward {describe_forwarder(state, stopped)}", flush=True)


def _print_event(event: PortEvent) -> None:
    stamp = event.at.astimezone().strftime("%H:%M:%S")
    print(f"{stamp} port {event.state.value}: {event.message}", flush=True)


def _print_alarm(event: AlarmEvent) -> None:
    stamp = datetime.fromtimestamp(event.ts_us / 1e6).strftime("%H:%M:%S")
    extra = f" — {event.comment}" if event.comment else ""
    flag = " [chattering]" if event.chattering else ""
    print(
        f"{stamp} alarm {event.alarm_id} ({event.priority.value}) {event.previous.value} -> "
        f"{event.state.value}: {event.message}{extra}{flag}",
        flush=True,
    )


def _print_notice(notice: Notice) -> None:
    print(f"watchkeeper: {notice.text}", file=sys.stderr, flush=True)


def _print_store_error(message: str) -> None:
    if message:
        print(
            f"watchkeeper: {message}; readings are kept in memory until the file can be written.",
            file=sys.stderr,
            flush=True,
        )
    else:
        print("watchkeeper: the database file can be written again.", file=sys.stderr, flush=True)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _status_line(s: SessionStats, rate: float) -> str:
    age = "-" if s.reader.last_reading_at is None else f"{time.time() - s.reader.last_reading_at:.1f} s"
    return (
        f"{datetime.now().strftime('%H:%M:%S')} {s.reader.state.value:<12} lines {s.reader.lines} "
        f"readings {s.reader.readings} ({rate:.0f}/s) stored {s.writer.stored} "
        f"rejected {s.reader.rejected_total} last reading {age} ago, db {_mb(s.db_bytes)}"
    )


def _summary(s: SessionStats, seconds: float) -> str:
    r = s.reader
    lines = [
        f"Recorded for {seconds:.1f} s from {r.port}:",
        f"  lines received   {r.lines}",
        f"  readings stored  {s.writer.stored}",
        f"  rejected lines   {r.rejected_total}"
        + (
            ""
            if not r.rejected
            else " (" + ", ".join(f"{k} {v}" for k, v in sorted(r.rejected.items())) + ")"
        ),
        f"  reconnects       {r.reconnects}",
    ]
    if s.monitor is not None:
        lines.append(f"  readings scored  {s.monitor.scored}")
        if s.monitor.dropped:
            lines.append(f"  not scored       {s.monitor.dropped} (scoring queue full)")
    if s.writer.dropped:
        lines.append(
            f"  dropped          {s.writer.dropped} (memory buffer full while the file was unwritable)"
        )
    if s.writer.pending:
        lines.append(f"  NOT WRITTEN      {s.writer.pending} ({s.writer.last_error})")
    return "\n".join(lines)


def cmd_simulate(args: argparse.Namespace) -> int:
    from core.simulation.simulator import run_simulator

    if args.protocol != "lines":  # the simulated Modbus bus (core/cli/modbus.py)
        from core.cli.modbus import simulate_bus

        modbus = _settings(args, SerialSettings(baudrate=19200, parity="E"))
        return simulate_bus(args.protocol, args.port, modbus, args.dead_unit, args.duration, args.seed)
    settings = _settings(args, SerialSettings())
    if args.rate <= 0 or args.channels < 1:
        raise ValueError("--rate must be above 0 and --channels at least 1")
    print(
        f"Simulating {args.channels} channels at {args.rate:g} Hz ({args.format}) on {args.port}. "
        "Press Ctrl+C to stop.",
        flush=True,
    )
    stop = threading.Event()
    try:
        written = run_simulator(
            args.port,
            settings,
            args.rate,
            args.channels,
            args.format,
            args.duration,
            stop,
            seed=args.seed,
        )
    except KeyboardInterrupt:
        stop.set()
        written = None
    if written is not None:
        print(f"Wrote {written} lines.")
    return 0
