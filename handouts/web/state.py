"""What the app keeps while it runs: the clinic folder, the loaded library and one renderer.

The clinic, its stretch library and its condition catalogue are loaded again only when a
file they come from changes (a therapist may edit clinic.toml while the app runs); the one
:class:`~handouts.renderer.Renderer` is shared by every request (it is safe for threads and
keeps no client's words between handouts).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ..models import Clinic, Condition, Stretch
from ..renderer import Renderer


@dataclass(frozen=True)
class Loaded:
    """The clinic with its stretches and conditions, as the CLI loads them."""

    clinic: Clinic
    library: dict[str, Stretch]
    catalogue: dict[str, Condition]


class Workspace:
    """The clinic the app serves (``--clinic``) and what is loaded from it."""

    def __init__(self, clinic_file: Path | None):
        self.clinic_file = clinic_file
        self.folder = clinic_file.parent if clinic_file is not None else Path.cwd()
        self.renderer = Renderer()
        self._lock = threading.Lock()
        self._stamp: tuple[object, ...] | None = None
        self._loaded: dict[str, Loaded] = {}  # per language code ("" is the clinic's own)

    def _watched(self) -> tuple[object, ...]:
        """Sizes and times of clinic.toml and every file in the clinic's templates/ and
        images/ folders (a change to any of them loads the clinic again)."""
        marks: list[object] = []
        paths: list[Path] = []
        if self.clinic_file is not None:
            base = self.clinic_file.parent
            paths.append(self.clinic_file)
            for folder in (base / "templates", base / "images"):
                paths.append(folder)
                for root, dirs, files in os.walk(folder):
                    dirs.sort()
                    paths += [Path(root) / d for d in dirs]
                    paths += [Path(root) / name for name in sorted(files)]
        for path in paths:
            try:
                info = os.stat(path)
                marks.append((str(path), info.st_mtime_ns, info.st_size))
            except OSError:
                marks.append((str(path), None))
        return tuple(marks)

    def load(self, language: str | None = None, where: str = "language") -> Loaded:
        """The clinic, library and catalogue, with their words in ``language`` (a code;
        None: the clinic's default_language). HandoutError with the CLI's line if bad; an
        unknown code names ``where`` and lists the languages there are."""
        from ..build import check_defaults
        from ..content import load_clinic, load_conditions, load_library
        from ..language import check_code

        stamp = self._watched()
        with self._lock:
            if stamp != self._stamp:
                self._loaded = {}
                self._stamp = stamp
            base = self._loaded.get("")
            if base is None:
                clinic = load_clinic(self.clinic_file)
                library = load_library(clinic.folder, clinic.default_language)
                check_defaults(clinic, library)
                base = Loaded(clinic, library,
                              load_conditions(clinic.folder, clinic.default_language))
                self._loaded[""] = self._loaded[clinic.default_language] = base
            if not language:
                return base
            code = language.strip().lower()
            found = self._loaded.get(code)
            if found is None:
                code = check_code(code, base.clinic.folder, where)
                found = self._loaded.get(code) or Loaded(
                    base.clinic, load_library(base.clinic.folder, code),
                    load_conditions(base.clinic.folder, code))
                self._loaded[code] = found
            return found

    def languages(self) -> list[dict[str, object]]:
        """The languages there are (built-in and the clinic's own): code, name and whether
        its words are still a draft (not yet checked by a qualified translator)."""
        from ..errors import HandoutError
        from ..language import available, load_language

        folder = self.load().clinic.folder
        found: list[dict[str, object]] = []
        for code in available(folder):
            try:
                words = load_language(code, folder)
            except HandoutError:  # choosing it shows the language's own one-line error
                found.append({"code": code, "name": code, "draft": True})
                continue
            # the first folder's status wins: a clinic's reviewer vouches for the language
            status = next(iter(words.folder_review.values()))
            found.append({"code": code, "name": words.name, "draft": status.draft})
        return found

    def forget(self) -> None:
        """Load again on the next request (after the app itself wrote clinic.toml)."""
        with self._lock:
            self._loaded = {}
