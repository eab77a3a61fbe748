"""CPU budget: what recording costs a 24/7 plant PC, from the processes' own CPU accounting.

Runs each case as the operator would, in its own process tree, and reads utime + stime of every
process in it (the recorder or window and its scoring and training children) from /proc over a
steady-state window after a warm-up:

- an idle Python process (the baseline: what doing nothing costs),
- headless ``watchkeeper record`` of the simulated device,
- the window (offscreen) recording the same,

at 4 channels x 10 Hz and 8 channels x 1 kHz. It prints % of one core, ms of CPU per reading and
the ratio to the idle process. Linux only (it reads /proc).

    uv run python benchmarks/cpu_budget.py                 # 20 s warm-up, 60 s measured
    uv run python benchmarks/cpu_budget.py --seconds 120 --cases record-4x10
    uv run python benchmarks/cpu_budget.py --cases window-4x10 --screen 1920x1080
    uv run python benchmarks/cpu_budget.py --cases record-4x10 --threads   # and per thread

The offscreen screen is Qt's 800x800 unless --screen gives one: the window then opens at
720x720, its four plots sharing a few hundred pixels of height; on a 1920x1080 screen it opens
at its first size, 1200x800, as on a plant PC, and a plot repainted whole costs more pixels.

``--threads`` also prints every thread's share over the same window (from
``/proc/PID/task/TID/schedstat``, in nanoseconds), named as Python names them when py-spy is on
the PATH (``py-spy dump``), else by the OS name: native threads (DuckDB's, OpenBLAS's) show so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
RATES = {"4x10": (4, 10), "8x1000": (8, 1000)}
TARGETS = {  # % of one core for the whole process tree (the budget)
    "record-4x10": 2.0,
    "window-4x10": 3.0,
    "record-8x1000": 40.0,
    "window-8x1000": 100.0,
}


def _cpu_s(pid: int) -> float:
    """utime + stime of ``pid`` in seconds (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(root: int) -> list[int]:
    """``root`` and every descendant still running."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _thread_cpu_s(pids: list[int]) -> dict[tuple[int, int], float]:
    """CPU seconds of every thread of ``pids`` so far, by (pid, tid)."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                ns = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):
                continue
            out[(pid, int(tid))] = ns / 1e9
    return out


def _thread_names(pids: list[int]) -> dict[int, str]:
    """Thread id -> name: Python's (from ``py-spy dump``, when installed), else the OS's."""
    names: dict[int, str] = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{pid}/task"):
                with contextlib.suppress(OSError):
                    os_name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
                    names[int(tid)] = f"{os_name} (native)"
        if shutil.which("py-spy") is None:
            continue
        try:
            dump = subprocess.run(
                ["py-spy", "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        for line in dump.splitlines():
            found = re.match(r'Thread (\d+) \([^)]*\): "([^"]*)"', line)
            if found:
                names[int(found.group(1))] = found.group(2)
    return names


@dataclass
class Result:
    case: str
    cpu_pct: float
    readings_per_s: float
    processes: int
    threads: list[tuple[float, int, str]] = field(default_factory=list)  # (% of a core, pid, name)

    @property
    def ms_per_reading(self) -> float:
        return self.cpu_pct * 10.0 / self.readings_per_s if self.readings_per_s else float("nan")


def measure(
    case: str, cmd: list[str], env: dict, warmup: float, seconds: float, rate: float, threads: bool = False
) -> Result:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(warmup)
        if proc.poll() is not None:
            raise SystemExit(f"{case}: the process ended during warm-up (exit {proc.returncode})")
        pids = _tree(proc.pid)
        names = _thread_names(pids) if threads else {}  # before the window: py-spy costs CPU too
        start = {p: _cpu_s(p) for p in pids}
        start_threads = _thread_cpu_s(pids) if threads else {}
        t0 = time.monotonic()
        time.sleep(seconds)
        pids = set(pids) | set(_tree(proc.pid))  # a child started meanwhile counts from zero
        used = sum(_cpu_s(p) - start.get(p, 0.0) for p in pids)
        end_threads = _thread_cpu_s(sorted(pids)) if threads else {}
        elapsed = time.monotonic() - t0
        per_thread = sorted(
            (
                (100.0 * (cpu - start_threads.get((pid, tid), 0.0)) / elapsed, pid, names.get(tid, str(tid)))
                for (pid, tid), cpu in end_threads.items()
            ),
            reverse=True,
        )
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return Result(case, 100.0 * used / elapsed, rate, len(pids), per_thread)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0, help="measured steady state (default 60)")
    ap.add_argument("--warmup", type=float, default=20.0, help="seconds before measuring (default 20)")
    ap.add_argument("--cases", default=",".join(TARGETS), help="comma-separated, e.g. record-4x10")
    ap.add_argument("--screen", default="", help="the offscreen screen, WIDTHxHEIGHT (default Qt's 800x800)")
    ap.add_argument("--threads", action="store_true", help="also print every thread's share of a core")
    args = ap.parse_args(argv)
    wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
    root = Path(__file__).resolve().parents[1]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="cpu-budget-") as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "PYTHONPATH": str(root),
        }
        if args.screen:
            width, height = (int(v) for v in args.screen.lower().split("x"))
            screens = {"screens": [{"name": "bench", "x": 0, "y": 0, "width": width, "height": height}]}
            (Path(tmp) / "screen.json").write_text(json.dumps(screens), encoding="utf-8")
            env["QT_QPA_PLATFORM"] = f"offscreen:configfile={tmp}/screen.json"
        idle = measure("idle Python", [sys.executable, "-c", "import time; time.sleep(1e9)"], env, 1, 5, 0)
        print(f"idle Python process: {idle.cpu_pct:.2f} % of a core", flush=True)
        for case in wanted:
            kind, rate_key = case.split("-")
            channels, hz = RATES[rate_key]
            port = f"sim://?channels={channels}&rate={hz}&seed=1"
            db = f"{tmp}/{case}.duckdb"
            if kind == "record":
                cmd = [sys.executable, "-m", "gui.app", "record", "--port", port, "--db", db]
                cmd += ["--status-interval", "3600"]
            else:
                config = Path(tmp) / f"{case}.toml"
                config.write_text(f'[port]\ndevice = "{port}"\nbaudrate = 115200\n', encoding="utf-8")
                cmd = [sys.executable, "-m", "gui.app", "--db", db, "--config", str(config)]
            r = measure(case, cmd, env, args.warmup, args.seconds, channels * hz, args.threads)
            results.append(r)
            print(f"  measured {case}: {r.cpu_pct:.1f} % ({r.processes} processes)", flush=True)
    screen = f", offscreen screen {args.screen}" if args.screen else ""
    when = f"{args.seconds:g} s after {args.warmup:g} s warm-up{screen}"
    print(f"\nCPU over {when}, whole process tree, % of one core")
    print(f"{'case':<16} {'CPU %':>7} {'target':>7} {'readings/s':>11} {'ms/reading':>11} {'x idle':>8}")
    for r in results:
        target = TARGETS.get(r.case, float("nan"))
        # An idle process shows as 0.00 % at /proc's 10 ms resolution: the ratio is then taken
        # against one clock tick over the measured time, a lower bound of what idle costs.
        floor = max(idle.cpu_pct, 100.0 / TICK / args.seconds)
        verdict = "OK" if r.cpu_pct <= target else "over"
        print(
            f"{r.case:<16} {r.cpu_pct:7.1f} {target:7.1f} {r.readings_per_s:11.0f} "
            f"{r.ms_per_reading:11.3f} {r.cpu_pct / floor:8.0f}  {verdict}"
        )
    for r in results:
        if r.threads:
            print(f"\n{r.case} per thread, % of one core (threads below 0.005 % left out)")
            for pct, pid, name in r.threads:
                if pct >= 0.005:
                    print(f"  {pct:6.2f}  pid {pid:<7} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
