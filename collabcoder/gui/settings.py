"""The user's settings (coder name, recent projects, favourite codes, window layout).

Everything goes through one injected ``QSettings`` so tests can point it at a temporary file
and never touch the user's real settings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
FAVOURITE_KEYS = 9


class AppSettings:
    """Typed access to the few values CollabCoder remembers between sessions."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    # -- who is coding ----------------------------------------------------------------------------
    @property
    def coder(self) -> str:
        return str(self.store.value("coder", "") or "")

    @coder.setter
    def coder(self, name: str) -> None:
        self.store.setValue("coder", name.strip())

    # -- recent projects --------------------------------------------------------------------------
    def recent(self) -> list[str]:
        return _strings(self.store.value("recent", []))

    def add_recent(self, location: str) -> None:
        items = [location, *(r for r in self.recent() if r != location)]
        self.store.setValue("recent", items[:MAX_RECENT])

    # -- favourite codes (number keys 1-9), per project -------------------------------------------
    def favourites(self, project_key: str) -> list[int]:
        values = _strings(self.store.value(f"favourites/{_key(project_key)}", []))
        return [int(v) for v in values if v.lstrip("-").isdigit()]

    def set_favourites(self, project_key: str, code_ids: list[int]) -> None:
        self.store.setValue(f"favourites/{_key(project_key)}", [str(i) for i in code_ids])

    # -- window layout ----------------------------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self.store.value("window/geometry")
        state = self.store.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()


def _key(project_key: str) -> str:
    # QSettings treats "/" and "\\" in keys as groups; keep one flat key per project.
    return "".join(ch if ch.isalnum() else "_" for ch in project_key)


def _strings(value: object) -> list[str]:
    # QSettings hands back a bare string for a one-item list, and None for an empty one.
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []
