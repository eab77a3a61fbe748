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
from collections.abc import Mapping
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
