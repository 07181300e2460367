"""`tuireader serve`: the token, per-user state, the session cap, app processes ended for sure,
and the reader in a real browser (Debian's chromium over the DevTools protocol)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp", reason="the serve extra (aiohttp, textual-serve) is not installed")
pytest.importorskip("textual_serve", reason="the serve extra (textual-serve) is not installed")

from aiohttp import web  # noqa: E402

from tuireader import paths  # noqa: E402
from tuireader.annotations import AnnotationStore  # noqa: E402
from tuireader.cli import main  # noqa: E402
from tuireader.serve import ReaderServer, ServeConfig, is_loopback  # noqa: E402

from .cdp import Browser, chromium  # noqa: E402
from .conftest import LIBRARY, ROOT  # noqa: E402

ARTEFACTS = ROOT / "tmp" / "artefacts"
TOKEN = "right-token-123"

# A stand-in app: says it is a Textual app, records its environment, and will not quit —
# it ignores the quit message, SIGTERM and SIGINT, and leaves a child in its group.
STUBBORN_APP = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
    with open(sys.argv[1], "a") as fh:
        fh.write(f"{os.getpid()} {child.pid} {os.environ.get('TUIREADER_DATA_DIR')} {os.environ.get('TUIREADER_STATE_READ_ONLY')}\\n")
    sys.stdout.write("__GANGLION__\\n"); sys.stdout.flush()
    while True:
        time.sleep(1)
    """
)


class Running:
    """A ReaderServer on a free loopback port, for one test."""

    def __init__(self, config: ServeConfig) -> None:
        self.server = ReaderServer(config)
        self.runner: web.AppRunner | None = None
        self.base = ""

    async def __aenter__(self) -> Running:
        self.runner = web.AppRunner(self.server.make_app(), access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.server.config.port = port
        self.base = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


def stub_config(tmp_path: Path, **kw) -> ServeConfig:
    log = tmp_path / "apps.log"
    log.touch()
    return ServeConfig(
        library=LIBRARY,
        token=TOKEN,
        command=[sys.executable, "-c", STUBBORN_APP, str(log)],
        quit_timeout=0.3,
        term_timeout=0.3,
        **kw,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by a parent that is not us) is gone for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def started_apps(log: Path, count: int, timeout: float = 20) -> list[list[str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [ln.split() for ln in log.read_text().splitlines()]
        if len(lines) >= count:
            return lines
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{count} app process(es) did not start")


def test_loopback_hosts():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("::")


async def test_the_token_is_required_on_the_page_and_on_the_websocket(tmp_path):
    async with Running(stub_config(tmp_path)) as running, aiohttp.ClientSession() as http:
        for url in ("/", "/?token=wrong-token-000", f"/?token={TOKEN}x"):
            async with http.get(running.base + url) as response:
                assert response.status == 403
                assert "Access token required" in await response.text()
        async with http.get(f"{running.base}/?token={TOKEN}&user=alice") as response:
            assert response.status == 200
            page = await response.text()
            assert f"/ws/{TOKEN}/alice" in page and "fonts.googleapis" not in page
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(running.base + "/ws/wrong-token-000/-")
        assert refused.value.status == 403
        async with http.get(f"{running.base}/?token={TOKEN}&user=../etc") as response:
            assert response.status == 400
        assert not running.server.sessions  # nothing was started for any of these


async def test_a_dropped_browser_ends_its_app_process_group_even_when_it_ignores_sigterm(tmp_path):
    config = stub_config(tmp_path)
    log = Path(config.command[-1])
    async with Running(config) as running, aiohttp.ClientSession() as http:
        ws = await http.ws_connect(f"{running.base.replace('http', 'ws')}/ws/{TOKEN}/-?width=80&height=24")
        ((pid, child, *_),) = await started_apps(log, 1)
        pid, child = int(pid), int(child)
        assert alive(pid) and alive(child) and os.getpgid(child) == pid  # the app leads its own group
        # The browser vanishes: no close frame, the connection just drops.
        ws._response.connection.transport.abort()
        started = time.monotonic()
        while (alive(pid) or alive(child)) and time.monotonic() - started < 10:
            await asyncio.sleep(0.05)
        took = time.monotonic() - started
        assert not alive(pid) and not alive(child)
        # quit (0.3 s), SIGTERM (0.3 s), then SIGKILL: well under two seconds here
        assert took < 3, took
        while running.server.sessions and time.monotonic() - started < 10:
            await asyncio.sleep(0.05)
        assert not running.server.sessions


async def test_session_cap_and_per_user_state_folders(tmp_path, isolated_user_dirs):
    config = stub_config(tmp_path, max_sessions=2)
    log = Path(config.command[-1])
    async with Running(config) as running, aiohttp.ClientSession() as http:
        ws_base = running.base.replace("http", "ws")
        first = await http.ws_connect(f"{ws_base}/ws/{TOKEN}/alice")
        second = await http.ws_connect(f"{ws_base}/ws/{TOKEN}/-")
        apps = await started_apps(log, 2)
        async with http.get(f"{running.base}/?token={TOKEN}") as response:
            assert response.status == 503
            assert "All reader sessions are in use" in await response.text()
            assert "at most 2 reader sessions" in await response.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{ws_base}/ws/{TOKEN}/carol")
        assert refused.value.status == 503
        by_dir = {data_dir: read_only for _pid, _child, data_dir, read_only in apps}
        assert by_dir[str(paths.data_dir() / "serve-users" / "alice")] == "None"  # its own folder, written
        assert by_dir[str(paths.data_dir())] == "1"  # the shared state, read only
        await first.close()
        deadline = time.monotonic() + 10
        while len(running.server.sessions) > 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        async with http.get(f"{running.base}/?token={TOKEN}") as response:
            assert response.status == 200  # a closed tab freed its place
        await second.close()


def test_serve_warns_on_every_interface_and_fails_in_one_line_on_a_busy_port(tmp_path, capsys):
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(
            [
                "serve",
                "--library",
                str(LIBRARY),
                "--index-dir",
                str(tmp_path / "ix"),
                "--host",
                "0.0.0.0",
                "--port",
                str(port),
            ]
        )
    err = capsys.readouterr()
    assert code == 1
    assert "warning: listening on 0.0.0.0: anyone on the network who has the token can read the library" in err.err
    assert f"cannot listen on 0.0.0.0:{port}" in err.err
    assert "?token=" in err.out  # the generated token was printed with the address
    assert main(["serve", "--library", str(LIBRARY), "--token", "short"]) == 2


# ------------------------------------------------------------------ a real browser
ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
LAST_LINE = "Contributors: Ezgi Yazici and Fatih Cungurlu"  # the report's last line of text
NOTE_2 = "CSTO declined"  # the start of the ISW report's note 2: "The CSTO declined Kyrgyzstan's request ..."
ISW_TITLE = "Kazakhstan Crisis Exposes"


async def focus(page) -> None:
    await page.send("Page.bringToFront")
    await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")


async def open_isw(page) -> None:
    await page.wait_for_text(ISW_TITLE[:20], timeout=60)  # the library pane drew
    await focus(page)
    await page.press("ctrl+p")
    await page.wait_for_text("Search the library")
    mark = len(await page.text())
    await page.type("Open: Kazakhstan Crisis")
    # the palette searches as it is typed: enter once its hit is drawn (the input holds no more than was typed)
    await page.wait_for_text(f"Open: {ISW_TITLE}", after=mark)
    await page.press("enter")
    await page.wait_for_text("Rapid developments in Kazakhstan")


def library_state(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium): no browser test")
@pytest.mark.long
async def test_the_reader_in_a_real_browser(tmp_path, isolated_user_dirs):
    library = tmp_path / "library"
    shutil.copytree(LIBRARY, library)
    before = library_state(library)
    index_dir = tmp_path / "index"
    assert main(["index", "--library", str(library), "--index-dir", str(index_dir)]) == 0
    config = ServeConfig(library=library, token=TOKEN, index_dir=index_dir, quit_timeout=2, term_timeout=1)
    async with Running(config) as running, Browser(chromium()) as browser:
        refused = await browser.open(f"{running.base}/?token=not-the-token", record=False)
        assert "Access token required" in await refused.wait_for("document.body && document.body.innerText")

        page = await browser.open(f"{running.base}/?token={TOKEN}&user=ann")
        await open_isw(page)
        mark = len(await page.text())
        await page.press("]", "]", "enter")  # to note 2: the notes panel takes the keys
        await page.wait_for_text("Back to text", after=mark)  # its footer
        assert NOTE_2 in await page.text()
        mark = len(await page.text())
        await page.press("r")  # back to the marker citing it: the article's footer again
        await page.wait_for_text("Notes", after=mark)
        await page.wait_until_drawn()
        shot = await page.screenshot(ARTEFACTS / "serve-isw-note-2.png")
        assert shot.stat().st_size > 20_000  # a drawn screen, not a blank page

        # A second browser session, in parallel: its own reader, its own position.
        other = await browser.open(f"{running.base}/?token={TOKEN}")
        await other.wait_for_text(ISW_TITLE[:20], timeout=60)
        await other.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        await other.press("ctrl+p")
        await other.wait_for_text("Search the library")
        mark = len(await other.text())
        await other.type("Open: The Turkic military")
        await other.wait_for_text("Open: The Turkic military alliance", after=mark)
        await other.press("enter")
        await other.wait_for_text("litmus test")  # the NEO article's first paragraph
        await other.wait_until_drawn()
        await other.screenshot(ARTEFACTS / "serve-second-session-neo.png")
        assert NOTE_2 not in await other.text()
        assert len(running.server.sessions) == 2
        assert len({s.pid for s in running.server.sessions}) == 2
        # The first session is still on the ISW report: its next marker is note 3.
        mark = len(await page.text())
        await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        await page.press("]", "enter")
        await page.wait_for_text("Back to text", after=mark)  # at note 3 of the ISW report, drawn now
        await page.screenshot(ARTEFACTS / "serve-first-session-note-3.png")
        # A link opens in the browser (a new tab), not on the server.
        mark = len(await page.text())
        await page.press("o")
        await page.wait_for_text("open link 1", after=mark)  # note 3 has two links: which one?
        await page.press("1")
        await page.wait_for("window.__messages.some(m => m.includes('open_url'))")
        opened = await browser.wait_for_tab("twitter.com/tcbestepe")
        assert opened.startswith("https://twitter.com/tcbestepe/status/")

        # y: the quote with its citation reaches the browser's clipboard (the reader writes OSC 52,
        # textual.js's clipboard addon hands it to navigator.clipboard.writeText).
        await focus(page)
        mark = len(await page.text())
        await page.press("r")  # from note 3 back to the text
        await page.wait_for_text("Notes", after=mark)
        mark = len(await page.text())
        await page.press("v", "}", "y")
        await page.wait_for_text("Copied the quote", after=mark)
        copied = await page.wait_for("window.__clipboard[window.__clipboard.length - 1]")
        assert copied.startswith("> ") and "— Ezgi Yazici, Fatih Cungurlu, “Kazakhstan Crisis" in copied
        # Annotations are per user: ann highlights; the session without a name may not.
        mark = len(await page.text())
        await page.press("v", "h")
        await page.wait_for_text("Highlighted", after=mark)
        await focus(other)
        mark = len(await other.text())
        await other.press("v", "h")
        await other.wait_for_text("read-only", after=mark)
        bob = await browser.open(f"{running.base}/?token={TOKEN}&user=bob")
        await open_isw(bob)
        mark = len(await bob.text())
        await bob.press("j", "j", "v", "w", "h")
        await bob.wait_for_text("Highlighted", after=mark)
        await focus(page)
        mark = len(await page.text())
        await page.press("A")  # ann's panel lists hers alone, not bob's
        await page.wait_for_text("1 of 1", after=mark)
        await page.press("escape")
        # The position kept when the tab is closed right after a move (no time for a timed save).
        mark = len(await page.text())
        await page.press("G")
        await page.wait_for_text(LAST_LINE, after=mark)
        await browser.close(page)
        deadline = time.monotonic() + 15
        while len(running.server.sessions) > 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        ann_state = json.loads((paths.data_dir() / "serve-users" / "ann" / "state.json").read_text())
        # G showed the last screen: its first line is within a screenful above the last line (offset 15,773)
        assert ann_state["last_doc"] == ISW_ID and 15_773 - 3_000 < ann_state["positions"][ISW_ID] < 15_773
        again = await browser.open(f"{running.base}/?token={TOKEN}&user=ann")
        await again.wait_for_text(LAST_LINE, timeout=60)  # reopened at the end of the report
        assert "Rapid developments in Kazakhstan" not in await again.text()  # not at its top
        await again.wait_until_drawn()
        await again.screenshot(ARTEFACTS / "serve-ann-reopened-at-the-end.png")
    deadline = time.monotonic() + 15
    while running.server.sessions and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not running.server.sessions
    assert library_state(library) == before  # the library folder was never written
    assert not (paths.data_dir() / "state.json").exists()  # the session without a name wrote nothing
    assert (paths.data_dir() / "serve-users" / "ann" / "state.json").exists()  # ann's positions, in her folder
    assert not (paths.data_dir() / "annotations.sqlite").exists()  # nothing in the shared store
    [ann_highlight] = AnnotationStore(paths.data_dir() / "serve-users" / "ann" / "annotations.sqlite").all()
    [bob_highlight] = AnnotationStore(paths.data_dir() / "serve-users" / "bob" / "annotations.sqlite").all()
    assert ann_highlight.quote.exact != bob_highlight.quote.exact


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "tuireader.serve", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "textual_serve.app_service", None)
    assert main(["serve", "--library", str(LIBRARY)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err
        == "tuireader: tuireader serve needs the serve extra (textual_serve is missing): pip install 'tuireader[serve]'"
    )
