"""Register maps: a config file's ``[modbus]`` section with the [port] settings it suggests.

The port dialog offers the templates in resources/modbus and the operator's own files; loading
one reads a whole configuration file, so this sits beside the configuration loader, above
acquisition (which only parses the section).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.acquisition.modbus.config import ModbusConfig, parse_modbus
from core.config import ConfigError, PortConfig, load_config
from core.messages import Message, MessageId, listed

M = MessageId

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "resources" / "modbus"


@dataclass(frozen=True, slots=True)
class RegisterMap:
    """A config file's ``[modbus]`` map and the [port] settings it suggests (a template's)."""

    path: Path
    port: PortConfig
    modbus: ModbusConfig
    title: str  # the file's first comment line, or its name

    def describe(self) -> Message:
        """ "2 slaves, 3 points: unit 1 th (temp, hum); unit 2 ..." """
        slaves = listed(
            [
                Message.of(M.MAP_SLAVE, unit=str(s.unit), name=s.name, channels=", ".join(s.channels))
                for s in self.modbus.slaves
            ]
        )
        points = sum(len(s.points) for s in self.modbus.slaves)
        n = len(self.modbus.slaves)
        return Message.of(
            M.MAP_SUMMARY,
            slaves=Message.of(M.SLAVES_ONE) if n == 1 else Message.of(M.SLAVES_MANY, n=str(n)),
            points=Message.of(M.POINTS_ONE) if points == 1 else Message.of(M.POINTS_MANY, n=str(points)),
            list=slaves,
        )


def load_register_map(path: str | Path) -> RegisterMap:
    """Read the register map of a config file (a template or the operator's own); ConfigError
    names the file and the key when something is wrong."""
    path = Path(path)
    config = load_config(path)
    if "modbus" not in config.extra:
        raise ConfigError(Message.of(M.MAP_NO_MODBUS, path=str(path)))
    try:
        modbus = parse_modbus(config.extra["modbus"])
    except ConfigError as exc:
        raise ConfigError(Message.of(M.IN_FILE, path=str(path), problem=exc.message)) from None
    title = path.stem
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("#"):
            title = line.lstrip("# ").rstrip(".") or title
            break
    return RegisterMap(path, config.port, modbus, title)


def register_map_templates() -> list[Path]:
    """The register maps shipped in resources/modbus, by name."""
    return sorted(TEMPLATES_DIR.glob("*.toml")) if TEMPLATES_DIR.is_dir() else []
