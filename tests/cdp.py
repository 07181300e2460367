"""A headless Chromium driven over the DevTools protocol, with aiohttp's websocket client.

Lighter than Playwright for what the serve test needs (open a page, run a script, press keys,
take a screenshot): no 40 MB driver package, and aiohttp is already there for the server.
Chromium is started as the machine notes say (no sandbox as root, no background networking:
the closed network refuses it), with a fresh profile.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,800",
]

# Every binary frame the page's terminal receives, decoded: what the reader drew, as text.
# (xterm.js draws on a canvas, so the text is not in the DOM.)
RECORD_TERMINAL = """
(() => {
  const Native = window.WebSocket;
  window.__terminal = "";
  window.__messages = [];  // the server's text frames: open_url, pong ...
  window.WebSocket = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const decoder = new TextDecoder();
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") window.__messages.push(event.data);
      else window.__terminal += decoder.decode(new Uint8Array(event.data), {stream: true});
    });
    window.__socket = socket;
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  // What the page hands the browser's clipboard (textual.js turns the reader's OSC 52 into
  // navigator.clipboard.writeText). Headless Chromium refuses clipboard reads to a page even
  // with the permission set over DevTools, so the test reads it here, on its way in.
  window.__clipboard = [];
  if (navigator.clipboard) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => { window.__clipboard.push(text); return write(text); };
  }
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""
_CONTROL = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>78]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

KEYS = {
    "enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27},
    "backspace": {"key": "Backspace", "code": "Backspace", "windowsVirtualKeyCode": 8},
    "down": {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "]": {"key": "]", "code": "BracketRight", "windowsVirtualKeyCode": 221, "text": "]"},
}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def terminal_text(raw: str) -> str:
    """The drawn text with escape sequences taken out (style changes inside a line leave it whole)."""
    return _CONTROL.sub("", raw)


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse, target_id: str = "") -> None:
        self.ws = ws
        self.target_id = target_id
        self._ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        await self.ws.send_json({"id": msg_id, "method": method, "params": params})
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == msg_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError(f"{method}: the page closed")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll ``expression`` until it is truthy (the app drawing takes a moment)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {expression}")
            await asyncio.sleep(0.1)

    async def text(self) -> str:
        return terminal_text(await self.evaluate("window.__terminal || ''"))

    async def wait_for_text(self, needle: str, timeout: float = 30.0, *, after: int = 0) -> str:
        """Wait until ``needle`` has been drawn (since character ``after`` of the drawn text)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            text = await self.text()
            if needle in text[after:]:
                return text
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {needle!r} on the page")
            await asyncio.sleep(0.1)

    async def wait_until_drawn(self, quiet: float = 0.15, timeout: float = 30.0) -> None:
        """Wait until the reader has sent nothing for ``quiet`` seconds, then until xterm.js has painted it
        (two animation frames): the screen is whole for a screenshot."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        size, since = -1, loop.time()
        while True:
            now_size = await self.evaluate("(window.__terminal || '').length")
            now = loop.time()
            if now_size != size:
                size, since = now_size, now
            elif now - since >= quiet:
                break
            if now > deadline:
                raise TimeoutError(f"the page was still drawing after {timeout:.0f} s")
            await asyncio.sleep(0.05)
        # (a tab in the background gets no frames: then a second is long enough for xterm.js's own timer)
        await self.evaluate(
            "new Promise(done => { requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
            " setTimeout(() => done(false), 1000); })"
        )

    async def press(self, *keys: str) -> None:
        """Keys as the browser sends them to the focused terminal: a name from KEYS, 'ctrl+x', or a character."""
        for key in keys:
            if key.startswith("ctrl+") and len(key) == 6:
                ch = key[-1]
                event = {
                    "key": ch,
                    "code": f"Key{ch.upper()}",
                    "windowsVirtualKeyCode": ord(ch.upper()),
                    "modifiers": 2,
                }
            elif key in KEYS:
                event = dict(KEYS[key])
            else:
                event = {"key": key, "text": key}
            await self.send("Input.dispatchKeyEvent", type="keyDown", **event)
            event.pop("text", None)
            await self.send("Input.dispatchKeyEvent", type="keyUp", **event)

    async def type(self, text: str) -> None:
        await self.send("Input.insertText", text=text)

    async def screenshot(self, path: Path) -> Path:
        data = await self.send("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path


class Browser:
    """``async with Browser() as browser: page = await browser.open(url)``."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        # chromium's helpers may still be writing the profile as it goes: never fail on its removal
        self.profile = tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True)
        self.process: subprocess.Popen | None = None
        self.http: aiohttp.ClientSession | None = None
        self.endpoint = ""
        self._pages: list[aiohttp.ClientWebSocketResponse] = []

    async def __aenter__(self) -> Browser:
        self.process = subprocess.Popen(
            [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its renderer and helper processes end with it (killpg below)
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        assert self.process.stderr is not None
        while True:
            line = await loop.run_in_executor(None, self.process.stderr.readline)
            found = re.search(r"DevTools listening on (ws://[^/]+)", line)
            if found:
                self.endpoint = found.group(1).replace("ws://", "http://")
                break
            if not line or loop.time() > deadline:
                raise RuntimeError("chromium did not start its DevTools endpoint")
        # Keep reading its stderr, or a full pipe would stall it.
        loop.run_in_executor(None, self.process.stderr.read)
        self.http = aiohttp.ClientSession()
        return self

    async def open(self, url: str, *, record: bool = True) -> Page:
        assert self.http is not None
        async with self.http.put(f"{self.endpoint}/json/new?about:blank") as response:
            target = await response.json(content_type=None)
        ws = await self.http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        self._pages.append(ws)
        page = Page(ws, target["id"])
        await page.send("Page.enable")
        if record:
            await page.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_TERMINAL)
        await page.send("Page.navigate", url=url)
        return page

    async def close(self, page: Page) -> None:
        """Close the tab, as a person does: its websocket to the server goes with it."""
        assert self.http is not None
        async with self.http.get(f"{self.endpoint}/json/close/{page.target_id}") as response:
            await response.read()

    async def wait_for_tab(self, fragment: str, timeout: float = 15.0) -> str:
        """The address of a tab whose address holds ``fragment`` (one the page opened), once there is one."""
        assert self.http is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            async with self.http.get(f"{self.endpoint}/json/list") as response:
                targets = await response.json(content_type=None)
            for target in targets:
                if fragment in target.get("url", ""):
                    return target["url"]
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"no tab opened with {fragment!r}: {[t.get('url') for t in targets]}")
            await asyncio.sleep(0.2)

    async def __aexit__(self, *exc: object) -> None:
        for ws in self._pages:
            await ws.close()
        if self.http is not None:
            await self.http.close()
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        self.profile.cleanup()
