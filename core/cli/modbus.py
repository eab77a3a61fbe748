"""``watchkeeper modbus read``, ``modbus scan`` and ``modbus simulate``: commissioning a Modbus bus
(what operators use mbpoll or Modbus Poll for) and playing a simulated one."""

from __future__ import annotations

import argparse
import sys
import threading
import time

from core.acquisition.modbus.commissioning import (
    CommissioningError,
    ReadSpec,
    ScanHit,
    ScanProgress,
    open_link,
    parse_units,
    read_values,
    scan,
)
from core.acquisition.modbus.registers import DataType, Function, WordOrder
from core.acquisition.modbus.transport import ModbusLink, Protocol
from core.acquisition.ports import SerialSettings
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus

ModbusError = CommissioningError  # one sentence for the operator, exit 1

USER_ERRORS = (ModbusError,)


def _settings(args: argparse.Namespace) -> SerialSettings:
    try:
        return SerialSettings(args.baud, args.parity, float(args.stopbits), args.bytesize).validate()
    except ValueError as exc:
        raise ModbusError(f"The serial settings are not usable: {exc}.") from None


def _open(args: argparse.Namespace) -> ModbusLink:
    return open_link(Protocol(args.protocol), args.port, _settings(args), args.timeout)


def cmd_read(args: argparse.Namespace) -> int:
    spec = ReadSpec(
        args.unit,
        args.address,
        Function(args.function) if args.function else None,
        DataType(args.type) if args.type else None,
        WordOrder(args.order),
        args.count,
        args.scale,
        args.bit,
    )
    spec.request()  # a mistake in the options is told before the port is opened
    link = _open(args)
    try:
        values = read_values(link, spec, args.timeout)
    finally:
        link.close()
    for value in values:
        print(f"{value:.10g}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    units = parse_units(args.units)
    link = _open(args)
    t0 = time.monotonic()
    shown: list[ScanHit] = []

    def progress(p: ScanProgress) -> None:
        for hit in p.found[len(shown) :]:
            print("\r" + " " * 72 + "\r", end="", file=sys.stderr, flush=True)
            print(hit.describe(), flush=True)
            shown.append(hit)
        if not p.finished:
            print(f"\r{p.describe()} ", end="", file=sys.stderr, flush=True)

    try:
        found = scan(link, units, args.timeout, args.address, Function(args.function), progress)
    finally:
        link.close()
    print(
        f"\rscanned {len(units)} unit ids in {time.monotonic() - t0:.1f} s: {len(found)} answered".ljust(60),
        file=sys.stderr,
    )
    return 0 if found else 1


def cmd_simulate(args: argparse.Namespace) -> int:
    return simulate_bus(args.protocol, args.port, _settings(args), args.dead_unit, args.duration, args.seed)


def simulate_bus(
    protocol: str,
    port: str,
    settings: SerialSettings,
    dead_unit: int | None = None,
    duration: float | None = None,
    seed: int = 0,
) -> int:
    """Serve the three simulated slaves until Ctrl+C or ``duration`` (also ``simulate --protocol``)."""
    slaves = demo_slaves(seed)
    for s in slaves:
        s.muted = s.unit == dead_unit
    bus = SimulatedBus(Protocol(protocol), port, slaves, settings)
    try:
        bus.start()
    except RuntimeError as exc:
        raise ModbusError(f"Could not serve {port}: {exc.__cause__ or exc}.") from None
    print(
        f"Simulating Modbus units 1 (energy meter), 2 (room transmitter) and 3 (process transmitter) "
        f"on {port} ({protocol}); resources/modbus/simulated.toml reads them. Press Ctrl+C to stop.",
        file=sys.stderr,
        flush=True,
    )
    done = threading.Event()
    try:
        done.wait(duration)
    except KeyboardInterrupt:
        pass
    finally:
        bus.stop()
    return 0


def print_bus(session) -> None:
    """Per-slave diagnostics under the status line and the summary, for polled sources."""
    diagnostics = getattr(session.reader, "diagnostics", None)
    if diagnostics is None:
        return
    for d in diagnostics():
        print(f"  {d.describe()}", flush=True)
