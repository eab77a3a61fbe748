"""The English template of every message id; the window's translations use these very texts as
their sources (gui/messages.py and gui/problem_texts.py list them for lupdate)."""

from __future__ import annotations

from core.messages.ids import MessageId

M = MessageId
TEMPLATES: dict[MessageId, str] = {
    M.LIMIT: "{word} {value} (limit {limit})",
    M.PORT_LOST_BECAUSE: "Port {port} lost: {message}",
    M.PORT_LOST: "Port {port} lost",
    M.PORT_CONNECTED: "Port {port} connected",
    M.UNIT_SILENT_BECAUSE: "Unit {unit} ({name}) on {port} stopped answering ({detail})",
    M.UNIT_SILENT: "Unit {unit} ({name}) on {port} stopped answering",
    M.UNIT_ANSWERS: "Unit {unit} ({name}) answers again",
    M.NO_READING: "No reading for {wait}",
    M.READINGS_AGAIN: "Readings again",
    M.ANOMALY: "{why} (anomaly score {score})",
    M.UNUSUAL_BEHAVIOUR_AT: "Unusual behaviour at {value}",
    M.LIMIT_TAKES_OVER: "{word} limit reached: its own alarm takes over",
    M.NO_CROSSING: "No limit crossing predicted",
    M.PREDICTED_AT_POSSIBLE_FROM: "Predicted {word} {value} at {at} (in {wait}), possible from {from}",
    M.PREDICTED_AT: "Predicted {word} {value} at {at} (in {wait})",
    M.PREDICTED_IN_BAND: "Predicted {word} {value} possible from {from} (in {wait}, within the 95 % band)",
    M.FORECAST_CLOSE: "Forecast close to {word} {value} (within {deadband}) from {from}",
    M.SHELVING_EXPIRED: "Shelving expired",
    M.SHELVED_UNTIL_NORMAL: "Shelved until it returns to normal",
    M.SHELVED_FOR: "Shelved for {wait} (until {until} UTC)",
    M.UNSHELVED: "Unshelved",
    M.ONE_SHOT_ENDS: "Returned to normal: one-shot shelving ends",
    M.SUPPRESSED: "Suppressed: no data from this channel",
    M.UNSUPPRESSED: "Data again: no longer suppressed",
    M.RULE_GONE: "Rule no longer configured",
    M.NO_LIMIT_LEFT: "No limit left to predict",
    M.OUT_OF_SERVICE: "Out of service",
    M.IN_SERVICE: "Back in service",
    M.JUMPED_IN: "Jumped to {value} in {dur}; usual {usual} ± {sigma}",
    M.JUMPED: "Jumped to {value}; usual {usual} ± {sigma}",
    M.DROPPED_IN: "Dropped to {value} in {dur}; usual {usual} ± {sigma}",
    M.DROPPED: "Dropped to {value}; usual {usual} ± {sigma}",
    M.SHIFTED_UP_FOR: "Shifted up to {value} for {dur}; usual {usual} ± {sigma}",
    M.SHIFTED_UP: "Shifted up to {value}; usual {usual} ± {sigma}",
    M.SHIFTED_DOWN_FOR: "Shifted down to {value} for {dur}; usual {usual} ± {sigma}",
    M.SHIFTED_DOWN: "Shifted down to {value}; usual {usual} ± {sigma}",
    M.STEP_UP: "Rose to {value} in {dur}; usual change ± {step}",
    M.STEP_DOWN: "Dropped to {value} in {dur}; usual change ± {step}",
    M.STUCK: "Stuck at {value} for {dur}, longest before {dur2}",
    M.PROFILE_DAY: "At {value}; usual at this time of day {usual} ± {sigma}",
    M.PROFILE_WEEK: "At {value}; usual at this time of week {usual} ± {sigma}",
    M.OUTSIDE_FORECAST: "At {value}, outside the forecast {usual} ± {band} (95 %)",
    M.FLUCTUATING_MORE: "Fluctuating {times} times more than usual (changes of ± {recent} against ± {step})",
    M.FLUCTUATING_LESS: "Fluctuating {times} times less than usual (changes of ± {recent} against ± {step})",
    M.RATE_UP: "Rose by {size} in {dur}, faster than the possible {limit}/s",
    M.RATE_DOWN: "Dropped by {size} in {dur}, faster than the possible {limit}/s",
    M.RELATION: "At {value}, off its usual relation to {other}: expected {usual} ± {sigma} from it",
    M.UNUSUAL_AT: "Unusual at {value}",
    M.UNUSUAL: "Unusual behaviour",
    M.AT_THIS_TIME_OF_DAY: "at this time of day {usual}",
    M.AT_THIS_TIME_OF_WEEK: "at this time of week {usual}",
    M.PORT_DENIED: (
        "Access to port {port} was denied: another program may be using it, or you lack permission."
    ),
    M.PORT_BUSY: "Port {port} is busy: another program is using it.",
    M.PORT_NOT_FOUND: "Port {port} was not found: check the cable and the port name.",
    M.PORT_UNREACHABLE: "Could not reach {port}: {reason}.",
    M.PORT_NOT_AN_ADDRESS: "{port} is not a valid port address: {reason}.",
    M.PORT_OPEN_FAILED: "Could not open port {port}: {reason}.",
    M.PORT_STOPPED_IN_TEST: "{port} stopped answering during the test: {reason}",
    M.LINK_OPEN_FAILED: (
        "Could not open {port} for {protocol}: check the port name and that no other program uses it."
    ),
    M.GATEWAY_UNREACHABLE: (
        "Could not reach {port} ({protocol}): check the address and that the gateway is on."
    ),
    M.PARITY_REFUSED: (
        "{port} refuses parity {parity} (virtual ports such as ptys only "
        "do N): use parity N, or the device's real port."
    ),
    M.PROBE_NO_DATA: (
        "No data arrived in {seconds} s: check the wiring, that the "
        "device is powered and sending, and the port."
    ),
    M.PROBE_NO_LINE_ENDS: (
        "Bytes arrive but no line ends: probably the wrong baud rate, or the device does not send text lines."
    ),
    M.PROBE_UNREADABLE: (
        "Most lines were unreadable bytes: probably the wrong baud rate, parity or data bits ({settings})."
    ),
    M.PROBE_UNKNOWN_FORM: (
        "Most lines were lines in a form Watchkeeper cannot read: check the line format ({settings})."
    ),
    M.PROBE_LOOKS_RIGHT: "Looks right: {good} of {lines} lines read, {count} channel(s): {names}.",
    M.STORE_RECORDED_BY_WINDOW: (
        "The database {path} is being recorded by the Watchkeeper window, process {pid}; "
        "close it or record to another file with --db."
    ),
    M.STORE_RECORDED_BY_RECORDER: (
        "The database {path} is being recorded by 'watchkeeper record', process {pid}; "
        "stop it or record to another file with --db."
    ),
    M.STORE_OPEN_IN: (
        "The database {path} is already open in {holder}; only one program can record to a file at a time."
    ),
    M.STORE_IN_USE: (
        "The database {path} is being used by {holder}; stop it first or try again once it has finished."
    ),
    M.HELD_BY_WATCHKEEPER: "another Watchkeeper",
    M.HELD_BY_WATCHKEEPER_PROGRAM: "another Watchkeeper, {program}",
    M.HELD_BY_PROGRAM: "another program",
    M.HELD_BY_PROGRAM_NAMED: "another program, {program}",
    M.HELD_BY_PROCESS: "{holder} (process {pid})",
    M.STORE_DAMAGED: (
        "The database {path} is damaged (part of it is missing or unreadable) and was left as it is; "
        "restore it from a backup or start with another file with --db."
    ),
    M.STORE_NOT_WATCHKEEPER: "The file {path} is not a Watchkeeper database; choose another file with --db.",
    M.STORE_NO_PERMISSION: (
        "Watchkeeper may not open {path} (permission denied); give your user access to it or "
        "choose another file with --db."
    ),
    M.STORE_DISK_FULL: "The disk holding {path} is full; free some space and start again.",
    M.STORE_READ_ONLY: (
        "The database {path} is on a read-only disk; choose a file on a writable disk with --db."
    ),
    M.STORE_MISSING: "The database {path} does not exist; check the name given with --db.",
    M.STORE_OPEN_FAILED: "The database {path} could not be opened; the log file has the details.",
    M.STORE_IS_FOLDER: "{path} is a folder, not a database file; give a file name such as {example}.",
    M.STORE_FOREIGN_NAME: (
        "{name} is the name of {kind}, not of a database; choose a name ending in .duckdb with --db."
    ),
    M.STORE_EMPTY: "The file {path} is empty and not a Watchkeeper database; choose another file with --db.",
    M.STORE_FOREIGN_FILE: (
        "The file {path} is {kind}, not a Watchkeeper database; "
        "choose another file with --db (a new name starts a new database)."
    ),
    M.STORE_OTHER_PROGRAMS_DB: (
        "The file {path} is a database of another program, not a Watchkeeper database; "
        "choose another file with --db."
    ),
    M.STORE_NEWER: (
        "the file was written by a newer Watchkeeper (schema {found}, this one knows {known}); "
        "update Watchkeeper to open it"
    ),
    M.CANNOT_USE: "Cannot use {path}: {problem}.",
    M.NO_FOLDER: (
        "Cannot create the folder {folder} for the database ({why}); choose a writable place with --db."
    ),
    M.FOLDER_READ_ONLY: "the disk is read-only",
    M.FOLDER_NO_PERMISSION: "permission denied",
    M.FOLDER_DISK_FULL: "the disk is full",
    M.FOLDER_REFUSED: "the system refused",
    M.KIND_SQLITE: "an SQLite database",
    M.KIND_PARQUET: "a Parquet file",
    M.KIND_NAMED: "a {suffix} file",
    M.KIND_OTHER_PROGRAM: "some other program's file",
    M.KIND_TEXT: "a text file",
    M.CANNOT_WRITE: "Cannot write to {path}: {problem}",
    M.WRITE_NO_SPACE: "No space left on device; free some space on that disk",
    M.WRITE_READ_ONLY: "the disk has become read-only; check the disk or the network share",
    M.WRITE_NO_PERMISSION: "permission denied; check who may write the file",
    M.WRITE_DAMAGED: "the file is damaged; stop recording and restore it from a backup",
    M.WRITE_GONE: "the file or its folder has gone (a network share lost?)",
    M.WRITE_LOCKED: "another program holds the file",
    M.WRITE_CONFLICT: "another part of Watchkeeper kept changing the same rows at that moment",
    M.WRITE_KEEPS_CONFLICTING: (
        "another part of Watchkeeper keeps writing the same rows; the readings are retried"
    ),
    M.WRITE_FAILED: "the write failed; the log file has the details",
    M.CHANNEL_LIMIT: (
        "The device on {port} sends more than {limit} different channel names; lines with new names are "
        "not stored (raise [port] max_channels if this is expected)."
    ),
    M.READER_RESTARTED: (
        "Reading from {port} stopped unexpectedly and was restarted; see the log for details."
    ),
    M.MACHINE_CHANNELS_MISSING: (
        "No readings of {missing} after {wait} of recording: [anomaly] machines names channels this "
        "recording does not have, so their relations are not judged (channels recorded: {recorded})."
    ),
    M.LIST: "{first}; {rest}",
    M.ADDRESS_NOT_NUMBER: "address {address} is not a whole number (write 3, 0x03E8 or 30004)",
    M.ADDRESS_NEGATIVE: "address {address} must be 0 or more",
    M.ADDRESS_WRONG_TABLE: (
        "address {address} is a {table} address in 1-based notation, but the function is {function}"
    ),
    M.ADDRESS_NEITHER: (
        "address {address} is neither a 0-based address (0-65535) nor in 10001/30001/40001 notation"
    ),
    M.NOT_HOST_PORT: "{address} is not host:port (the port must be a whole number)",
    M.THE_PROBLEM: "The {problem}.",
    M.READ_AS_BOOL: "A {table} holds one bit: read it as bool.",
    M.UNIT_OUT_OF_RANGE: "The unit id must lie between 1 and {max}, not {unit}.",
    M.VALUES_DO_NOT_FIT: "{count} values of {type} do not fit in one Modbus request.",
    M.UNIT_TIMED_OUT: (
        "Unit {unit} did not answer within {seconds} s (time-out): check its address, baud rate, "
        "parity and wiring."
    ),
    M.UNIT_EXCEPTION: "Unit {unit} answered with the Modbus exception {detail}.",
    M.UNIT_BAD_FRAME: (
        "Unit {unit}'s reply was damaged (CRC/framing error): check the baud rate, parity and cabling."
    ),
    M.UNIT_LINK_DOWN: "The link to unit {unit} is down: {detail}.",
    M.UNIT_UNDECODABLE: "Unit {unit}'s reply could not be decoded: {detail}.",
    M.EXCEPTION_CODE: "exception code {code}",
    M.UNITS_NOT_A_LIST: "The unit ids {text} are not a list such as 1-247 or 1-10,20.",
    M.UNITS_OUT_OF_RANGE: "Unit ids must lie between 1 and {max}, got {text}.",
    M.SCAN_HIT: "unit {unit} answers",
    M.SCAN_HIT_EXCEPTION: "unit {unit} answers (with the exception {detail})",
    M.SCAN_PROGRESS: "Scanning unit {unit} ({n}/{total}), {found} found, at most {seconds} s left",
    M.SCAN_FINISHED: "Scanned {done} unit ids: {found} answered.",
    M.SCAN_LINK_DOWN: "The link to {port} went down during the scan: {detail}.",
    M.MAP_SUMMARY: "{slaves}, {points}: {list}",
    M.MAP_SLAVE: "unit {unit} {name} ({channels})",
    M.SLAVES_ONE: "1 slave",
    M.SLAVES_MANY: "{n} slaves",
    M.POINTS_ONE: "1 point",
    M.POINTS_MANY: "{n} points",
    M.MAP_NO_MODBUS: "{path} has no [modbus] section (the register map)",
    M.IN_FILE: "{path}: {problem}",
    M.AT_KEY: "{where}.{problem}",
    M.CONFIG_MISSING: "config file {path} does not exist",
    M.CONFIG_NOT_UTF8: "config file {path} is not UTF-8 text",
    M.CONFIG_NOT_TOML: "config file {path} is not valid TOML: {detail}",
    M.CONFIG_UNREADABLE: "config file {path} cannot be read: {detail}",
    M.CONFIG_UNKNOWN_SECTION: "unknown section [{section}] (known: {known})",
    M.CONFIG_UNKNOWN_KEY: "{where} has an unknown key '{key}' (allowed: {allowed})",
    M.CONFIG_NOT_TABLE: "{where} must be a table",
    M.CONFIG_NOT_NUMBER: "{where} must be a number, got {value}",
    M.CONFIG_NOT_WHOLE: "{where} must be a whole number, got {value}",
    M.CONFIG_NOT_TEXT: "{where} must be text, got {value}",
    M.CONFIG_NOT_BOOL: "{where} must be true or false, got {value}",
    M.CONFIG_BETWEEN: "{where} must be between {low} and {high}, got {value}",
    M.CONFIG_AT_LEAST: "{where} must be at least {low}, got {value}",
    M.CONFIG_ONE_OF: "{where} must be one of {names}, got {value}",
    M.CONFIG_EMPTY: "{where} must not be empty",
    M.LIMITS_OUT_OF_ORDER: "{where}: limits must be ordered hh >= h >= l >= ll",
    M.CONFIG_WHOLE_AT_LEAST: "{where} must be a whole number of at least {low}, got {value}",
    M.CONFIG_NUMBER_BETWEEN: "{where} must be a number between {low} and {high}, got {value}",
    M.CONFIG_BETWEEN_SECONDS: "{where} must be between {low} and {high} seconds, got {value}",
    M.CONFIG_ZERO_OR_MORE: "{where} must be 0 or more, got {value}",
    M.CONFIG_NOT_NEGATIVE: "{where} must not be negative, got {value}",
    M.CONFIG_ABOVE_ZERO: "{where} must be above 0, got {value}",
    M.CONFIG_ABOVE_ZERO_AT_MOST_ONE: "{where} must be above 0 and at most 1, got {value}",
    M.CONFIG_POSITIVE: "{where} must be a positive number, got {value}",
    M.CONFIG_POSITIVE_SECONDS: "{where} must be a positive number of seconds, got {value}",
    M.CONFIG_POSITIVE_DAYS: "{where} must be a positive number of days, got {value}",
    M.CONFIG_NOT_TEXT_OR_WHOLE: "{where} must be text or whole number, got {value}",
    M.CONFIG_NOT_LIST_OR_TEXT: "{where} must be list or text, got {value}",
    M.CONFIG_DURATION: (
        "{where} must be a duration of whole seconds such as 30s, 1min, 15min or 1h, got {value}"
    ),
    M.CONFIG_TABLE_WITH_ONLY: "{where} must be a table with only {allowed}",
    M.CONFIG_TABLE_OF_SETTINGS: "{where} must be a table of settings",
    M.CONFIG_PER_CHANNEL_TABLES: "{where} must be a table of per-channel tables",
    M.CONFIG_ONE_TABLE_PER_CHANNEL: "{where} must hold one table per channel, e.g. {example}",
    M.CONFIG_CHANNEL_NAMES: "{where} must be a list of channel names, got {value}",
    M.CONFIG_TEXT_LIST: "{where} must be a list of texts, got {value}",
    M.CONFIG_TEXT_TABLE: "{where} must be a table of texts, e.g. {example}",
    M.CONFIG_NEEDS_TABLE: "{where} needs at least one {table} table",
    M.PORT_SECTION: "[port] {problem}",
    M.BAUD_RATE_BAD: "baud rate must be a positive whole number, got {value}",
    M.PARITY_BAD: "parity must be one of N, E, O, M, S, got {value}",
    M.STOP_BITS_BAD: "stop bits must be 1, 1.5 or 2, got {value}",
    M.DATA_BITS_BAD: "data bits must be 5, 6, 7 or 8, got {value}",
    M.USB_ID_BAD: '{where} must be a hexadecimal USB id such as "0403", got {value}',
    M.CHANNELS_NOT_LIST: "channels must be a list of [[channels]] tables",
    M.CHANNEL_NOT_TABLE: "{where} must be a table with field and name",
    M.FIELD_MISSING: "{where} is missing (a key name or a 1-based column number)",
    M.FIELD_NOT_COLUMN: "{where} must be a column number from 1, got {value}",
    M.CHANNEL_NAME_TAKEN: "{where} '{name}' is used by another channel",
    M.COMMIT_INTERVAL_BAD: "{where} must be between 0 and 1 second, got {value}",
    M.RETENTION_ORDER: "retention must keep raw_days <= minute_days <= hour_days",
    M.UI_UNKNOWN_KEY: "{where} has an unknown key '{key}' (this release has no [ui] settings)",
    M.MODBUS_DECIMALS_TABLE: "{where} must be in the same table as the point ({function})",
    M.MODBUS_POINT_NEEDS: "{where} needs a channel name and an address",
    M.MODBUS_ADDRESS_SHAPE: '{where} must be a number such as 3, "0x03E8" or 30004, got {value}',
    M.MODBUS_FUNCTION_MISSING: (
        "{where} is missing: say coil, discrete, input or holding, or write the address in 30001/40001 "
        "notation"
    ),
    M.MODBUS_TYPE_NOT_BOOL: "{where} must be bool for a {table}, got {type}",
    M.MODBUS_NO_ROOM: "{where} {address} leaves no room for a {type}",
    M.MODBUS_UNIT_MISSING: "{where} is missing (the slave's Modbus address, 1-{max})",
    M.MODBUS_UNIT_TAKEN: "{where} {unit} is used by another slave",
    M.MODBUS_CHANNEL_TAKEN: "{where} '{name}' is used by another point",
    M.MODBUS_POINT_TOO_LONG: "{where} needs {count} registers but the slave allows {max}",
    M.ASCII_BAD_ESCAPE: "{text} has a bad escape: {detail}",
    M.ASCII_FORMAT_BAD: "{where} must be regex, auto, csv, kv or json, got {value}",
    M.ASCII_PATTERN_BAD: "{where} is not a valid regular expression: {detail}",
    M.ASCII_GROUP_BAD: "{where} must name a group of the pattern ({groups})",
    M.ASCII_NO_CHANNELS: "{where} needs at least one [[...channels]] naming a group of its pattern",
    M.PRIORITY_BAD: "{where} must be low, medium, high or critical, got {value}",
    M.SPAN_SHAPE: "{where} must be [low, high], got {value}",
    M.SPAN_ORDER: "{where} must be [low, high] with high above low, got {value}",
    M.MACHINES_SHAPE: (
        '{where} must be a list of channel lists, e.g. [["current", "flow", "pressure"]], got {value}'
    ),
    M.MACHINES_SHAPE_AT: (
        '{where} must be a list of channel lists, e.g. [["current", "flow", "pressure"]]; machine '
        "{number} is {value}"
    ),
    M.MACHINE_TOO_FEW: "{where}: machine {number} needs at least two different channels",
    M.MACHINE_SHARED: (
        "{where}: channel '{name}' is in machine {first} and machine {second}; a channel belongs to one "
        "machine"
    ),
    M.MACHINE_TWICE: "{where}: machine {number} lists channel '{name}' twice",
    M.PATCH_OVER_LOOKBACK: "{where} must not exceed lookback ({lookback}), got {value}",
    M.URL_SHAPE: "{where} must look like {example}, got {value}",
    M.URL_PORT_BAD: "{where} has a port that is not a number: {value}",
    M.DRAIN_RATE_BAD: "{where} must be a positive number of readings per second, got {value}",
    M.MQTT_PROTOCOL_BAD: '{where} must be "5" or "3.1.1", got {value}',
    M.TOPIC_BAD: "{where} must be a topic prefix without + or #, got {value}",
    M.INFLUX_BUCKET_TOKEN: "{where}: InfluxDB 2 needs both bucket and token (InfluxDB 1 needs database)",
    M.MEASUREMENTS_EMPTY: "{where}: measurement names must not be empty",
    M.PRIORITY_NOT_LISTED: "{where}: priority {value} is not one of {names}",
    M.DIGEST_TIME_BAD: '{where} must be a time such as "07:00", got {value}',
    M.EMAIL_NEEDS: "{where} needs host, from (an address) and to (a list of addresses)",
    M.SECURITY_BAD: "{where} must be starttls, tls or none, got {value}",
    M.EXPORT_DISK_FULL: "cannot write {path}: the disk is full",
    M.EXPORT_NO_PERMISSION: "cannot write {path}: permission denied or read-only disk",
    M.EXPORT_CANNOT_WRITE: "cannot write {path}: {detail}",
    M.EXPORT_FAILED: "cannot export from {db} to {path}; the log file has the details",
    M.REMOTE_WHO: "Watchkeeper (process {pid}) recording {path}",
    M.REMOTE_UNREACHABLE: "{who} could not be reached; try again in a moment.",
    M.REMOTE_NO_ANSWER: "{who} did not answer within {seconds} s.",
    M.REMOTE_HUNG_UP: "{who} ended the connection without answering.",
    M.REMOTE_UNREADABLE: "{who} sent an answer this Watchkeeper cannot read.",
    M.REMOTE_FAILED: "{who} could not answer; its log file has the details.",
    M.RECORDER_KEPT_FILE: "'watchkeeper record' (process {pid}) did not let go of {path} in time.",
    M.HISTORY_SHORT_TO_TRAIN: (
        "Channel '{channel}' has {n} steps of {interval} history; training needs at least {need} "
        "(about {dur}) for lookback {lookback} and horizon {horizon}."
    ),
    M.NO_READINGS_TO_TRAIN: "Channel '{channel}' has no readings in its training range.",
    M.TOO_FEW_WINDOWS: (
        "Channel '{channel}' has only {train} training and {val} validation windows free of gaps longer "
        "than {gap} steps; training needs at least {min_train} and {min_val} (record more history or "
        "raise max_gap_steps)."
    ),
    M.HISTORY_SHORT_TO_FORECAST: (
        "Channel '{channel}' has {n} steps of {interval} history; a forecast needs the last {lookback} "
        "(about {dur})."
    ),
    M.GAP_IN_LOOKBACK: (
        "Channel '{channel}' has a gap longer than {gap} steps in its last {lookback} steps (until "
        "{until} UTC); forecasts resume once {lookback} steps have been recorded after it."
    ),
    M.WHO_CHANNEL: "channel '{channel}'",
    M.WHO_THIS_CHANNEL: "this channel",
    M.WHO_ITS_CHANNEL: "its channel",
    M.MODEL_DAMAGED: (
        "The forecast model {path} is damaged or not a Watchkeeper model; retrain {who} ({why})."
    ),
    M.MODEL_NOT_TEXT: "it is not text",
    M.MODEL_NOT_JSON: "not valid JSON at line {line}",
    M.MODEL_NOT_OURS: "it does not say it is a Watchkeeper forecast model",
    M.MODEL_NAMES_NO_CHANNEL: "it names no channel",
    M.MODEL_SETTING_MISSING: "the setting {name} is missing",
    M.MODEL_UNREADABLE: "The forecast model {path} cannot be read ({detail}).",
    M.NO_MODEL: "There is no forecast model for {who} in {folder}; train one with 'watchkeeper train'.",
    M.NO_MODELS: "There are no forecast models in {folder}; train one with 'watchkeeper train'.",
    M.MODEL_NEWER: (
        "The forecast model {path} was saved by a newer Watchkeeper (format {found}, this one reads "
        "{known}); update Watchkeeper or retrain {who}."
    ),
    M.MODEL_OTHER_CHANNEL: (
        "The forecast model {path} belongs to channel '{other}', not '{channel}'; retrain '{channel}' "
        "or put the file back under its own name."
    ),
    M.MODEL_MISNAMED: (
        "The forecast model {path} is for channel '{channel}', whose model must be named {name}; "
        "rename or remove the file, or retrain '{channel}'."
    ),
    M.MODEL_UNUSABLE: "The model of channel '{channel}' cannot be used: {detail}.",
    M.FILE_CANNOT_WRITE: "Cannot write {path}: {detail}.",
    M.PREDICTION_CANNOT_REPLACE: "Cannot replace {path} ({detail}); is it open in another program?",
    M.TRAINING_STOPPED: "Training of '{channel}' stopped unexpectedly (exit code {code}).",
    M.TRAINING_FAILED: "Training of '{channel}' failed unexpectedly; the log file has the details.",
    M.TRAINING_CANCELLED: "Training of '{channel}' was cancelled.",
    M.TASKS_UNREACHABLE: "The Task Scheduler could not be reached ({detail}).",
    M.TASK_NOT_ADDED: (
        "Windows refused to add the logon task; start Watchkeeper by hand, or ask your administrator "
        "(schtasks said: {said})."
    ),
    M.TASK_NOT_REMOVED: "Windows refused to remove the logon task; remove it in the Task Scheduler.",
}
