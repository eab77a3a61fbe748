"""Core's sentences as message ids with parameters, so any language can phrase them.

Core says what happened as a :class:`Message`: an id (:class:`MessageId`) and its parameters,
already worded as the English text shows them (``value="72.5 °C"``, ``wait="35 min"``, a time
``"14:20"``); a parameter may be a message of its own (the explanation inside an anomaly alarm's
message). ``str(message)`` / :attr:`Message.english` is the English sentence the command line
prints and the journal's ``message`` column keeps; the window fills the translated template of
the id with the same parameters. :meth:`Message.to_json` / :meth:`Message.from_json` carry a
message through the journal, so an old journal reads in the language chosen today.

A leaf of core: it imports nothing of core (and never Qt). The ids are in
:mod:`core.messages.ids`, their English templates in :mod:`core.messages.templates`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeAlias

from core.messages.ids import MessageId
from core.messages.templates import TEMPLATES

__all__ = [
    "PLACEHOLDERS",
    "TEMPLATES",
    "Message",
    "MessageError",
    "MessageId",
    "Param",
    "decode_params",
    "encode_params",
    "listed",
]

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
