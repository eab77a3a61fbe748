"""The window's language: Qt translators (Watchkeeper's own and Qt's), the Korean font, formats.

The language follows the system locale unless the operator chose one in Options ▸ Language; the
choice is kept in QSettings and takes effect when the window starts (the window offers a restart).
Watchkeeper's translations are compiled from ``resources/i18n/watchkeeper_<lang>.ts`` by
``resources/i18n/build.py``; Qt's own (standard buttons and dialogs) ship with PySide6.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6 import QtCore, QtGui

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
SETTING = "ui/language"  # "" (follow the system), "ko" or "en"
# Each language in its own words: an operator who cannot read the current one still finds theirs.
LANGUAGES = {"ko": "한국어", "en": "English"}
# Korean fonts by platform, best first: Windows, macOS, then Linux (Noto CJK, Nanum).
KOREAN_FONTS = (
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "NanumBarunGothic",
    "UnDotum",
)

_installed: list[QtCore.QTranslator] = []
_current = "en"
_base_font: QtGui.QFont | None = None


def system_language() -> str:
    """ "ko" on a Korean system, else "en"."""
    return "ko" if QtCore.QLocale.system().language() == QtCore.QLocale.Korean else "en"


def saved_choice(qsettings: QtCore.QSettings) -> str:
    """The operator's choice: "ko", "en", or "" to follow the system."""
    value = qsettings.value(SETTING, "")
    return value if value in LANGUAGES else ""


def save_choice(qsettings: QtCore.QSettings, language: str) -> None:
    qsettings.setValue(SETTING, language if language in LANGUAGES else "")
    qsettings.sync()


def chosen_language(qsettings: QtCore.QSettings) -> str:
    """The language the window should speak: the saved choice, else the system's."""
    return saved_choice(qsettings) or system_language()


def current_language() -> str:
    """The language installed last by :func:`install` ("en" before any)."""
    return _current


def install(language: str, app: QtCore.QCoreApplication | None = None) -> str:
    """Install the translators (and the font) for ``language`` on ``app``; replaces the previous.

    Returns the language actually in use: "en" if the Korean translation cannot be loaded.
    """
    global _current
    app = app or QtCore.QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language not in LANGUAGES:
        language = "en"
    if language != "en":
        ours = QtCore.QTranslator(app)
        if not ours.load(f"watchkeeper_{language}", str(I18N_DIR)):
            log.warning("the %s translation is missing from %s; the window stays English", language, I18N_DIR)
            language = "en"
        else:
            app.installTranslator(ours)
            _installed.append(ours)
            qt_dir = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.TranslationsPath)
            qt = QtCore.QTranslator(app)
            if qt.load(f"qtbase_{language}", qt_dir):  # OK, Cancel, Save, file dialogs
                app.installTranslator(qt)
                _installed.append(qt)
            else:
                log.info("Qt's own %s translation is not in %s", language, qt_dir)
    _current = language
    # Number fields follow the window's language; English on a non-Korean system keeps that
    # system's own conventions (a decimal comma in Germany), as before there was a choice.
    if language == "ko":
        locale = QtCore.QLocale(QtCore.QLocale.Korean, QtCore.QLocale.SouthKorea)
    elif system_language() == "ko":
        locale = QtCore.QLocale(QtCore.QLocale.English, QtCore.QLocale.UnitedStates)
    else:
        locale = QtCore.QLocale.system()
    QtCore.QLocale.setDefault(locale)
    _apply_font(app, language)
    return language


def uninstall(app: QtCore.QCoreApplication | None = None) -> None:
    """Back to English (tests use it to leave the application as they found it)."""
    install("en", app)


def korean_font_family() -> str | None:
    """The first installed Korean font of :data:`KOREAN_FONTS` (None: none installed)."""
    families = set(QtGui.QFontDatabase.families())
    return next((f for f in KOREAN_FONTS if f in families), None)


def _apply_font(app: QtCore.QCoreApplication, language: str) -> None:
    """Korean: the platform font stays first for Latin text, the Korean font follows for Hangul
    (so Qt never falls back to a font that lacks it, or draws boxes)."""
    global _base_font
    if not isinstance(app, QtGui.QGuiApplication):
        return
    if _base_font is None:
        _base_font = QtGui.QFont(app.font())
    font = QtGui.QFont(_base_font)
    korean = korean_font_family() if language == "ko" else None
    if korean is not None:
        font.setFamilies([_base_font.family(), korean])
    elif language == "ko":
        log.warning("no Korean font is installed; Korean text may not show")
    app.setFont(font)


# -- formats ---------------------------------------------------------------------------------
# Both languages use a 24-hour clock and year-month-day order (Korea's own order); the numbers
# keep a point for decimals, as in both locales.
TIME_FORMAT = "%H:%M:%S"
DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def local_time(ts_us: int) -> str:
    """A reading's time of day, local, 24-hour clock."""
    return datetime.fromtimestamp(ts_us / 1e6).strftime(TIME_FORMAT)


def local_date_time(when: datetime) -> str:
    """Date and time, local, in year-month-day order with a 24-hour clock."""
    return when.strftime(DATE_TIME_FORMAT)
