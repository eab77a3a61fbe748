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
from core.acquisition.modbus.demo_bus import demo_slaves
from core.acquisition.modbus.registers import MAX_UNIT_ID, DataType, Function, WordOrder
from core.acquisition.modbus.simulated_bus import SimulatedBus
from core.acquisition.modbus.transport import ModbusLink, Protocol
from core.acquisition.ports import SerialSettings

ModbusError = CommissioningError  # one sentence for the operator, exit 1

USER_ERRORS = (ModbusError,)

_PROTOCOLS = [p.value for p in Protocol if p.is_modbus]


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("modbus", help="read, scan or simulate a Modbus RTU / Modbus TCP bus")
    cmds = p.add_subparsers(dest="modbus_command", metavar="ACTION", required=True)

    r = cmds.add_parser("read", help="read registers or bits of one slave and print the values")
    _link_options(r)
    r.add_argument("--unit", type=int, required=True, help="the slave's unit id (1-247)")
    r.add_argument("--address", required=True, help="0-based (3, 0x03E8) or 30001/40001 notation")
    r.add_argument("--function", choices=[f.value for f in Function], help="table (default holding)")
    r.add_argument("--type", choices=[t.value for t in DataType], help="value type (default uint16)")
    r.add_argument("--order", choices=[o.value for o in WordOrder], default="ABCD", type=str.upper)
    r.add_argument("--count", type=int, default=1, help="how many values (default 1)")
    r.add_argument("--scale", type=float, default=1.0, help="multiply each value (default 1)")
    r.add_argument("--bit", type=int, default=0, help="bit number for --type bit (default 0)")
    r.set_defaults(handler=cmd_read)

    s = cmds.add_parser("scan", help="list the unit ids that answer")
    _link_options(s, timeout=0.3)
    s.add_argument(
        "--units", default=f"1-{MAX_UNIT_ID}", help="ids to try, e.g. 1-247 or 1-10,20 (default 1-247)"
    )
    s.add_argument("--address", default="0", help="register to ask each unit for (default holding 0)")
    s.add_argument("--function", choices=[f.value for f in Function], default="holding")
    s.set_defaults(handler=cmd_scan)

    m = cmds.add_parser("simulate", help="play three simulated Modbus slaves on a port or TCP address")
    m.add_argument("--protocol", choices=_PROTOCOLS, default="modbus-rtu")
    m.add_argument("--port", required=True, help="serial port or pty (RTU), or host:port (TCP)")
    _serial_options(m)
    m.add_argument("--dead-unit", type=int, help="a unit that does not answer (to try comm-loss)")
    m.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    m.add_argument("--seed", type=int, default=0)
    m.set_defaults(handler=cmd_simulate)


def _serial_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baud", type=int, default=19200, help="baud rate (default 19200)")
    p.add_argument(
        "--parity", choices=["N", "E", "O"], type=str.upper, default="E", help="parity (default E)"
    )
    p.add_argument("--stopbits", type=float, choices=[1, 2], default=1, help="stop bits (default 1)")
    p.add_argument("--bytesize", type=int, choices=[7, 8], default=8, help="data bits (default 8)")


def _link_options(p: argparse.ArgumentParser, timeout: float = 1.0) -> None:
    p.add_argument("--port", required=True, help="COM3, /dev/ttyUSB0, a pty, or host:port for TCP")
    p.add_argument("--protocol", choices=_PROTOCOLS, default="modbus-rtu", help="default modbus-rtu")
    _serial_options(p)
    p.add_argument(
        "--timeout", type=float, default=timeout, help=f"seconds to wait for a reply ({timeout:g})"
    )


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
