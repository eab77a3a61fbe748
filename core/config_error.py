"""ConfigError: a configuration (a file, a section, a register map) that cannot be used, and the
one check of a table's keys every section uses.

A leaf module, so every layer can raise it (acquisition's register maps and polled-ASCII
settings, storage, the capabilities' sections) without importing the configuration loader.
"""


class ConfigError(Exception):
    """The configuration file is unusable; the message names the key."""


def check_keys(where: str, table: dict, allowed: set[str] | frozenset[str]) -> None:
    """Refuse a key ``table`` may not have, naming it and the keys it may (``where`` is how the
    sentence names the table: "[alarms]", "forecast.channel.temp")."""
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where} has an unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
