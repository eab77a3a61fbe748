"""The Korean window: every text translated, the .qm built from the .ts, the language menu."""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6 import QtCore, QtWidgets

from gui import i18n

ROOT = Path(__file__).resolve().parents[2]


def _load_build():
    """resources/i18n/build.py, the reproducible rebuild (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("watchkeeper_i18n_build", ROOT / "resources/i18n/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()

PLACEHOLDER = re.compile(r"\{\w+\}|%[vm]")


@pytest.fixture
def english_after(qapp):
    """Tests that install Korean leave the application English for the tests after them."""
    yield
    i18n.uninstall()


def _messages(ts: Path):
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


def test_every_window_text_has_a_finished_korean_translation(tmp_path):
    """lupdate over gui/ (merged into a copy of the committed .ts) finds no unfinished message:
    a new tr() text without a Korean translation fails here. Each translation keeps the
    placeholders of its English source, so no parameter is lost in Korean; and the merge changes
    nothing, so the committed .ts (and the .qm made from it) has every current text."""
    ts = tmp_path / "watchkeeper_ko.ts"
    ts.write_bytes(build.ts_path("ko").read_bytes())
    build.update(ts)
    unfinished, wrong = [], []
    current = 0
    for context, message in _messages(ts):
        translation = message.find("translation")
        if translation.get("type") in ("vanished", "obsolete"):
            continue
        current += 1
        source = message.findtext("source")
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            unfinished.append(f"{context}: {source!r}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text)):
            wrong.append(f"{context}: {source!r} -> {translation.text!r}")
    assert current > 250, "lupdate found too few texts: are the sources still read?"
    assert unfinished == [], "texts without a Korean translation (run resources/i18n/build.py)"
    assert wrong == [], "translations that lost or added a placeholder"
    # A text that came back (or went away) also changes the .ts: the committed one is current.
    assert ts.read_bytes() == build.ts_path("ko").read_bytes(), "run resources/i18n/build.py"


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path):
    """lrelease of the committed .ts gives the committed .qm byte for byte (rebuild with
    ``uv run python resources/i18n/build.py`` after changing a translation)."""
    qm = tmp_path / "watchkeeper_ko.qm"
    build.release(build.ts_path("ko"), qm)
    assert qm.read_bytes() == build.qm_path("ko").read_bytes()


def test_core_messages_are_shown_in_korean_with_their_numbers(english_after):
    """The messages core makes (here by core's own functions) come out Korean, their values,
    units, times and ports unchanged, both by their ids and (as an old journal keeps them) by
    their English sentences; a sentence no template knows stays as it is."""
    from core.alarms.conditions import Crossing, limit_message, predictive_message, shelve_message
    from core.alarms.config import LimitRule
    from core.alarms.model import AlarmKind, Priority
    from core.anomaly.explain import Explanation
    from core.messages import Message, MessageId
    from gui.messages import render_alarm_message, render_message

    def korean(message: Message) -> str:
        by_id, by_text = render_message(message), render_alarm_message(message.english)
        assert by_id == by_text, message
        return by_id

    rule = LimitRule(AlarmKind.H, 70.0, 1.0, 0.0, 0.0, Priority.HIGH)
    limit = limit_message(rule, 72.46, "°C")
    assert (
        render_message(limit) == limit.english == "HIGH 72.5 °C (limit 70.0 °C)"
    )  # English: as core wrote it
    assert i18n.install("ko") == "ko"
    assert korean(limit) == "상한 72.5 °C (한계 70.0 °C)"
    now = 1_800_000_000_000_000
    crossing = Crossing(rule, now + 20 * 60_000_000, 70.0, expected_at_us=now + 35 * 60_000_000)
    predicted = predictive_message(crossing, now, "°C")
    hhmm = re.findall(r"\d{2}:\d{2}", predicted.english)
    assert korean(predicted) == f"{hhmm[0]}에 상한 70.0 °C 도달 예측 (35분 후), {hhmm[1]}부터 가능성 있음"
    assert korean(shelve_message(None, None)) == "정상 복귀 시까지 보류"
    assert korean(shelve_message(7200, now)).startswith("2시간 00분 동안 보류 (")
    spike = Explanation(
        "spike", {"value": 55.2, "usual": 20.1, "sigma": 0.4, "seconds": 3.0, "direction": 1.0}
    )
    scored = Message.of(MessageId.ANOMALY, why=spike.message("°C"), score="0.93")
    assert scored.english == f"{spike.describe('°C')} (anomaly score 0.93)"
    assert korean(scored) == "3초 만에 55.2 °C(으)로 급등, 평소 20.1 ± 0.4 (이상 점수 0.93)"
    lost = Message.of(MessageId.PORT_LOST_BECAUSE, port="COM7", message="the adapter was unplugged")
    assert korean(lost) == "포트 COM7 통신 두절: the adapter was unplugged"
    assert korean(Message.of(MessageId.READINGS_AGAIN)) == "측정값 수신 재개"
    assert render_alarm_message("A sentence core may add tomorrow") == "A sentence core may add tomorrow"
    assert render_message(Message.plain("A port's own words")) == "A port's own words"


def test_every_message_core_makes_has_a_window_text_and_reads_korean(english_after):
    """Every template core has (core.messages) is a text lupdate extracts from gui/messages.py,
    so it has a Korean translation; filled with its parameters it reads Korean."""
    from core.messages import PLACEHOLDERS, TEMPLATES, Message
    from gui.messages import TEMPLATES as WINDOW_TEMPLATES
    from gui.messages import render_message

    assert set(TEMPLATES.values()) <= set(WINDOW_TEMPLATES)
    i18n.install("ko")
    for mid, names in PLACEHOLDERS.items():
        words = re.sub(r"\{\w+\}|\b(?:The|A|An)\b", "", TEMPLATES[mid])
        if not re.search(r"[A-Za-z]", words):
            continue  # only joins sentences ("{first}; {rest}", "The {problem}."): no word to translate
        shown = render_message(Message(mid, {n: "7" for n in names}))
        assert shown != TEMPLATES[mid].format(**{n: "7" for n in names}), mid
        assert any("\uac00" <= ch <= "\ud7a3" for ch in shown), (mid, shown)


def _language_action(window, label: str):
    menu = next(a.menu() for a in window.options_menu.actions() if a.menu() is not None)
    return menu, next(a for a in menu.actions() if a.text().startswith(label))


def test_choosing_korean_in_the_options_menu_is_kept_and_shows_after_the_restart(
    make_app, qsettings, qtbot, english_after
):
    """Options ▸ Language ▸ 한국어 saves the choice and offers a restart; "Later" keeps this
    window; the window built at the next start speaks Korean: toolbar, alarm panel, port
    dialog (its Cancel button from Qt's own Korean translation)."""
    qsettings.setValue(i18n.SETTING, "en")
    wk = make_app()
    menu, korean = _language_action(wk.window, "한국어")
    assert menu.title() == "Language"
    assert wk.window.alarm_panel.ack_button.text() == "Acknowledge"
    korean.trigger()
    qtbot.waitUntil(
        lambda: wk.language_menu.restart_box is not None and wk.language_menu.restart_box.isVisible()
    )
    box = wk.language_menu.restart_box
    assert "한국어" in box.text()
    qtbot.mouseClick(wk.language_menu.later_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert wk.window.isVisible()  # no restart: the operator chose later
    assert qsettings.value(i18n.SETTING) == "ko"
    wk.window.close()

    again = make_app()  # the next start
    w = again.window
    menu, korean = _language_action(w, "한국어")
    assert menu.title() == "언어" and korean.isChecked()
    assert (w.connect_action.text(), w.alarms_action.text(), w.options_button.text()) == (
        "연결…",
        "경보",
        "옵션",
    )
    assert w.range_actions[3600].text() == "1시간"
    w.follow_action.trigger()  # the toolbar's Following button: following pauses
    qtbot.waitUntil(lambda: w.follow_action.text() == "일시 정지")
    panel = w.alarm_panel
    headers = [panel.active.horizontalHeaderItem(c).text() for c in range(panel.active.columnCount())]
    assert headers == ["우선순위", "발생 시각", "채널", "경보", "상태", "값", "확인 시각", "메시지"]
    assert (panel.ack_button.text(), panel.shelve_button.text()) == ("확인", "보류")
    assert panel.tabText(1) == "경보 이력"
    assert w.alarm_banner.text.text() == "경보 없음"
    again.choose_port()
    dialog = again.port_dialog
    buttons = dialog.findChild(QtWidgets.QDialogButtonBox)
    assert buttons.button(QtWidgets.QDialogButtonBox.Ok).text() == "연결"
    assert buttons.button(QtWidgets.QDialogButtonBox.Cancel).text() == "취소"  # Qt's qtbase_ko
    assert dialog.windowTitle() == "Watchkeeper – 장치 연결"
    dialog.reject()


def test_korean_uses_an_installed_korean_font(english_after):
    """With a Korean font installed (.ci/run installs NanumGothic), the application font lists
    it after the platform font, so Hangul is drawn with it and Latin text keeps its font."""
    family = i18n.korean_font_family()
    if family is None:
        pytest.skip("no Korean font is installed on this machine")
    i18n.install("ko")
    assert QtWidgets.QApplication.font().families()[-1] == family
    i18n.install("en")
    assert family not in QtWidgets.QApplication.font().families()


def test_a_raised_alarm_reads_korean_on_screen_in_the_journal_and_its_export(
    qtbot, db_path, monkeypatch, tmp_path, english_after
):
    """A real alarm (the engine's English message, kept so in the journal) shows in Korean in the
    banner, the Active list and the journal; the CSV export keeps the English message and adds
    the Korean one beside it."""
    import pandas as pd

    from tests.gui.test_alarms import Rig

    i18n.install("ko")
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(97.0)
    qtbot.waitUntil(lambda: rig.banner.showing_alarm, timeout=3000)
    assert "긴급" in rig.banner.text.text() and "상상한 97.0 °C (한계 95.0 °C)" in rig.banner.text.text()
    assert rig.banner.count.text().startswith("발생 ")
    assert rig.cell("boiler.HH", "Message") == "상상한 97.0 °C (한계 95.0 °C)"
    assert rig.cell("boiler.HH", "State") == "발생·미확인"
    rig.ctl.refresh_journal()
    journal = rig.panel.journal
    qtbot.waitUntil(lambda: journal.rowCount() >= 2, timeout=5000)
    shown = {journal.item(r, 6).text() for r in range(journal.rowCount())}
    assert "상상한 97.0 °C (한계 95.0 °C)" in shown
    out = tmp_path / "journal.csv"
    assert "경보 이력" in rig.ctl.export_journal(out)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    row = frame[frame["alarm_id"] == "boiler.HH"].iloc[0]
    assert row["message"] == "HIGH-HIGH 97.0 °C (limit 95.0 °C)"
    assert row["message_ko"] == "상상한 97.0 °C (한계 95.0 °C)"


def test_restart_now_closes_the_recording_first_then_starts_watchkeeper_again(
    make_app, qsettings, qtbot, monkeypatch, english_after
):
    """ "Restart now" closes the window the ordinary way (the file is flushed and closed) before
    the new Watchkeeper starts, with the same options."""
    qsettings.setValue(i18n.SETTING, "en")
    wk = make_app()
    started = []

    def start_detached(program, arguments):
        started.append((program, list(arguments), wk.store is None))
        return True

    monkeypatch.setattr(QtCore.QProcess, "startDetached", start_detached)
    _, korean = _language_action(wk.window, "한국어")
    korean.trigger()
    qtbot.waitUntil(
        lambda: wk.language_menu.restart_box is not None and wk.language_menu.restart_box.isVisible()
    )
    qtbot.mouseClick(wk.language_menu.restart_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    program, arguments, file_closed = started[0]
    assert program == sys.executable and arguments[:2] == ["-m", "gui.app"]
    assert file_closed and not wk.window.isVisible()


def test_the_language_follows_the_system_until_the_operator_chooses(qsettings, monkeypatch):
    """No choice saved: Korean on a Korean system, English elsewhere; a saved choice wins."""
    monkeypatch.setattr(i18n, "system_language", lambda: "ko")
    assert i18n.chosen_language(qsettings) == "ko"
    i18n.save_choice(qsettings, "en")
    assert i18n.chosen_language(qsettings) == "en"
    i18n.save_choice(qsettings, "")  # "System language" in the menu
    monkeypatch.setattr(i18n, "system_language", lambda: "en")
    assert i18n.chosen_language(qsettings) == "en"
    qsettings.setValue(i18n.SETTING, "fr")  # a value from elsewhere: the system decides
    assert i18n.chosen_language(qsettings) == "en"


def test_the_variance_rate_and_relation_explanations_read_korean(qtbot):
    """Each evidence kind's sentence, as core's explanation writes it, comes out in Korean."""
    from core.anomaly.explain import Explanation
    from gui import i18n
    from gui.messages import render_alarm_message

    i18n.install("ko")
    try:
        for kind, params in (
            ("variance", {"ratio": 4.0, "recent_step": 0.4, "usual_step": 0.1}),
            ("rate", {"change": -5.0, "seconds": 1.0, "max_rate": 2.0, "direction": -1.0}),
            ("relation", {"value": 3.1, "other": "flow", "usual": 4.0, "sigma": 0.05}),
        ):
            english = Explanation(kind, params).describe("bar")
            shown = render_alarm_message(english)
            assert shown != english and any("\uac00" <= ch <= "\ud7a3" for ch in shown), (kind, english)
    finally:
        i18n.install("en")


def test_a_journaled_alarm_reads_korean_by_its_id_in_the_panel_and_the_export(
    qtbot, db_path, monkeypatch, tmp_path, english_after
):
    """An anomaly alarm judged against the daily profile is journaled with its message id; the
    Korean window shows it in the Active list and the journal worded by that id (the profile's
    "at this time of day" in Korean too, which the English sentence alone could not give), and
    the journal's export has the Korean column beside the English message and its id."""
    import numpy as np
    import pandas as pd

    from core.anomaly.explain import Explanation
    from core.readings import ReadingBatch
    from tests.gui.test_alarms import Rig

    i18n.install("ko")
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.clock.advance(1)
    why = Explanation(
        "spike",
        {"value": 55.2, "usual": 20.1, "sigma": 0.4, "seconds": 3.0, "direction": 1.0, "period": "day"},
    )
    batch = ReadingBatch.from_records([(rig.clock.now_us(), "boiler", 55.2)])
    rig.engine.process(batch, np.array([0.93]), {0: why})
    korean = "3초 만에 55.2 °C(으)로 급등, 평소 하루 중 이 시각 기준 20.1 ± 0.4 (이상 점수 0.93)"
    qtbot.waitUntil(lambda: rig.cell("boiler.anomaly", "Message") == korean, timeout=3000)
    rig.ctl.refresh_journal()
    journal = rig.panel.journal
    qtbot.waitUntil(lambda: journal.rowCount() >= 1, timeout=5000)
    assert korean in {journal.item(r, 6).text() for r in range(journal.rowCount())}
    rig.panel.filter_text.setText("하루 중 이 시각")  # the operator searches in the words shown
    assert journal.rowCount() >= 1 and journal.item(0, 6).text() == korean
    out = tmp_path / "journal.csv"
    rig.ctl.export_journal(out)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    row = frame[frame["alarm_id"] == "boiler.anomaly"].iloc[0]
    assert row["message"].startswith("Jumped to 55.2 °C in 3 s; usual at this time of day 20.1")
    assert row["message_ko"] == korean and row["message_id"] == "anomaly"
    assert list(frame.columns).index("message_ko") == list(frame.columns).index("message") + 1


def test_an_alarm_journaled_by_an_older_release_reads_korean_in_the_journal(
    qtbot, db_path, monkeypatch, english_after
):
    """A file whose journal rows have no message id (written before ids were kept) opens in the
    Korean window; its alarm shows in Korean, recognised from the English sentence it kept."""
    from tests.core.test_alarm_messages import journal_of_an_older_release
    from tests.gui.test_alarms import Rig

    journal_of_an_older_release(db_path)
    i18n.install("ko")
    rig = Rig(qtbot, db_path, monkeypatch)
    qtbot.waitUntil(lambda: rig.cell("boiler.HH", "Message") == "상상한 97.0 °C (한계 95.0 °C)", timeout=3000)
    rig.ctl.refresh_journal()
    journal = rig.panel.journal
    qtbot.waitUntil(lambda: journal.rowCount() == 1, timeout=5000)
    assert journal.item(0, 6).text() == "상상한 97.0 °C (한계 95.0 °C)"
