"""The window's texts of core's sentences about ports and files (core.messages ids).

Core says why a port or a file cannot be used as a message id with parameters (a PortError's,
StoreError's or a recording notice's ``message``); these are the English templates lupdate
extracts for translation, in the order :func:`gui.messages.render_alarm_message` tries them on
a sentence that reached the window as English text: a specific sentence before the general one
it would also match ("Could not reach X (modbus-tcp): ..." before "Could not reach {port}: ...").
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gui.config_texts import CONFIG_TEMPLATES

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
    # Commissioning a Modbus bus; then a configuration that cannot be used (gui.config_texts).
    QT_TRANSLATE_NOOP("AlarmMessage", "{first}; {rest}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "address {address} is not a whole number (write 3, 0x03E8 or 30004)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "address {address} must be 0 or more"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "address {address} is a {table} address in 1-based notation, but the function is {function}",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "address {address} is neither a 0-based address (0-65535) nor in 10001/30001/40001 notation",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "{address} is not host:port (the port must be a whole number)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "The {problem}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "A {table} holds one bit: read it as bool."),
    QT_TRANSLATE_NOOP("AlarmMessage", "The unit id must lie between 1 and {max}, not {unit}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{count} values of {type} do not fit in one Modbus request."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Unit {unit} did not answer within {seconds} s (time-out): check its address, baud rate, parity "
        "and wiring.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit {unit} answered with the Modbus exception {detail}."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Unit {unit}'s reply was damaged (CRC/framing error): check the baud rate, parity and cabling.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "The link to unit {unit} is down: {detail}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit {unit}'s reply could not be decoded: {detail}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "exception code {code}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "The unit ids {text} are not a list such as 1-247 or 1-10,20."),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit ids must lie between 1 and {max}, got {text}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "unit {unit} answers"),
    QT_TRANSLATE_NOOP("AlarmMessage", "unit {unit} answers (with the exception {detail})"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Scanning unit {unit} ({n}/{total}), {found} found, at most {seconds} s left",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Scanned {done} unit ids: {found} answered."),
    QT_TRANSLATE_NOOP("AlarmMessage", "The link to {port} went down during the scan: {detail}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{slaves}, {points}: {list}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "unit {unit} {name} ({channels})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "1 slave"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{n} slaves"),
    QT_TRANSLATE_NOOP("AlarmMessage", "1 point"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{n} points"),
    *CONFIG_TEMPLATES,
    # An export that cannot be made; asking the Watchkeeper that holds a file.
    QT_TRANSLATE_NOOP("AlarmMessage", "cannot write {path}: the disk is full"),
    QT_TRANSLATE_NOOP("AlarmMessage", "cannot write {path}: permission denied or read-only disk"),
    QT_TRANSLATE_NOOP("AlarmMessage", "cannot write {path}: {detail}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "cannot export from {db} to {path}; the log file has the details"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Watchkeeper (process {pid}) recording {path}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{who} could not be reached; try again in a moment."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{who} did not answer within {seconds} s."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{who} ended the connection without answering."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{who} sent an answer this Watchkeeper cannot read."),
    QT_TRANSLATE_NOOP("AlarmMessage", "{who} could not answer; its log file has the details."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "'watchkeeper record' (process {pid}) did not let go of {path} in time.",
    ),
    # Forecasting; starting at logon.
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Channel '{channel}' has {n} steps of {interval} history; training needs at least {need} (about "
        "{dur}) for lookback {lookback} and horizon {horizon}.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Channel '{channel}' has no readings in its training range."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Channel '{channel}' has only {train} training and {val} validation windows free of gaps longer "
        "than {gap} steps; training needs at least {min_train} and {min_val} (record more history or "
        "raise max_gap_steps).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Channel '{channel}' has {n} steps of {interval} history; a forecast needs the last {lookback} "
        "(about {dur}).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Channel '{channel}' has a gap longer than {gap} steps in its last {lookback} steps (until "
        "{until} UTC); forecasts resume once {lookback} steps have been recorded after it.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "channel '{channel}'"),
    QT_TRANSLATE_NOOP("AlarmMessage", "this channel"),
    QT_TRANSLATE_NOOP("AlarmMessage", "its channel"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The forecast model {path} is damaged or not a Watchkeeper model; retrain {who} ({why}).",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "it is not text"),
    QT_TRANSLATE_NOOP("AlarmMessage", "not valid JSON at line {line}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "it does not say it is a Watchkeeper forecast model"),
    QT_TRANSLATE_NOOP("AlarmMessage", "it names no channel"),
    QT_TRANSLATE_NOOP("AlarmMessage", "the setting {name} is missing"),
    QT_TRANSLATE_NOOP("AlarmMessage", "The forecast model {path} cannot be read ({detail})."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "There is no forecast model for {who} in {folder}; train one with 'watchkeeper train'.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "There are no forecast models in {folder}; train one with 'watchkeeper train'.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The forecast model {path} was saved by a newer Watchkeeper (format {found}, this one reads "
        "{known}); update Watchkeeper or retrain {who}.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The forecast model {path} belongs to channel '{other}', not '{channel}'; retrain '{channel}' or"
        " put the file back under its own name.",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "The forecast model {path} is for channel '{channel}', whose model must be named {name}; rename "
        "or remove the file, or retrain '{channel}'.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "The model of channel '{channel}' cannot be used: {detail}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "Cannot write {path}: {detail}."),
    QT_TRANSLATE_NOOP("AlarmMessage", "Cannot replace {path} ({detail}); is it open in another program?"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Training of '{channel}' stopped unexpectedly (exit code {code})."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Training of '{channel}' failed unexpectedly; the log file has the details.",
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Training of '{channel}' was cancelled."),
    QT_TRANSLATE_NOOP("AlarmMessage", "The Task Scheduler could not be reached ({detail})."),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Windows refused to add the logon task; start Watchkeeper by hand, or ask your administrator "
        "(schtasks said: {said}).",
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage",
        "Windows refused to remove the logon task; remove it in the Task Scheduler.",
    ),
    # The Modbus exceptions a unit answers with (Modbus application protocol 1.1b3, section 7).
    QT_TRANSLATE_NOOP("AlarmMessage", "illegal function"),
    QT_TRANSLATE_NOOP("AlarmMessage", "illegal data address"),
    QT_TRANSLATE_NOOP("AlarmMessage", "illegal data value"),
    QT_TRANSLATE_NOOP("AlarmMessage", "device failure"),
    QT_TRANSLATE_NOOP("AlarmMessage", "acknowledge"),
    QT_TRANSLATE_NOOP("AlarmMessage", "device busy"),
    QT_TRANSLATE_NOOP("AlarmMessage", "memory parity error"),
    QT_TRANSLATE_NOOP("AlarmMessage", "gateway path unavailable"),
    QT_TRANSLATE_NOOP("AlarmMessage", "gateway target device failed to respond"),
]
