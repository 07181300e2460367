"""The reader application: its settings, theme and keys, the background work, and what goes wrong.

What is read and how lives in the reading screen (screens/reader.py)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from .. import paths
from ..config import Settings, load_settings
from ..search import IndexReport
from ..state.store import StateStore
from ..workspace import Workspace
from .background import BackgroundWork
from .commands import ScreenCommands
from .live_library import LiveLibrary
from .screens.compare import CompareScreen
from .screens.help import HelpScreen
from .screens.reader import ReaderScreen
from .themes import readable_variables
from .widgets.article import ArticleView
from .widgets.entities import EntitiesPanel
from .widgets.legend import EntityLegend
from .widgets.library import LibraryPane
from .widgets.notes import NotesPanel
from .widgets.selection_bar import SelectionBar

PROBLEMS_KEPT = 200


class ReaderApp(App[int]):
    CSS_PATH = "app.tcss"
    STATUS_SECONDS = 6.0  # how long a passing status message stays
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        *,
        workspace: Workspace,
        store: StateStore,
        settings: Settings,
        open_ref: str | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.library = workspace.library
        self.index = workspace.index
        self.store = store
        self.settings = settings
        self.open_ref = open_ref
        self._theme_in_state: str | None = None
        self.problems: list[str] = []  # every warning said in a toast this session, newest last
        self.live_library = LiveLibrary(self)
        self.background = BackgroundWork(self)

    def get_css_variables(self) -> dict[str, str]:
        # Every theme, with the few text colours that read poorly made readable (see themes.py).
        self.theme_variables = readable_variables(super().get_css_variables())
        return self.theme_variables

    def get_default_screen(self) -> ReaderScreen:
        return ReaderScreen(self.open_ref, self.STATUS_SECONDS)

    @property
    def reader(self) -> ReaderScreen:
        """The reading screen: the bottom of the stack (search, compare and help go over it)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
            self._warn_about_keys()
        theme = self.settings.theme
        if self.store.state.theme and self.store.state.theme_setting == self.settings.theme:
            theme = self.store.state.theme  # picked in the reader since settings.yaml last changed
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.problem(f"Unknown theme {theme!r} in settings; using the default.")
        self._theme_in_state = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for message in [*self.settings.problems, *self.store.messages, *self.library.settings.warnings]:
            self.problem(message)
        # Checking the index and loading the gazetteers hold the GIL for a while at 10,000
        # documents: start them once the library list is shown (or after a while regardless).
        self.set_timer(2.0, self.start_background_work)

    def problem(self, message: str, *, title: str = "", severity: SeverityLevel = "warning") -> None:
        """Said in a toast, and kept: the palette's "Problems" lists them all again."""
        self.problems.append(f"{title}: {message}" if title else message)
        del self.problems[:-PROBLEMS_KEPT]
        self.notify(message, title=title, severity=severity, markup=False, timeout=10)

    def show_problems(self) -> None:
        if not self.problems:
            self.notify("No problems since the reader started.", markup=False)
            return
        self.notify_listing("Problems", [f"• {p}" for p in self.problems[-12:]])

    def notify_listing(self, title: str, lines: list[str]) -> None:
        """A toast that stays a while: a list to read."""
        self.notify("\n".join(lines), title=title, markup=False, timeout=30)

    def _theme_changed(self, theme: Theme) -> None:
        self.call_after_refresh(self._redraw_legend)
        if theme.name != self._theme_in_state:  # picked by the user (the palette): remember it
            self._theme_in_state = theme.name
            self.store.state.theme, self.store.state.theme_setting = theme.name, self.settings.theme
            self.save_state()

    def _redraw_legend(self) -> None:
        if not self.closing_down():
            self.reader.query_one("#legend", EntityLegend).redraw()

    def _warn_about_keys(self) -> None:
        """Unknown binding ids and keys the settings give twice: a toast, and the status line until used."""
        from .keycheck import check_keymap

        problems = check_keymap(self.settings.keys)
        for problem in problems:
            self.problem(problem, title="Settings")
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            self.call_later(self._standing_status, f"settings: {problems[0]}{more}")

    def _standing_status(self, text: str) -> None:
        self.reader.status.standing = text
        self.reader.say("")

    def closing_down(self) -> bool:
        """True once the reading screen's widgets are gone: a late worker or timer callback must do nothing."""
        return not self.screen_stack or self.reader.closing_down()

    # ----------------------------------------------------------- background work
    def start_background_work(self) -> None:
        self.background.start()

    def index_done(self, report: IndexReport) -> None:
        self.background.index_done(report)

    def say_status(self, text: str, passing: bool = False) -> None:
        if not self.closing_down():
            self.reader.say(text, passing=passing)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.problem(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")
            if event.worker.group == "index":
                self.say_status("indexing failed; search may be out of date (run 'tuireader index' to see why)")

    def on_unmount(self) -> None:
        self.live_library.stop()  # its thread would keep the process from ending

    # ----------------------------------------------------------- state, help, quit
    def save_state(self, *, background: bool = False) -> None:
        """Take the position from the screen (here, on the UI thread) and write the file:
        at once, or in a thread (``background``: while reading, the fsync must not stall a key)."""
        if self.closing_down():
            return
        self._remember_state()
        if background:
            self.run_worker(self._write_state, thread=True, group="save-state", exit_on_error=False)
        else:
            self._write_state(in_thread=False)

    def _remember_state(self) -> None:
        self.reader.remember_position()
        self.store.state.library_sort = self.reader.library_pane.sort

    def _write_state(self, in_thread: bool = True) -> None:
        try:
            self.store.save()  # thread-safe: a lock, a file lock, an atomic rename
        except OSError as exc:
            message = f"Could not save the reading position: {exc.strerror or exc}"
            if in_thread:
                self.call_from_thread(self.problem, message)
            else:
                self.problem(message)

    def on_exit_app(self) -> None:
        # Every way out passes here before the screens go: q, and the "quit" a browser's closed
        # session sends (textual-serve's web driver posts ExitApp), which no key binding sees.
        # (On a real terminal the reading screen already counts as detached here, its widgets
        # still there: so not save_state's closing-down check, only that the widgets are.)
        if self.screen_stack and self.reader.query("#main"):
            # A page scroll still animating ends where it was going: that is where the reader is
            # (quit mid-animation used to save a place half a page short).
            self.animator.force_stop_animation(self.reader.pane.article, "scroll_y")
            self._remember_state()
            self._write_state(in_thread=False)

    async def action_quit(self) -> None:
        self.exit(0)

    def action_help(self) -> None:
        def keys(cls) -> list[Binding]:
            return [b for b in cls.BINDINGS if isinstance(b, Binding)]

        sections = [
            ("Reading", keys(ArticleView)),
            ("Footnotes panel", keys(NotesPanel)),
            ("Selecting a passage (v)", keys(SelectionBar)),
            ("Everywhere", keys(ReaderScreen) + keys(ReaderApp)),
            ("Library pane", keys(LibraryPane)),
            ("Entities list", keys(EntitiesPanel)),
            ("Compare", keys(CompareScreen)),
        ]
        self.push_screen(HelpScreen(sections, self.settings.keys))


def build_app(*, library_dir: Path, index_dir: str | Path | None = None, open_doc: str | None = None) -> ReaderApp:
    """The one factory for the CLI and the tests."""
    workspace = Workspace(library_dir, index_dir)
    store = StateStore(paths.state_file(), read_only=paths.state_read_only())
    settings = load_settings(paths.user_settings_file())
    return ReaderApp(workspace=workspace, store=store, settings=settings, open_ref=open_doc)
