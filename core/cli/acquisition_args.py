"""The arguments of ``watchkeeper ports``, ``record`` and ``simulate``; core/cli/acquisition.py runs
them."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler

# core.acquisition.parsing.LineFormat's values, written out because that module loads numpy
# (tests/core/test_cli_imports.py holds them equal).
LINE_FORMATS = ["auto", "csv", "kv", "json"]


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper ports``, ``record`` and ``simulate`` to ``sub``."""
    p = sub.add_parser("ports", help="list serial ports")
    p.set_defaults(handler=Handler("core.cli.acquisition", "cmd_ports"))

    p = sub.add_parser("record", help="record a port into a database file")
    p.add_argument(
        "--port",
        help="COM3, /dev/ttyUSB0, socket://host:port, rfc2217://host:port, "
        "sim:// (default: the config's [port].device)",
    )
    _serial_options(p)
    p.add_argument("--format", choices=LINE_FORMATS, help="line format (default auto)")
    p.add_argument("--config", dest="record_config", metavar="FILE", help="TOML configuration file")
    p.add_argument("--db", dest="record_db", metavar="FILE", help="database file")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    p.add_argument(
        "--status-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds between status lines (default 5)",
    )
    p.add_argument(
        "--log",
        metavar="FILE",
        help="append everything record prints (and its warnings) to FILE instead of the console; "
        "for a recorder started without a console, e.g. by Task Scheduler",
    )
    p.add_argument(
        "--no-monitor",
        dest="monitor",
        action="store_false",
        help="record only: no anomaly scoring and no alarms",
    )
    p.set_defaults(handler=Handler("core.cli.acquisition", "cmd_record"))

    p = sub.add_parser(
        "simulate",
        help="play the simulated device on a port (e.g. one end of a "
        "virtual cable) so another program can record it",
    )
    p.add_argument("--port", required=True, help="port to write to")
    _serial_options(p)
    p.add_argument("--rate", type=float, default=1.0, metavar="HZ", help="lines per second (default 1)")
    p.add_argument("--channels", type=int, default=4, metavar="N", help="number of channels (default 4)")
    p.add_argument("--format", choices=["csv", "kv", "json"], default="csv", help="line format")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    p.add_argument("--seed", type=int, default=0, help="random seed of the simulated signals")
    p.add_argument(
        "--protocol",
        choices=["lines", "modbus-rtu", "modbus-tcp", "modbus-rtu-over-tcp"],
        default="lines",
        help="lines (default), or three Modbus slaves (then --port may be host:port for TCP)",
    )
    p.add_argument("--dead-unit", type=int, metavar="N", help="Modbus: a unit that does not answer")
    p.set_defaults(handler=Handler("core.cli.acquisition", "cmd_simulate"))


def _serial_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baud", type=int, help="baud rate, any whole number (default 9600)")
    p.add_argument("--parity", choices=["N", "E", "O", "M", "S"], type=str.upper, help="parity")
    p.add_argument("--stopbits", type=float, choices=[1, 1.5, 2], help="stop bits")
    p.add_argument("--bytesize", type=int, choices=[5, 6, 7, 8], help="data bits")
