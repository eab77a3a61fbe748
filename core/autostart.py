"""Start Watchkeeper at logon, so a plant PC that restarts for updates resumes recording.

The window, started with no arguments, reopens the last file and port and records at once. On
Windows it is started by a Task Scheduler task of the current user (no administrator rights
needed); on Linux by an XDG autostart entry (``~/.config/autostart/watchkeeper.desktop``).

The task is defined in XML rather than with ``schtasks /SC ONLOGON``: that shortcut makes a
trigger for every user (which needs an administrator), and its defaults would stop Watchkeeper
after 72 hours and never start it on a laptop running on battery.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from xml.sax.saxutils import escape

from core.messages import Message, MessageError, MessageId

M = MessageId
TASK_NAME = "Watchkeeper"
DESKTOP_FILE = "watchkeeper.desktop"


class AutostartError(MessageError):
    """Starting at logon could not be switched on or off; one sentence (``message``)."""


def launch_command(
    frozen: bool | None = None, executable: str | None = None, platform: str = sys.platform
) -> list[str]:
    """The program and arguments that open the window: the installed Watchkeeper.exe (also when
    asked from watchkeeper-cli.exe, its console twin), or this Python running ``gui.app``."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    windows = platform == "win32"
    exe = (PureWindowsPath if windows else PurePosixPath)(executable or sys.executable)
    if frozen:
        return [str(exe.with_name("Watchkeeper.exe" if windows else "Watchkeeper"))]
    if windows and exe.name.lower() == "python.exe" and Path(exe.with_name("pythonw.exe")).exists():
        exe = exe.with_name("pythonw.exe")  # no console window at logon
    return [str(exe), "-m", "gui.app"]


def task_xml(command: list[str], user: str) -> str:
    """The Task Scheduler definition: at ``user``'s logon, as that user, no time limit."""
    program, arguments = command[0], subprocess.list2cmdline(command[1:])
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Start Watchkeeper and resume recording at logon.</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger><Enabled>true</Enabled><UserId>{escape(user)}</UserId></LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>{escape(user)}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <StartWhenAvailable>true</StartWhenAvailable>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec><Command>{escape(program)}</Command><Arguments>{escape(arguments)}</Arguments></Exec>
  </Actions>
</Task>
"""


def schtasks_create(xml_path: str | Path) -> list[str]:
    return ["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(xml_path), "/F"]


def schtasks_delete() -> list[str]:
    return ["schtasks", "/Delete", "/TN", TASK_NAME, "/F"]


def schtasks_query() -> list[str]:
    return ["schtasks", "/Query", "/TN", TASK_NAME]


def desktop_entry(command: list[str]) -> str:
    """The XDG autostart entry that opens the window at logon."""
    return (
        "[Desktop Entry]\nType=Application\nName=Watchkeeper\n"
        "Comment=Start Watchkeeper and resume recording at logon\n"
        f"Exec={' '.join(map(_xdg_quote, command))}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
    )


def _xdg_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry specification says (double quotes only)."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / DESKTOP_FILE


def _windows_user() -> str:
    domain = os.environ.get("USERDOMAIN")
    user = os.environ.get("USERNAME") or getpass.getuser()
    return f"{domain}\\{user}" if domain else user


def _schtasks(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AutostartError(Message.of(M.TASKS_UNREACHABLE, detail=exc.__class__.__name__)) from None


def is_enabled(platform: str = sys.platform) -> bool:
    if platform == "win32":
        return _schtasks(schtasks_query()).returncode == 0
    return desktop_path().exists()


def enable(command: list[str] | None = None, platform: str = sys.platform) -> None:
    """Start ``command`` (default: the window) at every logon of the current user."""
    command = command or launch_command()
    if platform != "win32":
        path = desktop_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(desktop_entry(command), encoding="utf-8")
        except OSError as exc:
            detail = exc.strerror or type(exc).__name__
            raise AutostartError(Message.of(M.FILE_CANNOT_WRITE, path=str(path), detail=detail)) from None
        return
    with tempfile.TemporaryDirectory(prefix="watchkeeper-") as folder:
        xml = Path(folder) / "task.xml"
        xml.write_text(task_xml(command, _windows_user()), encoding="utf-16")
        done = _schtasks(schtasks_create(xml))
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()[:200]
        raise AutostartError(Message.of(M.TASK_NOT_ADDED, said=said))


def disable(platform: str = sys.platform) -> None:
    """Stop starting at logon; nothing happens when it was off."""
    if platform != "win32":
        desktop_path().unlink(missing_ok=True)
        return
    if is_enabled(platform):
        done = _schtasks(schtasks_delete())
        if done.returncode != 0:
            raise AutostartError(Message.of(M.TASK_NOT_REMOVED))
