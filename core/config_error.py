"""ConfigError: a configuration (a file, a section, a register map) that cannot be used.

A leaf module, so every layer can raise it (acquisition's register maps and polled-ASCII
settings, storage, the capabilities' sections) without importing the configuration loader.
"""


class ConfigError(Exception):
    """The configuration file is unusable; the message names the key."""
