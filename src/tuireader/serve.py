"""`tuireader serve`: the reader in a browser, one reader process per browser session.

Built on textual-serve (its browser terminal, textual.js, and its AppService protocol), with
what a shared library needs and textual-serve does not do:

- an access token on every connection: the page (``/?token=…``) and the websocket
  (``/ws/TOKEN/USER``, the token in the path because textual.js appends its own query);
- per-user state: ``?user=NAME`` gives the session its own data folder (reading positions,
  the last document, annotations); without a name the session reads the shared state (and the
  shared annotations) and never writes them: annotating there is refused with a message, so
  two browsers never overwrite each other's state;
- a cap on concurrent sessions, with a page that says so;
- an app process that cannot outlive its browser: each runs in its own process group;
  when the websocket closes (or its heartbeat goes unanswered) the app is asked to quit,
  then the whole group gets SIGTERM and, if still there, SIGKILL after a timeout.
  (An orphaned app process was once seen spinning at ~24 % CPU, ignoring SIGTERM.)

Links the reader opens go to the browser (Textual's web driver sends ``open_url``); the
library folder is never written (the reader never writes it; the index lives in the cache).
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import os
import re
import secrets
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from . import paths

log = logging.getLogger("tuireader.serve")

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SHARED = "-"  # the websocket path's user for a session without a name
STATIC = Path(__import__("textual_serve").__file__ or "").parent / "static"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def user_data_dir(user: str) -> Path:
    """A named browser user's own data folder (state.json), beside the shared one."""
    return paths.data_dir() / "serve-users" / user


@dataclass
class ServeConfig:
    library: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    max_sessions: int = 8
    index_dir: Path | None = None
    # How long a closing app may take to quit by itself, then after SIGTERM, before SIGKILL.
    quit_timeout: float = 3.0
    term_timeout: float = 2.0
    heartbeat: float = 15.0
    command: Sequence[str] | None = None  # the app's argv; tests give their own

    def app_command(self) -> list[str]:
        if self.command is not None:
            return list(self.command)
        argv = [sys.executable, "-m", "tuireader", "--library", str(self.library)]
        if self.index_dir is not None:
            argv += ["--index-dir", str(self.index_dir)]
        return argv


class ReaderSession(AppService):
    """One browser session's reader: its own process group, its own state folder, ended for sure."""

    def __init__(self, config: ServeConfig, user: str | None, **kwargs: Any) -> None:
        super().__init__(" ".join(config.app_command()), **kwargs)
        self.config = config
        self.user = user

    def _session_environment(self, width: int, height: int) -> dict[str, str]:
        env = self._build_environment(width=width, height=height)
        env.pop(paths.ENV_LIBRARY, None)
        if self.user:
            env[paths.ENV_DATA_DIR] = str(user_data_dir(self.user))
            env.pop(paths.ENV_STATE_READ_ONLY, None)
        else:
            env[paths.ENV_DATA_DIR] = str(paths.data_dir())
            env[paths.ENV_STATE_READ_ONLY] = "1"
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # exec, not a shell; a new session makes the app the leader of its own process group,
        # so the group (and any worker it forked) can be ended as one.
        self._process = process = await asyncio.create_subprocess_exec(
            *self.config.app_command(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._session_environment(width, height),
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit; after ``quit_timeout`` SIGTERM its group, after ``term_timeout`` SIGKILL it."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            try:
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 1.0)
            except (TimeoutError, OSError, RuntimeError, AssertionError):
                pass
            await self._wait(process, self.config.quit_timeout)
        self._signal_group(process.pid, signal.SIGTERM)  # the app's helpers too, even when it quit by itself
        if process.returncode is None and not await self._wait(process, self.config.term_timeout):
            log.warning("reader process %s ignored SIGTERM: killed", process.pid)
        self._signal_group(process.pid, signal.SIGKILL)
        await self._wait(process, 5.0)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # the reader task ends with the process
                pass
            self._task = None

    @staticmethod
    async def _wait(process: asyncio.subprocess.Process, timeout: float) -> bool:
        try:
            await asyncio.wait_for(process.wait(), timeout)
            return True
        except TimeoutError:
            return False

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass  # already gone


class ReaderServer:
    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.sessions: set[ReaderSession] = set()
        self.download_manager = DownloadManager()

    # -------------------------------------------------------------- the web app
    def make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws/{token}/{user}", self.handle_websocket),
                web.static("/static", STATIC),
            ]
        )
        app.on_shutdown.append(self._stop_all)
        return app

    def _token_ok(self, given: str | None) -> bool:
        return given is not None and secrets.compare_digest(given.encode(), self.config.token.encode())

    def _user(self, request: web.Request, value: str | None) -> str | None:
        if value in (None, "", SHARED):
            return None
        if not USER_NAME.match(value):
            raise web.HTTPBadRequest(
                text=_page("Bad user name", "A user name is letters, digits, '.', '_' or '-' (at most 64)."),
                content_type="text/html",
            )
        return value

    async def handle_index(self, request: web.Request) -> web.Response:
        if not self._token_ok(request.query.get("token")):
            return web.Response(
                status=403,
                text=_page(
                    "Access token required",
                    "This library is served with an access token. Open the address "
                    "tuireader serve printed, with its ?token=…",
                ),
                content_type="text/html",
            )
        user = self._user(request, request.query.get("user"))
        if len(self.sessions) >= self.config.max_sessions:
            return self._full_page()
        size = request.query.get("fontsize", "16")
        font_size = int(size) if size.isdigit() and 6 <= int(size) <= 48 else 16
        scheme = "wss" if request.secure else "ws"
        ws_url = f"{scheme}://{request.host}/ws/{self.config.token}/{user or SHARED}"
        who = f"reading as {user}" if user else "shared, read-only state (add ?user=NAME to keep your place)"
        return web.Response(
            text=_APP_PAGE.format(
                title=html.escape(f"tuireader · {self.config.library.name} · {who}"),
                ws_url=html.escape(ws_url, quote=True),
                font_size=font_size,
            ),
            content_type="text/html",
        )

    def _full_page(self) -> web.Response:
        n = self.config.max_sessions
        return web.Response(
            status=503,
            text=_page(
                "All reader sessions are in use",
                f"This server runs at most {n} reader session{'s' if n != 1 else ''} at once, and all are open. "
                "Try again when someone closes theirs (a closed browser tab frees its session).",
            ),
            content_type="text/html",
            headers={"Retry-After": "30"},
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request.match_info["token"]):
            raise web.HTTPForbidden(text="access token required")
        user = self._user(request, request.match_info["user"])
        if len(self.sessions) >= self.config.max_sessions:
            return self._full_page()
        websocket = web.WebSocketResponse(heartbeat=self.config.heartbeat)
        await websocket.prepare(request)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        session = ReaderSession(
            self.config,
            user,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(session)
        try:
            await session.start(width, height)
            log.info("session %s started (user %s, pid %s)", session.app_service_id[:8], user or SHARED, session.pid)
            await self._relay(websocket, session)
        except (asyncio.CancelledError, ConnectionResetError):
            pass
        finally:
            await session.stop()
            self.sessions.discard(session)
            log.info("session %s ended", session.app_service_id[:8])
            if not websocket.closed:
                await websocket.close()
        return websocket

    @staticmethod
    async def _relay(websocket: web.WebSocketResponse, session: ReaderSession) -> None:
        """Browser → app: keys and resizes (textual-serve's envelope protocol)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def _stop_all(self, _app: web.Application) -> None:
        await asyncio.gather(*(s.stop() for s in list(self.sessions)), return_exceptions=True)

    # ---------------------------------------------------------------- running
    def url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.config.port}/?token={self.config.token}"

    def run(self) -> None:
        web.run_app(self.make_app(), host=self.config.host, port=self.config.port, print=None, access_log=None)


def _int(value: object, default: int) -> int:
    if not isinstance(value, (str, int, float)):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 10), 1000)


def _page(title: str, message: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
        + html.escape(title)
        + "</title><style>body{font-family:sans-serif;background:#0c181f;color:#f0f0f0;"
        "display:flex;align-items:center;justify-content:center;height:90vh}"
        "div{max-width:36em;line-height:1.5}</style></head><body><div><h1>"
        + html.escape(title)
        + "</h1><p>"
        + html.escape(message)
        + "</p></div></body></html>"
    )


# textual-serve's page (MIT, Textualize), without its web-font link (no request leaves for a
# font host) and its ping: the browser terminal and the "session ended" notice.
_APP_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css" />
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
body {{ background: #0c181f; margin: 0; }}
body .textual-terminal {{ opacity: 0; transition: opacity 0.3s ease-out; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
.closed-dialog {{ display: none; position: absolute; inset: 0; align-items: center; justify-content: center;
  color: #f0f0f0; font-family: "Roboto Mono", monospace; z-index: 10; }}
body.-closed .closed-dialog {{ display: flex; }}
</style>
</head>
<body>
<div class="closed-dialog"><p>Session ended. Reload the page to start a new one.</p></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws_url}" data-font-size="{font_size}"></div>
</body>
</html>
"""
