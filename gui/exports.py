"""Saving what the operator sees: the visible range as CSV, the plots as PNG."""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication

from core.messages import Message, MessageId
from core.storage.export import ExportError, export
from core.storage.store import ReadingStore
from gui.i18n import current_language
from gui.main_window import MainWindow
from gui.messages import render_journal_messages, render_message

if TYPE_CHECKING:
    from core.alarms.journal import AlarmJournal

log = logging.getLogger(__name__)


def default_name(suffix: str) -> str:
    return f"watchkeeper-{datetime.now().strftime('%Y%m%d-%H%M%S')}{suffix}"


def failed(error: str) -> str:
    return QCoreApplication.translate("Exports", "Export failed: {error}").format(error=error)


def why(exc: OSError) -> str:
    """An OS error's reason in the window's words (never the library's sentence)."""
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate("Exports", "permission denied")
    if isinstance(exc, FileNotFoundError):
        return QCoreApplication.translate("Exports", "the folder does not exist")
    if isinstance(exc, NotADirectoryError):
        return QCoreApplication.translate("Exports", "part of the path is a file, not a folder")
    if isinstance(exc, IsADirectoryError):
        return QCoreApplication.translate("Exports", "a folder of that name is in the way")
    if exc.errno == errno.ENOSPC:
        return QCoreApplication.translate("Exports", "the disk is full")
    return QCoreApplication.translate("Exports", "the system refused ({reason})").format(
        reason=exc.strerror or type(exc).__name__
    )


def export_visible_csv(
    window: MainWindow, store: ReadingStore, path: Path, done: Callable[[str], None]
) -> None:
    """Export the visible channels and time range to ``path`` on a worker thread; ``done(message)``."""
    rng = window.plots.x_range()
    channels = window.plots.visible_channels()
    if rng is None or not channels:
        done(QCoreApplication.translate("Exports", "Nothing to export: no channel is shown."))
        return
    start = datetime.fromtimestamp(rng[0], UTC)
    end = datetime.fromtimestamp(rng[1], UTC)
    span_days = (rng[1] - rng[0]) / 86_400
    # Raw readings for spans the raw table still holds; rollups beyond, like the plot itself.
    resolution = "raw" if span_days <= 2 else "1min" if span_days <= 60 else "1h"

    def run() -> None:
        try:
            rows = export(store, path, channels, start, end, resolution, wide=False)
        except ExportError as exc:
            done(failed(render_message(exc.message)))
            return
        except OSError as exc:
            done(
                failed(
                    render_message(Message.of(MessageId.EXPORT_CANNOT_WRITE, path=str(path), detail=why(exc)))
                )
            )
            return
        except Exception:  # a busy file and the like: a message, not a crash; the details to the log
            log.exception("the export to %s failed", path)
            done(
                failed(
                    render_message(Message.of(MessageId.EXPORT_FAILED, db=str(store.path), path=str(path)))
                )
            )
            return
        done(
            QCoreApplication.translate("Exports", "Saved {rows} readings to {path}.").format(
                rows=rows, path=path
            )
            if resolution == "raw"
            else QCoreApplication.translate(
                "Exports", "Saved {rows} {resolution} averages with min/max to {path}."
            ).format(rows=rows, resolution=resolution, path=path)
        )

    threading.Thread(target=run, name="Export", daemon=True).start()


def export_alarm_journal(journal: AlarmJournal, path: Path, start: object, end: object) -> int:
    """The alarm journal of ``[start, end)`` as CSV; returns the rows. Its English ``message``
    (and the message's id and parameters) stay; in a window speaking another language a
    ``message_<language>`` column beside it says each message as the window shows it."""
    language = current_language()
    translated = None if language == "en" else (f"message_{language}", render_journal_messages)
    return journal.export_csv(path, start, end, translated=translated)


def save_plots_png(window: MainWindow, path: Path) -> str:
    if not window.plots.grab().save(str(path), "PNG"):
        return QCoreApplication.translate("Exports", "Could not save the image to {path}.").format(path=path)
    return QCoreApplication.translate("Exports", "Saved the plots to {path}.").format(path=path)


def ask_path(window: MainWindow, title: str, suffix: str, filter_: str) -> Path | None:
    name, _ = QtWidgets.QFileDialog.getSaveFileName(window, title, default_name(suffix), filter_)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)
