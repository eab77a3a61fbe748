"""ConfigError: a configuration (a file, a section, a register map) that cannot be used, and the
one check of a table's keys every section uses.

A leaf module (it imports only core.messages), so every layer can raise it (acquisition's
register maps and polled-ASCII settings, storage, the capabilities' sections) without importing
the configuration loader.
"""

from core.messages import Message, MessageError, MessageId


class ConfigError(MessageError):
    """The configuration file is unusable; the message names the key (``message``: the sentence
    as an id with parameters where the shape is a common one, else a text)."""


def check_keys(where: str, table: dict, allowed: set[str] | frozenset[str]) -> None:
    """Refuse a key ``table`` may not have, naming it and the keys it may (``where`` is how the
    sentence names the table: "[alarms]", "forecast.channel.temp")."""
    for key in table:
        if key not in allowed:
            raise ConfigError(
                Message.of(
                    MessageId.CONFIG_UNKNOWN_KEY,
                    where=where,
                    key=str(key),
                    allowed=", ".join(sorted(allowed)),
                )
            )
