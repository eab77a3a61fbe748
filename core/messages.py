"""Core's sentences as message ids with parameters, so any language can phrase them.

Core says what happened as a :class:`Message`: an id (:class:`MessageId`) and its parameters,
already worded as the English text shows them (``value="72.5 °C"``, ``wait="35 min"``, a time
``"14:20"``); a parameter may be a message of its own (the explanation inside an anomaly alarm's
message). ``str(message)`` / :attr:`Message.english` is the English sentence the command line
prints and the journal's ``message`` column keeps; the window fills the translated template of
the id with the same parameters. :meth:`Message.to_json` / :meth:`Message.from_json` carry a
message through the journal, so an old journal reads in the language chosen today.

A leaf of core: it imports nothing of core (and never Qt).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias


class MessageId(StrEnum):
    """Every sentence core makes for an operator; the value is what the journal keeps."""

    LIMIT = "limit"
    PORT_LOST_BECAUSE = "port_lost_because"
    PORT_LOST = "port_lost"
    PORT_CONNECTED = "port_connected"
    UNIT_SILENT_BECAUSE = "unit_silent_because"
    UNIT_SILENT = "unit_silent"
    UNIT_ANSWERS = "unit_answers"
    NO_READING = "no_reading"
    READINGS_AGAIN = "readings_again"
    ANOMALY = "anomaly"
    UNUSUAL_BEHAVIOUR_AT = "unusual_behaviour_at"
    LIMIT_TAKES_OVER = "limit_takes_over"
    NO_CROSSING = "no_crossing"
    PREDICTED_AT_POSSIBLE_FROM = "predicted_at_possible_from"
    PREDICTED_AT = "predicted_at"
    PREDICTED_IN_BAND = "predicted_in_band"
    FORECAST_CLOSE = "forecast_close"
    SHELVING_EXPIRED = "shelving_expired"
    SHELVED_UNTIL_NORMAL = "shelved_until_normal"
    SHELVED_FOR = "shelved_for"
    UNSHELVED = "unshelved"
    ONE_SHOT_ENDS = "one_shot_ends"
    SUPPRESSED = "suppressed"
    UNSUPPRESSED = "unsuppressed"
    RULE_GONE = "rule_gone"
    NO_LIMIT_LEFT = "no_limit_left"
    OUT_OF_SERVICE = "out_of_service"
    IN_SERVICE = "in_service"
    # What was unusual about a flagged reading (core.anomaly.explain).
    JUMPED_IN = "jumped_in"
    JUMPED = "jumped"
    DROPPED_IN = "dropped_in"
    DROPPED = "dropped"
    SHIFTED_UP_FOR = "shifted_up_for"
    SHIFTED_UP = "shifted_up"
    SHIFTED_DOWN_FOR = "shifted_down_for"
    SHIFTED_DOWN = "shifted_down"
    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    STUCK = "stuck"
    PROFILE_DAY = "profile_day"
    PROFILE_WEEK = "profile_week"
    OUTSIDE_FORECAST = "outside_forecast"
    FLUCTUATING_MORE = "fluctuating_more"
    FLUCTUATING_LESS = "fluctuating_less"
    RATE_UP = "rate_up"
    RATE_DOWN = "rate_down"
    RELATION = "relation"
    UNUSUAL_AT = "unusual_at"
    UNUSUAL = "unusual"
    # The usual level judged against a daily or weekly profile ("usual at this time of day 5.0").
    AT_THIS_TIME_OF_DAY = "at_this_time_of_day"
    AT_THIS_TIME_OF_WEEK = "at_this_time_of_week"
    # Port problems (core.acquisition: opening a port, the port dialog's test, a Modbus link).
    PORT_DENIED = "port_denied"
    PORT_BUSY = "port_busy"
    PORT_NOT_FOUND = "port_not_found"
    PORT_UNREACHABLE = "port_unreachable"
    PORT_NOT_AN_ADDRESS = "port_not_an_address"
    PORT_OPEN_FAILED = "port_open_failed"
    PORT_STOPPED_IN_TEST = "port_stopped_in_test"
    LINK_OPEN_FAILED = "link_open_failed"
    GATEWAY_UNREACHABLE = "gateway_unreachable"
    PARITY_REFUSED = "parity_refused"
    # The port test's verdict (core.acquisition.probe).
    PROBE_NO_DATA = "probe_no_data"
    PROBE_NO_LINE_ENDS = "probe_no_line_ends"
    PROBE_UNREADABLE = "probe_unreadable"
    PROBE_UNKNOWN_FORM = "probe_unknown_form"
    PROBE_LOOKS_RIGHT = "probe_looks_right"
    # Files that cannot be opened (core.storage.errors, core.storage.files).
    STORE_RECORDED_BY_WINDOW = "store_recorded_by_window"
    STORE_RECORDED_BY_RECORDER = "store_recorded_by_recorder"
    STORE_OPEN_IN = "store_open_in"
    STORE_IN_USE = "store_in_use"
    HELD_BY_WATCHKEEPER = "held_by_watchkeeper"
    HELD_BY_WATCHKEEPER_PROGRAM = "held_by_watchkeeper_program"
    HELD_BY_PROGRAM = "held_by_program"
    HELD_BY_PROGRAM_NAMED = "held_by_program_named"
    HELD_BY_PROCESS = "held_by_process"
    STORE_DAMAGED = "store_damaged"
    STORE_NOT_WATCHKEEPER = "store_not_watchkeeper"
    STORE_NO_PERMISSION = "store_no_permission"
    STORE_DISK_FULL = "store_disk_full"
    STORE_READ_ONLY = "store_read_only"
    STORE_MISSING = "store_missing"
    STORE_OPEN_FAILED = "store_open_failed"
    STORE_IS_FOLDER = "store_is_folder"
    STORE_FOREIGN_NAME = "store_foreign_name"
    STORE_EMPTY = "store_empty"
    STORE_FOREIGN_FILE = "store_foreign_file"
    STORE_OTHER_PROGRAMS_DB = "store_other_programs_db"
    STORE_NEWER = "store_newer"
    CANNOT_USE = "cannot_use"
    NO_FOLDER = "no_folder"
    FOLDER_READ_ONLY = "folder_read_only"
    FOLDER_NO_PERMISSION = "folder_no_permission"
    FOLDER_DISK_FULL = "folder_disk_full"
    FOLDER_REFUSED = "folder_refused"
    KIND_SQLITE = "kind_sqlite"
    KIND_PARQUET = "kind_parquet"
    KIND_NAMED = "kind_named"
    KIND_OTHER_PROGRAM = "kind_other_program"
    KIND_TEXT = "kind_text"
    # A commit that failed (core.storage.writer): "Cannot write to FILE: <why>".
    CANNOT_WRITE = "cannot_write"
    WRITE_NO_SPACE = "write_no_space"
    WRITE_READ_ONLY = "write_read_only"
    WRITE_NO_PERMISSION = "write_no_permission"
    WRITE_DAMAGED = "write_damaged"
    WRITE_GONE = "write_gone"
    WRITE_LOCKED = "write_locked"
    WRITE_CONFLICT = "write_conflict"
    WRITE_KEEPS_CONFLICTING = "write_keeps_conflicting"
    WRITE_FAILED = "write_failed"
    # What a recording tells the operator once (core.engine.session.Notice).
    CHANNEL_LIMIT = "channel_limit"
    READER_RESTARTED = "reader_restarted"
    MACHINE_CHANNELS_MISSING = "machine_channels_missing"
    # Commissioning a Modbus bus (core.acquisition.modbus: the port dialog's scan, read and test).
    LIST = "list"
    ADDRESS_NOT_NUMBER = "address_not_number"
    ADDRESS_NEGATIVE = "address_negative"
    ADDRESS_WRONG_TABLE = "address_wrong_table"
    ADDRESS_NEITHER = "address_neither"
    NOT_HOST_PORT = "not_host_port"
    THE_PROBLEM = "the_problem"
    READ_AS_BOOL = "read_as_bool"
    UNIT_OUT_OF_RANGE = "unit_out_of_range"
    VALUES_DO_NOT_FIT = "values_do_not_fit"
    UNIT_TIMED_OUT = "unit_timed_out"
    UNIT_EXCEPTION = "unit_exception"
    UNIT_BAD_FRAME = "unit_bad_frame"
    UNIT_LINK_DOWN = "unit_link_down"
    UNIT_UNDECODABLE = "unit_undecodable"
    EXCEPTION_CODE = "exception_code"
    UNITS_NOT_A_LIST = "units_not_a_list"
    UNITS_OUT_OF_RANGE = "units_out_of_range"
    SCAN_HIT = "scan_hit"
    SCAN_HIT_EXCEPTION = "scan_hit_exception"
    SCAN_PROGRESS = "scan_progress"
    SCAN_FINISHED = "scan_finished"
    SCAN_LINK_DOWN = "scan_link_down"
    MAP_SUMMARY = "map_summary"
    MAP_SLAVE = "map_slave"
    SLAVES_ONE = "slaves_one"
    SLAVES_MANY = "slaves_many"
    POINTS_ONE = "points_one"
    POINTS_MANY = "points_many"
    MAP_NO_MODBUS = "map_no_modbus"
    # A configuration that cannot be used (core.config_error.ConfigError).
    IN_FILE = "in_file"
    AT_KEY = "at_key"
    CONFIG_MISSING = "config_missing"
    CONFIG_NOT_UTF8 = "config_not_utf8"
    CONFIG_NOT_TOML = "config_not_toml"
    CONFIG_UNREADABLE = "config_unreadable"
    CONFIG_UNKNOWN_SECTION = "config_unknown_section"
    CONFIG_UNKNOWN_KEY = "config_unknown_key"
    CONFIG_NOT_TABLE = "config_not_table"
    CONFIG_NOT_NUMBER = "config_not_number"
    CONFIG_NOT_WHOLE = "config_not_whole"
    CONFIG_NOT_TEXT = "config_not_text"
    CONFIG_NOT_BOOL = "config_not_bool"
    CONFIG_BETWEEN = "config_between"
    CONFIG_AT_LEAST = "config_at_least"
    CONFIG_ONE_OF = "config_one_of"
    CONFIG_EMPTY = "config_empty"
    LIMITS_OUT_OF_ORDER = "limits_out_of_order"
    # Keys with a mistake, in any section (core.config, the capabilities' sections).
    CONFIG_WHOLE_AT_LEAST = "config_whole_at_least"
    CONFIG_NUMBER_BETWEEN = "config_number_between"
    CONFIG_BETWEEN_SECONDS = "config_between_seconds"
    CONFIG_ZERO_OR_MORE = "config_zero_or_more"
    CONFIG_NOT_NEGATIVE = "config_not_negative"
    CONFIG_ABOVE_ZERO = "config_above_zero"
    CONFIG_ABOVE_ZERO_AT_MOST_ONE = "config_above_zero_at_most_one"
    CONFIG_POSITIVE = "config_positive"
    CONFIG_POSITIVE_SECONDS = "config_positive_seconds"
    CONFIG_POSITIVE_DAYS = "config_positive_days"
    CONFIG_NOT_TEXT_OR_WHOLE = "config_not_text_or_whole"
    CONFIG_NOT_LIST_OR_TEXT = "config_not_list_or_text"
    CONFIG_DURATION = "config_duration"
    CONFIG_TABLE_WITH_ONLY = "config_table_with_only"
    CONFIG_TABLE_OF_SETTINGS = "config_table_of_settings"
    CONFIG_PER_CHANNEL_TABLES = "config_per_channel_tables"
    CONFIG_ONE_TABLE_PER_CHANNEL = "config_one_table_per_channel"
    CONFIG_CHANNEL_NAMES = "config_channel_names"
    CONFIG_TEXT_LIST = "config_text_list"
    CONFIG_TEXT_TABLE = "config_text_table"
    CONFIG_NEEDS_TABLE = "config_needs_table"
    # [port], [channels], [storage], [retention], [ui] (core.config, ports, storage.retention).
    PORT_SECTION = "port_section"
    BAUD_RATE_BAD = "baud_rate_bad"
    PARITY_BAD = "parity_bad"
    STOP_BITS_BAD = "stop_bits_bad"
    DATA_BITS_BAD = "data_bits_bad"
    USB_ID_BAD = "usb_id_bad"
    CHANNELS_NOT_LIST = "channels_not_list"
    CHANNEL_NOT_TABLE = "channel_not_table"
    FIELD_MISSING = "field_missing"
    FIELD_NOT_COLUMN = "field_not_column"
    CHANNEL_NAME_TAKEN = "channel_name_taken"
    COMMIT_INTERVAL_BAD = "commit_interval_bad"
    RETENTION_ORDER = "retention_order"
    UI_UNKNOWN_KEY = "ui_unknown_key"
    # A register map's mistakes (core.acquisition.modbus.config).
    MODBUS_DECIMALS_TABLE = "modbus_decimals_table"
    MODBUS_POINT_NEEDS = "modbus_point_needs"
    MODBUS_ADDRESS_SHAPE = "modbus_address_shape"
    MODBUS_FUNCTION_MISSING = "modbus_function_missing"
    MODBUS_TYPE_NOT_BOOL = "modbus_type_not_bool"
    MODBUS_NO_ROOM = "modbus_no_room"
    MODBUS_UNIT_MISSING = "modbus_unit_missing"
    MODBUS_UNIT_TAKEN = "modbus_unit_taken"
    MODBUS_CHANNEL_TAKEN = "modbus_channel_taken"
    MODBUS_POINT_TOO_LONG = "modbus_point_too_long"
    # A polled-ASCII device's mistakes (core.acquisition.polled_ascii).
    ASCII_BAD_ESCAPE = "ascii_bad_escape"
    ASCII_FORMAT_BAD = "ascii_format_bad"
    ASCII_PATTERN_BAD = "ascii_pattern_bad"
    ASCII_GROUP_BAD = "ascii_group_bad"
    ASCII_NO_CHANNELS = "ascii_no_channels"
    # [alarms], [anomaly] and [forecast] mistakes (their settings modules).
    PRIORITY_BAD = "priority_bad"
    SPAN_SHAPE = "span_shape"
    SPAN_ORDER = "span_order"
    MACHINES_SHAPE = "machines_shape"
    MACHINES_SHAPE_AT = "machines_shape_at"
    MACHINE_TOO_FEW = "machine_too_few"
    MACHINE_SHARED = "machine_shared"
    MACHINE_TWICE = "machine_twice"
    PATCH_OVER_LOOKBACK = "patch_over_lookback"
    # [forward] and [notify] mistakes (core.forward.settings).
    URL_SHAPE = "url_shape"
    URL_PORT_BAD = "url_port_bad"
    DRAIN_RATE_BAD = "drain_rate_bad"
    MQTT_PROTOCOL_BAD = "mqtt_protocol_bad"
    TOPIC_BAD = "topic_bad"
    INFLUX_BUCKET_TOKEN = "influx_bucket_token"
    MEASUREMENTS_EMPTY = "measurements_empty"
    PRIORITY_NOT_LISTED = "priority_not_listed"
    DIGEST_TIME_BAD = "digest_time_bad"
    EMAIL_NEEDS = "email_needs"
    SECURITY_BAD = "security_bad"
    # An export that cannot be made (core.storage.export).
    EXPORT_DISK_FULL = "export_disk_full"
    EXPORT_NO_PERMISSION = "export_no_permission"
    EXPORT_CANNOT_WRITE = "export_cannot_write"
    EXPORT_FAILED = "export_failed"
    # Asking the Watchkeeper that holds a file (core.engine.ipc, core.engine.handover).
    REMOTE_WHO = "remote_who"
    REMOTE_UNREACHABLE = "remote_unreachable"
    REMOTE_NO_ANSWER = "remote_no_answer"
    REMOTE_HUNG_UP = "remote_hung_up"
    REMOTE_UNREADABLE = "remote_unreadable"
    REMOTE_FAILED = "remote_failed"
    RECORDER_KEPT_FILE = "recorder_kept_file"
    # Forecasting (core.forecast: history too short, a missing or damaged model, Prediction.csv).
    HISTORY_SHORT_TO_TRAIN = "history_short_to_train"
    NO_READINGS_TO_TRAIN = "no_readings_to_train"
    TOO_FEW_WINDOWS = "too_few_windows"
    HISTORY_SHORT_TO_FORECAST = "history_short_to_forecast"
    GAP_IN_LOOKBACK = "gap_in_lookback"
    WHO_CHANNEL = "who_channel"
    WHO_THIS_CHANNEL = "who_this_channel"
    WHO_ITS_CHANNEL = "who_its_channel"
    MODEL_DAMAGED = "model_damaged"
    MODEL_NOT_TEXT = "model_not_text"
    MODEL_NOT_JSON = "model_not_json"
    MODEL_NOT_OURS = "model_not_ours"
    MODEL_NAMES_NO_CHANNEL = "model_names_no_channel"
    MODEL_SETTING_MISSING = "model_setting_missing"
    MODEL_UNREADABLE = "model_unreadable"
    NO_MODEL = "no_model"
    NO_MODELS = "no_models"
    MODEL_NEWER = "model_newer"
    MODEL_OTHER_CHANNEL = "model_other_channel"
    MODEL_MISNAMED = "model_misnamed"
    MODEL_UNUSABLE = "model_unusable"
    FILE_CANNOT_WRITE = "file_cannot_write"
    PREDICTION_CANNOT_REPLACE = "prediction_cannot_replace"
    TRAINING_STOPPED = "training_stopped"
    TRAINING_FAILED = "training_failed"
    TRAINING_CANCELLED = "training_cancelled"
    # Starting at logon (core.autostart).
    TASKS_UNREACHABLE = "tasks_unreachable"
    TASK_NOT_ADDED = "task_not_added"
    TASK_NOT_REMOVED = "task_not_removed"


M = MessageId
# The English templates; the window's translations use these very texts as their sources.
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
PLACEHOLDERS: dict[MessageId, frozenset[str]] = {
    i: frozenset(re.findall(r"\{(\w+)\}", t)) for i, t in TEMPLATES.items()
}

Param: TypeAlias = "str | Message"


@dataclass(frozen=True, slots=True)
class Message:
    """One sentence for an operator: ``id`` and the parameters its template names.

    ``id`` None is a text core did not make (a port's own error sentence) or an old journal row:
    ``params`` is then ``{"text": ...}`` and every language shows that text as it is.
    """

    id: MessageId | None
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Parameters are text (a number already worded as the English shows it) or messages.
        params = {k: v if isinstance(v, Message) else str(v) for k, v in self.params.items()}
        object.__setattr__(self, "params", MappingProxyType(params))
        wanted = PLACEHOLDERS[self.id] if self.id is not None else frozenset({"text"})
        if set(self.params) != wanted:
            raise ValueError(f"message {self.id} takes {sorted(wanted)}, got {sorted(self.params)}")

    @classmethod
    def of(cls, id: MessageId, **params: Param) -> Message:
        """``Message.of(MessageId.NO_READING, wait="35 s")``."""
        return cls(id, params)

    @classmethod
    def plain(cls, text: str) -> Message:
        """A text shown as it is in every language."""
        return cls(None, {"text": text})

    @property
    def english(self) -> str:
        """The English sentence (nested messages in English too)."""
        if self.id is None:
            return str(self.params["text"])
        return TEMPLATES[self.id].format(**{k: str(v) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.english

    def to_json(self) -> dict:
        """``{"id": ..., "params": {...}}``, nested messages as the same kind of object."""
        return {
            "id": None if self.id is None else self.id.value,
            "params": {k: v.to_json() if isinstance(v, Message) else v for k, v in self.params.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Message:
        """The inverse of :meth:`to_json`; raises ValueError for an id or parameters this release
        does not know (a journal written by a newer one)."""
        raw = data.get("id")
        params = {
            k: cls.from_json(v) if isinstance(v, Mapping) else str(v) for k, v in dict(data["params"]).items()
        }
        return cls(None if raw is None else MessageId(raw), params)


class MessageError(Exception):
    """An error core raises with a sentence for the operator: ``str()`` is the English sentence
    (the command line prints it), :attr:`message` the same sentence as an id with parameters (the
    window shows it in the operator's language). A plain text is kept as a text."""

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else Message.plain(str(message))
        super().__init__(self.message.english)


def listed(items: Sequence[Message | str]) -> Message:
    """``items`` as one message, joined with "; " (each item worded in the reader's language)."""
    parts = [i if isinstance(i, Message) else Message.plain(i) for i in items]
    if not parts:
        return Message.plain("")
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Message.of(MessageId.LIST, first=part, rest=joined)
    return joined


def encode_params(message: Message | None) -> tuple[str | None, str | None]:
    """The journal's ``(message_id, message_params)`` for ``message``: the id's value and the
    parameters as JSON; ``(None, None)`` for a text core did not make (or no message)."""
    if message is None or message.id is None:
        return None, None
    params = message.to_json()["params"]
    return message.id.value, json.dumps(params, ensure_ascii=False, sort_keys=True)


def decode_params(message_id: object, message_params: object) -> Message | None:
    """The message a journal row keeps, or None (a row written before ids were kept, or by a
    newer release with an id this one does not know)."""
    if not isinstance(message_id, str) or not message_id or not isinstance(message_params, str):
        return None
    try:
        return Message.from_json({"id": message_id, "params": json.loads(message_params)})
    except (ValueError, TypeError, KeyError):
        return None
