"""OpcUaServer: the PC as an OPC UA server (asyncua) a SCADA client can browse.

Address space, in namespace ``urn:watchkeeper:<site>:<device>``::

    Objects/Watchkeeper/
        Channels/<channel>/Value (Double; its status code is the quality: Good, Uncertain when
                                  older than stale_s, Bad before the first reading)
                          /Unit (String), /Quality (String: good, stale, no data)
                          /Forecast/Values (Double[]), /Times (DateTime[]), /GeneratedAt (DateTime)
        Alarms/ActiveAlarms (String[]: "<alarm_id> <PRIORITY> <state>: <message>"), /ActiveCount
        Alarms/<alarm_id>/State, /Priority, /Message (String), /Active (Boolean)

It serves live values (fed by the session with every batch and alarm transition) and re-reads
the newest forecasts from the file every few seconds. It runs its own asyncio loop on a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import numpy as np

from core.alarms.model import AlarmEvent, AlarmState
from core.forward.engine import ForwarderState
from core.forward.settings import OpcUaConfig
from core.readings import ReadingBatch
from core.storage import forwarding as fw
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)

UPDATE_S = 0.5
FORECAST_EVERY_S = 5.0


def _utc(ts_us: int) -> datetime:
    return datetime.fromtimestamp(ts_us / 1e6, UTC)


class OpcUaServer:
    name = "opcua"

    def __init__(
        self,
        config: OpcUaConfig,
        store: ReadingStore,
        site: str,
        device: str,
        units: dict[str, str] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.site = site
        self.device = device
        self.units = dict(units or {})
        self.target = config.endpoint
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[int, float]] = {}  # channel -> (ts_us, value)
        self._alarms: dict[str, AlarmEvent] = {}
        self._alarms_changed = True
        self._running = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._quit: asyncio.Event | None = None
        self.last_error = ""
        self.updates = 0

    # -- fed by the session -------------------------------------------------------------------
    def update(self, batch: ReadingBatch) -> None:
        """Keep each channel's newest value (called on the reader thread; cheap)."""
        if not len(batch):
            return
        codes = np.asarray(batch.codes)
        last = len(codes) - 1 - np.unique(codes[::-1], return_index=True)[1]
        with self._lock:
            for i in last.tolist():
                self._latest[batch.names[int(codes[i])]] = (int(batch.ts_us[i]), float(batch.values[i]))

    def alarm(self, event: AlarmEvent) -> None:
        with self._lock:
            self._alarms[event.alarm_id] = event
            self._alarms_changed = True

    def state(self) -> ForwarderState:
        return ForwarderState(
            self.name, self.target, self._running.is_set(), 0, 0.0, self.last_error, self.updates
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> None:
        self._thread = threading.Thread(target=self._thread_main, name="OpcUaServer", daemon=True)
        self._thread.start()
        self._started.wait(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        loop, quit_event = self._loop, self._quit
        if loop is not None and quit_event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(quit_event.set)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except OSError as exc:
            port = urlsplit(self.config.endpoint).port
            why = "another program uses it" if exc.errno in (errno.EADDRINUSE, None) else "the system refused"
            self.last_error = f"Cannot serve OPC UA on port {port}: {why}"
            log.info("OPC UA server: %r", exc)
            log.error("%s", self.last_error)
        except Exception:
            self.last_error = "The OPC UA server failed; see the log"
            log.exception("OPC UA server failed")
        finally:
            self._running.clear()
            self._loop = None
            self._started.set()

    async def _main(self) -> None:
        from asyncua import Server, ua

        self._loop = asyncio.get_running_loop()
        self._quit = asyncio.Event()
        # Without certificates asyncua warns on every start that it has no signing policy; the
        # endpoint is plain by design (a SCADA network behind the plant firewall).
        logging.getLogger("asyncua.server.server").setLevel(logging.ERROR)
        server = Server()
        await server.init()
        server.set_endpoint(self.config.endpoint)
        server.set_server_name(f"Watchkeeper {self.site}/{self.device}")
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        self._ns = await server.register_namespace(f"urn:watchkeeper:{self.site}:{self.device}")
        root = await server.nodes.objects.add_object(self._ns, "Watchkeeper")
        self._channels_node = await root.add_folder(self._ns, "Channels")
        self._alarms_node = await root.add_folder(self._ns, "Alarms")
        self._active = await self._alarms_node.add_variable(
            self._ns, "ActiveAlarms", [], ua.VariantType.String
        )
        self._count = await self._alarms_node.add_variable(self._ns, "ActiveCount", 0, ua.VariantType.UInt32)
        self._channel_nodes: dict[str, dict[str, object]] = {}
        self._alarm_nodes: dict[str, dict[str, object]] = {}
        self._seed_alarms()
        async with server:
            self._running.set()
            self._started.set()
            log.info("serving OPC UA on %s", self.config.endpoint)
            next_forecast = 0.0
            while not self._quit.is_set():
                await self._write_values(ua)
                await self._write_alarms(ua)
                if time.monotonic() >= next_forecast:
                    next_forecast = time.monotonic() + FORECAST_EVERY_S
                    await self._write_forecasts(ua)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._quit.wait(), UPDATE_S)

    def _seed_alarms(self) -> None:
        """The alarms that were not normal when the file was last used (the engine restores them too)."""
        from core.alarms.journal import AlarmJournal
        from core.alarms.model import AlarmKind, Priority

        try:
            latest = AlarmJournal(self.store).latest()
        except Exception:
            log.exception("cannot read the alarm journal for the OPC UA server")
            return
        for r in latest.itertuples(index=False):
            state = AlarmState(r.state)
            if state.shown:
                self._alarms.setdefault(
                    r.alarm_id,
                    AlarmEvent(
                        int(r.ts_us),
                        r.alarm_id,
                        r.channel,
                        AlarmKind(r.kind),
                        Priority(r.priority),
                        state,
                        state,
                        None if r.value != r.value else float(r.value),
                        r.message,
                    ),
                )

    async def _channel(self, ua: object, name: str) -> dict[str, object]:
        nodes = self._channel_nodes.get(name)
        if nodes is None:
            obj = await self._channels_node.add_object(self._ns, name)
            forecast = await obj.add_object(self._ns, "Forecast")
            nodes = {
                "value": await obj.add_variable(self._ns, "Value", 0.0, ua.VariantType.Double),
                "unit": await obj.add_variable(
                    self._ns, "Unit", self.units.get(name, ""), ua.VariantType.String
                ),
                "quality": await obj.add_variable(self._ns, "Quality", "no data", ua.VariantType.String),
                "f_values": await forecast.add_variable(self._ns, "Values", [], ua.VariantType.Double),
                "f_times": await forecast.add_variable(self._ns, "Times", [], ua.VariantType.DateTime),
                "f_generated": await forecast.add_variable(
                    self._ns, "GeneratedAt", _utc(0), ua.VariantType.DateTime
                ),
                "shown": None,
            }
            self._channel_nodes[name] = nodes
        return nodes

    async def _write_values(self, ua: object) -> None:
        with self._lock:
            latest = dict(self._latest)
        now = time.time()
        for name, (ts_us, value) in latest.items():
            nodes = await self._channel(ua, name)
            stale = now - ts_us / 1e6 > self.config.stale_s
            if nodes["shown"] == (ts_us, stale):
                continue
            code = ua.StatusCodes.UncertainLastUsableValue if stale else ua.StatusCodes.Good
            await nodes["value"].write_value(
                ua.DataValue(
                    ua.Variant(value, ua.VariantType.Double), ua.StatusCode(code), SourceTimestamp=_utc(ts_us)
                )
            )
            await nodes["quality"].write_value("stale" if stale else "good", ua.VariantType.String)
            nodes["shown"] = (ts_us, stale)
            self.updates += 1

    async def _write_alarms(self, ua: object) -> None:
        with self._lock:
            if not self._alarms_changed:
                return
            alarms = dict(self._alarms)
            self._alarms_changed = False
        active = []
        for alarm_id, e in sorted(alarms.items()):
            nodes = self._alarm_nodes.get(alarm_id)
            if nodes is None:
                obj = await self._alarms_node.add_object(self._ns, alarm_id)
                nodes = {
                    k: await obj.add_variable(self._ns, k, "", ua.VariantType.String)
                    for k in ("State", "Priority", "Message")
                }
                nodes["Active"] = await obj.add_variable(self._ns, "Active", False, ua.VariantType.Boolean)
                self._alarm_nodes[alarm_id] = nodes
            await nodes["State"].write_value(e.state.value, ua.VariantType.String)
            await nodes["Priority"].write_value(e.priority.value, ua.VariantType.String)
            await nodes["Message"].write_value(e.message, ua.VariantType.String)
            await nodes["Active"].write_value(e.state.shown, ua.VariantType.Boolean)
            if e.state.shown:
                active.append(f"{alarm_id} {e.priority.value.upper()} {e.state.value}: {e.message}")
        await self._active.write_value(active, ua.VariantType.String)
        await self._count.write_value(len(active), ua.VariantType.UInt32)

    async def _write_forecasts(self, ua: object) -> None:
        try:
            frame = fw.newest_forecasts(self.store)
        except Exception:
            log.exception("cannot read forecasts for the OPC UA server")
            return
        for channel, rows in frame.groupby("channel"):
            nodes = await self._channel(ua, str(channel))
            await nodes["f_values"].write_value([float(v) for v in rows["value"]], ua.VariantType.Double)
            await nodes["f_times"].write_value(
                [_utc(int(t)) for t in rows["target_us"]], ua.VariantType.DateTime
            )
            await nodes["f_generated"].write_value(
                _utc(int(rows["generated_us"].iloc[0])), ua.VariantType.DateTime
            )
