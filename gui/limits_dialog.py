"""LimitsDialog: edit each channel's alarm limits, deadband, delays and priorities; save to the config."""

from __future__ import annotations

import logging
import shutil
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.alarms.config import parse_alarm_config
from core.config import ConfigError
from core.messages import Message, MessageId
from gui.messages import render_message

log = logging.getLogger(__name__)

LIMITS = ("hh", "h", "l", "ll")
NUMBERS = ("deadband", "on_delay", "off_delay")
COLUMNS = [
    ("hh", "HH"),
    ("h", "H"),
    ("l", "L"),
    ("ll", "LL"),
    ("deadband", QT_TRANSLATE_NOOP("LimitsDialog", "Deadband")),
    ("on_delay", QT_TRANSLATE_NOOP("LimitsDialog", "On-delay (s)")),
    ("off_delay", QT_TRANSLATE_NOOP("LimitsDialog", "Off-delay (s)")),
]
PRIORITIES = ["", "low", "medium", "high", "critical"]


def _number(text: str, where: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_NUMBER, where=where, value=repr(text))) from None


class LimitsDialog(QtWidgets.QDialog):
    """One row per channel; empty cells keep the defaults. Saving validates and writes the file."""

    saved = QtCore.Signal(dict)  # the new [alarms] table

    def __init__(
        self,
        channels: list[str],
        alarms: dict[str, Any] | None,
        units: dict[str, str],
        config_path: Path,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watchkeeper – Alarm limits"))
        self.resize(900, 360)
        self.units = units
        self.config_path = config_path
        self.alarms = dict(alarms or {})
        existing = self.alarms.get("channels", {}) if isinstance(self.alarms.get("channels"), dict) else {}
        self.channels = channels
        self.table = QtWidgets.QTableWidget(len(channels), len(COLUMNS) + 2)
        self.table.setHorizontalHeaderLabels(
            [self.tr(c[1]) for c in COLUMNS] + [self.tr("HH/LL priority"), self.tr("H/L priority")]
        )
        self.table.setVerticalHeaderLabels([f"{c} ({units[c]})" if units.get(c) else c for c in channels])
        for r, name in enumerate(channels):
            row = existing.get(name, {})
            for c, (key, _) in enumerate(COLUMNS):
                value = row.get(key)
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem("" if value is None else f"{value:g}"))
            for c, key in ((len(COLUMNS), "hh_priority"), (len(COLUMNS) + 1, "h_priority")):
                box = QtWidgets.QComboBox()
                box.addItems(PRIORITIES)
                box.setCurrentText(str(row.get(key, "")))
                self.table.setCellWidget(r, c, box)
        self.error = QtWidgets.QLabel(
            self.tr("Empty cells keep the defaults (deadband and delays by the channel's kind).")
        )
        self.error.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.Save | QtWidgets.QDialogButtonBox.Cancel
        )
        self.save_button = buttons.button(QtWidgets.QDialogButtonBox.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(
            QtWidgets.QLabel(self.tr("Save writes the limits to {path}.").format(path=config_path))
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def table_dict(self) -> dict[str, Any]:
        """The [alarms] table the grid describes (other [alarms] keys are kept)."""
        channels: dict[str, Any] = {}
        old = self.alarms.get("channels", {}) if isinstance(self.alarms.get("channels"), dict) else {}
        for r, name in enumerate(self.channels):
            row = {
                k: v
                for k, v in old.get(name, {}).items()
                if k not in LIMITS + NUMBERS + ("hh_priority", "ll_priority", "h_priority", "l_priority")
            }
            for c, (key, label) in enumerate(COLUMNS):
                value = _number(self.table.item(r, c).text(), f"{name} {label}")
                if value is not None:
                    row[key] = value
            hh_ll = self.table.cellWidget(r, len(COLUMNS)).currentText()
            h_l = self.table.cellWidget(r, len(COLUMNS) + 1).currentText()
            for key, prio in (("hh", hh_ll), ("ll", hh_ll), ("h", h_l), ("l", h_l)):
                if prio and key in row:
                    row[f"{key}_priority"] = prio
            if row:
                channels[name] = row
        return {**self.alarms, "channels": channels}

    def save(self) -> None:
        try:
            table = self.table_dict()
            parse_alarm_config(table, self.units)  # the same checks as at start-up
        except ConfigError as exc:
            self.error.setText(
                "<span style='color:#b42318'>{}</span>".format(
                    self.tr("Not saved: {error}.").format(error=render_message(exc.message))
                )
            )
            return
        try:
            write_alarms(self.config_path, table)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            log.warning("cannot write the alarm limits to %s: %s", self.config_path, exc)
            if isinstance(exc, tomllib.TOMLDecodeError):
                why = self.tr("the file is not valid TOML; correct it or move it away")
            elif isinstance(exc, PermissionError):
                why = self.tr("permission denied")
            else:
                why = self.tr("the system refused ({reason})").format(
                    reason=exc.strerror or type(exc).__name__
                )
            text = self.tr("Not saved: cannot write {path}: {error}.").format(
                path=self.config_path, error=why
            )
            self.error.setText(f"<span style='color:#b42318'>{text}</span>")
            return
        self.saved.emit(table)
        self.accept()


def write_alarms(path: Path, alarms: dict[str, Any]) -> None:
    """Replace the [alarms] section of the TOML file at ``path`` (keeping a .bak of the old file).

    Comments in the file are not kept by the TOML writer; the backup has them.
    """
    data: dict[str, Any] = {}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        shutil.copyfile(path, path.with_suffix(path.suffix + ".bak"))
    data["alarms"] = alarms
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    tmp.replace(path)
