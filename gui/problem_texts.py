"""The window's texts of core's sentences about ports and files (core.messages ids).

Core says why a port or a file cannot be used as a message id with parameters (a PortError's,
StoreError's or a recording notice's ``message``); these are the English templates lupdate
extracts for translation, in the order :func:`gui.messages.render_alarm_message` tries them on
a sentence that reached the window as English text: a specific sentence before the general one
it would also match ("Could not reach X (modbus-tcp): ..." before "Could not reach {port}: ...").
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

PROBLEM_TEMPLATES = [
    # Port problems (opening a port, the port test, a Modbus link).
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Access to port {port} was denied: another program may be using it, or you lack permission.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Port {port} is busy: another program is using it."),
    QT_TRANSLATE_NOOP("AlarmMessage", "Port {port} was not found: check the cable and the port name."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Could not reach {port} ({protocol}): check the address and that the gateway is on."
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Could not reach {port}: {reason}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{port} is not a valid port address: {reason}."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Could not open {port} for {protocol}: check the port name and that no other program uses it.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Could not open port {port}: {reason}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{port} stopped answering during the test: {reason}"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{port} refuses parity {parity} (virtual ports such as ptys only do N): use parity N, or the "
        "device's real port.",
    ),
    # The port test's verdict.
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "No data arrived in {seconds} s: check the wiring, that the device is powered and sending, and "
        "the port.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Bytes arrive but no line ends: probably the wrong baud rate, or the device does not send text "
        "lines.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Most lines were unreadable bytes: probably the wrong baud rate, parity or data bits ({settings}).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Most lines were lines in a form Watchkeeper cannot read: check the line format ({settings}).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Looks right: {good} of {lines} lines read, {count} channel(s): {names}."
    ),
    # Files that cannot be opened; who holds a file (the process first: it holds the others).
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is being recorded by the Watchkeeper window, process {pid}; close it or "
        "record to another file with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is being recorded by 'watchkeeper record', process {pid}; stop it or record "
        "to another file with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is already open in {holder}; only one program can record to a file at a time.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is being used by {holder}; stop it first or try again once it has finished.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{holder} (process {pid})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "another Watchkeeper, {program}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "another Watchkeeper"),
    QT_TRANSLATE_NOOP("AlarmMessage", "another program, {program}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "another program"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is damaged (part of it is missing or unreadable) and was left as it is; "
        "restore it from a backup or start with another file with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "The file {path} is not a Watchkeeper database; choose another file with --db."
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Watchkeeper may not open {path} (permission denied); give your user access to it or choose "
        "another file with --db.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "The disk holding {path} is full; free some space and start again."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The database {path} is on a read-only disk; choose a file on a writable disk with --db.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "The database {path} does not exist; check the name given with --db."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "The database {path} could not be opened; the log file has the details."
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "{path} is a folder, not a database file; give a file name such as {example}."
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "{name} is the name of {kind}, not of a database; choose a name ending in .duckdb with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The file {path} is empty and not a Watchkeeper database; choose another file with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The file {path} is {kind}, not a Watchkeeper database; choose another file with --db (a new "
        "name starts a new database).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The file {path} is a database of another program, not a Watchkeeper database; choose another "
        "file with --db.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "the file was written by a newer Watchkeeper (schema {found}, this one knows {known}); update "
        "Watchkeeper to open it",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Cannot use {path}: {problem}."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Cannot create the folder {folder} for the database ({why}); choose a writable place with --db.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "the disk is read-only"),
    QT_TRANSLATE_NOOP("AlarmMessage", "permission denied"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the disk is full"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the system refused"),
    QT_TRANSLATE_NOOP("AlarmMessage", "an SQLite database"),
    QT_TRANSLATE_NOOP("AlarmMessage", "a Parquet file"),
    QT_TRANSLATE_NOOP("AlarmMessage", "some other program's file"),
    QT_TRANSLATE_NOOP("AlarmMessage", "a text file"),
    QT_TRANSLATE_NOOP("AlarmMessage", "a {suffix} file"),
    # A commit that failed.
    QT_TRANSLATE_NOOP("AlarmMessage", "Cannot write to {path}: {problem}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "No space left on device; free some space on that disk"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the disk has become read-only; check the disk or the network share"),
    QT_TRANSLATE_NOOP("AlarmMessage", "permission denied; check who may write the file"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the file is damaged; stop recording and restore it from a backup"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the file or its folder has gone (a network share lost?)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "another program holds the file"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "another part of Watchkeeper kept changing the same rows at that moment"
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "another part of Watchkeeper keeps writing the same rows; the readings are retried"
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "the write failed; the log file has the details"),
    # What a recording tells the operator once.
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The device on {port} sends more than {limit} different channel names; lines with new names are "
        "not stored (raise [port] max_channels if this is expected).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Reading from {port} stopped unexpectedly and was restarted; see the log for details."
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "No readings of {missing} after {wait} of recording: [anomaly] machines names channels this "
        "recording does not have, so their relations are not judged (channels recorded: {recorded}).",
    ),
]
