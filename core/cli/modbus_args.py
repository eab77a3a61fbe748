"""The arguments of ``watchkeeper modbus read``, ``modbus scan`` and ``modbus simulate``;
core/cli/modbus.py runs them."""

from __future__ import annotations

import argparse

from core.acquisition.modbus.registers import MAX_UNIT_ID, DataType, Function, WordOrder
from core.cli.commands import Handler

# The Modbus members of core.acquisition.modbus.transport.Protocol, written out because that
# module loads pyserial and pymodbus (tests/core/test_cli_imports.py holds them equal).
MODBUS_PROTOCOLS = ["modbus-rtu", "modbus-tcp", "modbus-rtu-over-tcp"]


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper modbus read``, ``modbus scan`` and ``modbus simulate`` to ``sub``."""
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
    r.set_defaults(handler=Handler("core.cli.modbus", "cmd_read"))

    s = cmds.add_parser("scan", help="list the unit ids that answer")
    _link_options(s, timeout=0.3)
    s.add_argument(
        "--units", default=f"1-{MAX_UNIT_ID}", help="ids to try, e.g. 1-247 or 1-10,20 (default 1-247)"
    )
    s.add_argument("--address", default="0", help="register to ask each unit for (default holding 0)")
    s.add_argument("--function", choices=[f.value for f in Function], default="holding")
    s.set_defaults(handler=Handler("core.cli.modbus", "cmd_scan"))

    m = cmds.add_parser("simulate", help="play three simulated Modbus slaves on a port or TCP address")
    m.add_argument("--protocol", choices=MODBUS_PROTOCOLS, default="modbus-rtu")
    m.add_argument("--port", required=True, help="serial port or pty (RTU), or host:port (TCP)")
    _serial_options(m)
    m.add_argument("--dead-unit", type=int, help="a unit that does not answer (to try comm-loss)")
    m.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    m.add_argument("--seed", type=int, default=0)
    m.set_defaults(handler=Handler("core.cli.modbus", "cmd_simulate"))


def _serial_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baud", type=int, default=19200, help="baud rate (default 19200)")
    p.add_argument(
        "--parity", choices=["N", "E", "O"], type=str.upper, default="E", help="parity (default E)"
    )
    p.add_argument("--stopbits", type=float, choices=[1, 2], default=1, help="stop bits (default 1)")
    p.add_argument("--bytesize", type=int, choices=[7, 8], default=8, help="data bits (default 8)")


def _link_options(p: argparse.ArgumentParser, timeout: float = 1.0) -> None:
    p.add_argument("--port", required=True, help="COM3, /dev/ttyUSB0, a pty, or host:port for TCP")
    p.add_argument("--protocol", choices=MODBUS_PROTOCOLS, default="modbus-rtu", help="default modbus-rtu")
    _serial_options(p)
    p.add_argument(
        "--timeout", type=float, default=timeout, help=f"seconds to wait for a reply ({timeout:g})"
    )
