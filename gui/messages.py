"""Core's sentences in the operator's language.

Core says its alarm and port messages as message ids with parameters (core.messages.Message,
beside the English sentence); :func:`render_message` fills the translated template of the id with
the same parameters (nested messages, limit words and durations translated too). A journal row
written before ids were kept has only its English sentence: :func:`render_alarm_message`
recognises each known sentence by its English template and fills the translated one. A sentence
no template knows is shown as core wrote it.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.messages import TEMPLATES as CORE_TEMPLATES
from core.messages import Message, MessageId, decode_params
from gui.problem_texts import PROBLEM_TEMPLATES

CTX = "AlarmMessage"
_LIMIT_WORD = r"HIGH-HIGH|HIGH|LOW-LOW|LOW"
_WAIT = r"\d+ s|\d+ min|\d+ h \d{2} min"
_DURATION = r"\d+ ms|\d+ s|\d+ min|[\d.]+ h|[\d.]+ d|an unknown time"
# What a parameter may look like (anything else: any text); ``word``s and waits are translated too.
_SHAPES = {
    "word": _LIMIT_WORD,
    "wait": _WAIT,
    "dur": _DURATION,
    "dur2": _DURATION,
    "at": r"\d{2}:\d{2}",
    "from": r"\d{2}:\d{2}",
    "score": r"-?[\d.]+",
    "pid": r"\d+",
    "suffix": r"[A-Z0-9]+",
}
# Parameters that are sentences of their own (or a part of one: who holds a file, what it is).
_NESTED = ("message", "detail", "why", "problem", "holder", "kind")

# Core's English templates (core/messages/templates.py: the texts lupdate extracts, and the recogniser's
# patterns for old journal rows), most specific first.
TEMPLATES = [
    QT_TRANSLATE_NOOP("AlarmMessage", "{word} {value} (limit {limit})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Port {port} lost: {message}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Port {port} lost"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Port {port} connected"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit {unit} ({name}) on {port} stopped answering ({detail})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit {unit} ({name}) on {port} stopped answering"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unit {unit} ({name}) answers again"),
    QT_TRANSLATE_NOOP("AlarmMessage", "No reading for {wait}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Readings again"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{why} (anomaly score {score})"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unusual behaviour at {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "{word} limit reached: its own alarm takes over"),
    QT_TRANSLATE_NOOP("AlarmMessage", "No limit crossing predicted"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Predicted {word} {value} at {at} (in {wait}), possible from {from}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Predicted {word} {value} at {at} (in {wait})"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Predicted {word} {value} possible from {from} (in {wait}, within the 95 % band)"
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Forecast close to {word} {value} (within {deadband}) from {from}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shelving expired"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shelved until it returns to normal"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shelved for {wait} (until {until} UTC)"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unshelved"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Returned to normal: one-shot shelving ends"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Suppressed: no data from this channel"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Data again: no longer suppressed"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Rule no longer configured"),
    QT_TRANSLATE_NOOP("AlarmMessage", "No limit left to predict"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Out of service"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Back in service"),
    # The anomaly explanations (the "why" above).
    QT_TRANSLATE_NOOP("AlarmMessage", "Jumped to {value} in {dur}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Jumped to {value}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Dropped to {value} in {dur}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Dropped to {value}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shifted up to {value} for {dur}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shifted up to {value}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shifted down to {value} for {dur}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Shifted down to {value}; usual {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Rose to {value} in {dur}; usual change ± {step}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Dropped to {value} in {dur}; usual change ± {step}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Stuck at {value} for {dur}, longest before {dur2}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "At {value}; usual at this time of day {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "At {value}; usual at this time of week {usual} ± {sigma}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "At {value}, outside the forecast {usual} ± {band} (95 %)"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Fluctuating {times} times more than usual (changes of ± {recent} against ± {step})"
    ),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "Fluctuating {times} times less than usual (changes of ± {recent} against ± {step})"
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Rose by {size} in {dur}, faster than the possible {limit}/s"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Dropped by {size} in {dur}, faster than the possible {limit}/s"),
    QT_TRANSLATE_NOOP(
        "AlarmMessage", "At {value}, off its usual relation to {other}: expected {usual} ± {sigma} from it"
    ),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unusual at {value}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "Unusual behaviour"),
    # The usual level of a daily or weekly profile, inside the sentences above.
    QT_TRANSLATE_NOOP("AlarmMessage", "at this time of day {usual}"),
    QT_TRANSLATE_NOOP("AlarmMessage", "at this time of week {usual}"),
    *PROBLEM_TEMPLATES,
]
# The limit words inside core's sentences ("HIGH 72.5 °C"), extracted for translation.
LIMIT_WORDS = (
    QT_TRANSLATE_NOOP("AlarmMessage", "HIGH-HIGH"),
    QT_TRANSLATE_NOOP("AlarmMessage", "HIGH"),
    QT_TRANSLATE_NOOP("AlarmMessage", "LOW-LOW"),
    QT_TRANSLATE_NOOP("AlarmMessage", "LOW"),
)
_DURATION_UNITS = {
    "ms": QT_TRANSLATE_NOOP("AlarmMessage", "{n} ms"),
    "s": QT_TRANSLATE_NOOP("AlarmMessage", "{n} s"),
    "min": QT_TRANSLATE_NOOP("AlarmMessage", "{n} min"),
    "h": QT_TRANSLATE_NOOP("AlarmMessage", "{n} h"),
    "d": QT_TRANSLATE_NOOP("AlarmMessage", "{n} d"),
    "day": QT_TRANSLATE_NOOP("AlarmMessage", "{n} day"),
    "days": QT_TRANSLATE_NOOP("AlarmMessage", "{n} days"),
}
# Templates that only join other sentences ("{path}: {problem}"): never recognised in a text, where
# they would match any sentence with a colon; they come only with an id.
_JOINING = frozenset(
    CORE_TEMPLATES[i] for i in (MessageId.LIST, MessageId.IN_FILE, MessageId.AT_KEY, MessageId.THE_PROBLEM)
) | {CORE_TEMPLATES[MessageId.MAP_SUMMARY]}
_HOURS_MINUTES = QT_TRANSLATE_NOOP("AlarmMessage", "{h} h {m} min")
_UNKNOWN_TIME = QT_TRANSLATE_NOOP("AlarmMessage", "an unknown time")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


@cache
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    seen: set[str] = set()
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        elif part in seen:  # a parameter named twice says the same both times
            regex += f"(?P={part})"
        else:
            seen.add(part)
            regex += f"(?P<{part}>{_SHAPES.get(part, '.+?')})"
    return re.compile(regex, re.DOTALL)


def render_duration(text: str) -> str:
    """ "35 min", "1 h 05 min", "2.5 h" in the operator's words (the numbers kept)."""
    if text == "an unknown time":
        return _tr(_UNKNOWN_TIME)
    m = re.fullmatch(r"(\d+) h (\d{2}) min", text)
    if m:
        return _tr(_HOURS_MINUTES).format(h=m[1], m=m[2])
    # "3 days 2 h", "5 h 3 min" (a forecast's history): each part in the operator's words
    parts = re.findall(r"([\d.]+) (ms|s|min|h|d|days?)(?: |$)", text)
    if not parts or " ".join(f"{n} {u}" for n, u in parts) != text:
        return text
    return " ".join(_tr(_DURATION_UNITS[u]).format(n=n) for n, u in parts)


def render_alarm_message(text: str) -> str:
    """``text``, a message core wrote in English, in the window's language (parameters kept)."""
    if not text:
        return text
    for template in TEMPLATES:
        if template in _JOINING:
            continue
        m = _pattern(template).fullmatch(text)
        if m is None:
            continue
        params = m.groupdict()
        for name, value in params.items():
            if name == "word":
                params[name] = _tr(value)
            elif name in ("wait", "dur", "dur2"):
                params[name] = render_duration(value)
            elif name in _NESTED:
                params[name] = render_alarm_message(value)
        return _tr(template).format(**params)
    return text


def render_message(message: Message | str | None, english: str = "") -> str:
    """A message core made (an id with parameters) in the window's language; a text (``english``
    with no message, a message without an id: a text from outside core) goes through
    :func:`render_alarm_message`."""
    if isinstance(message, str):
        return render_alarm_message(message)
    if message is None or message.id is None:
        return render_alarm_message(english if message is None else message.english)
    params = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            params[name] = render_message(value)
        elif name == "word":
            params[name] = _tr(value)
        elif name in ("wait", "dur", "dur2"):
            params[name] = render_duration(value)
        elif name in _NESTED:  # a sentence from outside core (a port's error): recognised if known
            params[name] = render_alarm_message(value)
        else:
            params[name] = value
    try:
        return _tr(CORE_TEMPLATES[message.id]).format(**params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a parameter: English
        return message.english


def render_journaled(english: str, message_id: object = None, message_params: object = None) -> str:
    """A journal row's message in the window's language: by its id and parameters, or (a row
    journaled before they were kept) by recognising its English sentence."""
    return render_message(decode_params(message_id, message_params), english)


def render_journal_messages(frame) -> list[str]:
    """Every row's message of a journal frame (``message``, and ``message_id`` and
    ``message_params`` where the file has them) in the window's language."""
    n = len(frame)
    ids = frame["message_id"] if "message_id" in frame else [None] * n
    params = frame["message_params"] if "message_params" in frame else [None] * n
    return [render_journaled(*row) for row in zip(frame["message"], ids, params, strict=True)]


def render_notice(notice) -> str:
    """A recording's notice (core.engine.session.Notice: an id with parameters) in the window's language."""
    return render_message(notice.message)


# -- the alarm list's words -------------------------------------------------------------------
# Priorities, kinds, states and port states as core names them (an underscore shown as a space).
WORDS = frozenset(
    (
        QT_TRANSLATE_NOOP("AlarmWords", "critical"),
        QT_TRANSLATE_NOOP("AlarmWords", "high"),
        QT_TRANSLATE_NOOP("AlarmWords", "medium"),
        QT_TRANSLATE_NOOP("AlarmWords", "low"),
        QT_TRANSLATE_NOOP("AlarmWords", "HH"),
        QT_TRANSLATE_NOOP("AlarmWords", "H"),
        QT_TRANSLATE_NOOP("AlarmWords", "L"),
        QT_TRANSLATE_NOOP("AlarmWords", "LL"),
        QT_TRANSLATE_NOOP("AlarmWords", "anomaly"),
        QT_TRANSLATE_NOOP("AlarmWords", "predictive"),
        QT_TRANSLATE_NOOP("AlarmWords", "comm_loss"),
        QT_TRANSLATE_NOOP("AlarmWords", "normal"),
        QT_TRANSLATE_NOOP("AlarmWords", "active unack"),
        QT_TRANSLATE_NOOP("AlarmWords", "active ack"),
        QT_TRANSLATE_NOOP("AlarmWords", "rtn unack"),
        QT_TRANSLATE_NOOP("AlarmWords", "shelved"),
        QT_TRANSLATE_NOOP("AlarmWords", "suppressed"),
        QT_TRANSLATE_NOOP("AlarmWords", "out of service"),
        QT_TRANSLATE_NOOP("AlarmWords", "connected"),
        QT_TRANSLATE_NOOP("AlarmWords", "lost"),
        QT_TRANSLATE_NOOP("AlarmWords", "reconnecting"),
        QT_TRANSLATE_NOOP("AlarmWords", "stopped"),
    )
)


def word_text(value: str) -> str:
    """A priority, alarm kind, alarm state or port state (core's value) in the operator's words."""
    shown = value if value in WORDS else value.replace("_", " ")
    return QCoreApplication.translate("AlarmWords", shown)


priority_text = kind_text = state_text = port_state_text = word_text
