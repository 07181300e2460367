"""Every place tuireader reads or writes, in one module.

Nothing is created at import: directories are made when something is first
written there.  Environment variables override each location (tests point
them at a temporary folder).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "tuireader"

ENV_LIBRARY = "TUIREADER_LIBRARY"
ENV_DATA_DIR = "TUIREADER_DATA_DIR"
ENV_CACHE_DIR = "TUIREADER_CACHE_DIR"
ENV_CONFIG_DIR = "TUIREADER_CONFIG_DIR"
ENV_INDEX_DIR = "TUIREADER_INDEX_DIR"
# Set by `tuireader serve` for a browser session without a user name: the shared reading
# positions and annotations are read, never written, so two such browsers cannot overwrite each other.
ENV_STATE_READ_ONLY = "TUIREADER_STATE_READ_ONLY"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """User state (reading positions, history) and the default library."""
    return _env_path(ENV_DATA_DIR) or Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Rebuildable things: the search index, the parse cache."""
    return _env_path(ENV_CACHE_DIR) or Path(platformdirs.user_cache_dir(APP_NAME))


def config_dir() -> Path:
    """User settings (keys, theme) and the user's own gazetteer."""
    return _env_path(ENV_CONFIG_DIR) or Path(platformdirs.user_config_dir(APP_NAME))


def default_library_dir() -> Path:
    return data_dir() / "library"


def resolve_library(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Path:
    """``--library DIR``, else ``$TUIREADER_LIBRARY``, else ``./library``, else the user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = _env_path(ENV_LIBRARY)
    if env is not None:
        return env.resolve()
    local = (cwd or Path.cwd()) / "library"
    if local.is_dir():
        return local.resolve()
    return default_library_dir()


def library_key(library: Path) -> str:
    """A short, stable folder name for per-library caches."""
    digest = hashlib.sha256(str(library.resolve()).encode("utf-8")).hexdigest()[:12]
    return f"{library.name or 'library'}-{digest}"


def index_dir(library: Path, explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = _env_path(ENV_INDEX_DIR)
    if env is not None:
        return env
    return cache_dir() / "index" / library_key(library)


def state_file() -> Path:
    return data_dir() / "state.json"


def state_read_only() -> bool:
    return os.environ.get(ENV_STATE_READ_ONLY, "") not in ("", "0")


def annotations_file() -> Path:
    """Highlights, notes, tags and bookmarks: the user's own work, so in the data folder."""
    return data_dir() / "annotations.sqlite"


def user_settings_file() -> Path:
    return config_dir() / "settings.yaml"


def user_gazetteer_file() -> Path:
    return config_dir() / "entities.yaml"
