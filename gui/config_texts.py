"""The window's texts of core's sentences about a configuration that cannot be used (the
ConfigError messages of core.config and of every section: a register map, a polled-ASCII device,
[alarms], [anomaly], [forecast], [forward]/[notify]).

The English templates lupdate extracts for translation; gui.problem_texts places them, in this
order, among the other problem sentences (a specific sentence before the general one it would
also match).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

CONFIG_TEMPLATES = [
    QT_TRANSLATE_NOOP("AlarmMessage", "{path} has no [modbus] section (the register map)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{path}: {problem}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}.{problem}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "config file {path} does not exist"),
    QT_TRANSLATE_NOOP("AlarmMessage", "config file {path} is not UTF-8 text"),
    QT_TRANSLATE_NOOP("AlarmMessage", "config file {path} is not valid TOML: {detail}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "config file {path} cannot be read: {detail}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "unknown section [{section}] (known: {known})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} has an unknown key '{key}' (allowed: {allowed})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a number, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a whole number, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be text, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be true or false, got {value}"),
    # Before the general sentence they would also match.
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be between {low} and {high} seconds, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be between 0 and 1 second, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be between {low} and {high}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be at least {low}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be one of {names}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must not be empty"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}: limits must be ordered hh >= h >= l >= ll"),
    # Keys with a mistake, in any section (core.config, the capabilities' sections).
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a whole number of at least {low}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a number between {low} and {high}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be 0 or more, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must not be negative, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be above 0, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be above 0 and at most 1, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a positive number, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a positive number of seconds, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a positive number of days, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be text or whole number, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be list or text, got {value}"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where} must be a duration of whole seconds such as 30s, 1min, 15min or 1h, got {value}",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table with only {allowed}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table of settings"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table of per-channel tables"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must hold one table per channel, e.g. {example}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a list of channel names, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a list of texts, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table of texts, e.g. {example}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} needs at least one {table} table"),
    # [port], [channels], [storage], [retention], [ui].
    QT_TRANSLATE_NOOP("AlarmMessage", "[port] {problem}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "baud rate must be a positive whole number, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "parity must be one of N, E, O, M, S, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "stop bits must be 1, 1.5 or 2, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "data bits must be 5, 6, 7 or 8, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", '{where} must be a hexadecimal USB id such as "0403", got {value}'),
    QT_TRANSLATE_NOOP("AlarmMessage", "channels must be a list of [[channels]] tables"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a table with field and name"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} is missing (a key name or a 1-based column number)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a column number from 1, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} '{name}' is used by another channel"),
    QT_TRANSLATE_NOOP("AlarmMessage", "retention must keep raw_days <= minute_days <= hour_days"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where} has an unknown key '{key}' (this release has no [ui] settings)",
    ),
    # A register map's mistakes (core.acquisition.modbus.config).
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be in the same table as the point ({function})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} needs a channel name and an address"),
    QT_TRANSLATE_NOOP("AlarmMessage", '{where} must be a number such as 3, "0x03E8" or 30004, got {value}'),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where} is missing: say coil, discrete, input or holding, or write the address in 30001/40001 "
        "notation",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be bool for a {table}, got {type}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} {address} leaves no room for a {type}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} is missing (the slave's Modbus address, 1-{max})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} {unit} is used by another slave"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} '{name}' is used by another point"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} needs {count} registers but the slave allows {max}"),
    # A polled-ASCII device's mistakes (core.acquisition.polled_ascii).
    QT_TRANSLATE_NOOP("AlarmMessage", "{text} has a bad escape: {detail}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be regex, auto, csv, kv or json, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} is not a valid regular expression: {detail}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must name a group of the pattern ({groups})"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where} needs at least one [[...channels]] naming a group of its pattern",
    ),
    # [alarms], [anomaly] and [forecast] mistakes.
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be low, medium, high or critical, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be [low, high], got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be [low, high] with high above low, got {value}"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        '{where} must be a list of channel lists, e.g. [["current", "flow", "pressure"]], got {value}',
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        '{where} must be a list of channel lists, e.g. [["current", "flow", "pressure"]]; machine '
        "{number} is {value}",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}: machine {number} needs at least two different channels"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where}: channel '{name}' is in machine {first} and machine {second}; a channel belongs to one "
        "machine",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}: machine {number} lists channel '{name}' twice"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must not exceed lookback ({lookback}), got {value}"),
    # [forward] and [notify] mistakes (core.forward.settings).
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must look like {example}, got {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} has a port that is not a number: {value}"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where} must be a positive number of readings per second, got {value}",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", '{where} must be "5" or "3.1.1", got {value}'),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be a topic prefix without + or #, got {value}"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{where}: InfluxDB 2 needs both bucket and token (InfluxDB 1 needs database)",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}: measurement names must not be empty"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where}: priority {value} is not one of {names}"),
    QT_TRANSLATE_NOOP("AlarmMessage", '{where} must be a time such as "07:00", got {value}'),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} needs host, from (an address) and to (a list of addresses)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{where} must be starttls, tls or none, got {value}"),
]
