"""Where the built-in templates, stretch definitions, images and samples live.

In a wheel they are package data (``handouts/templates``, ``handouts/images``); in a source
checkout or an editable install they are the top-level ``templates/`` and ``images/`` folders.
A clinic folder mirrors the same layout and is searched first. A file found in the clinic
folder must really be there: a link to a file outside it is refused (a shared clinic folder
could otherwise print any file the user can read, e.g. a template linked to ~/.ssh/config).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

PACKAGE_DIR = Path(__file__).resolve().parent
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


def _builtin(name: str) -> Path:
    """Return the built-in folder ``name`` (package data first, then the source tree)."""
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


BUILTIN_TEMPLATES = _builtin("templates")
BUILTIN_IMAGES = _builtin("images")
SAMPLES = PACKAGE_DIR / "samples"


@dataclass(frozen=True)
class SearchPath:
    """An ordered list of folders; the first one holding a relative path wins. Files under
    ``root`` (the clinic folder) must resolve inside it: see :meth:`checked`."""

    folders: tuple[Path, ...]
    root: Path | None = None

    def checked(self, path: Path) -> Path:
        """``path``, unless it lies in the clinic folder but is (or passes through) a link to
        a place outside it: then InputError naming the file."""
        if self.root is None or not path.is_relative_to(self.root):
            return path  # a built-in file
        root = self.root.resolve()
        try:
            inside = path.resolve(strict=True).is_relative_to(root)
        except (OSError, RuntimeError):  # a broken or looping link
            inside = False
        if not inside:
            raise InputError(f"{path}: this is a link to a file outside the clinic folder "
                             f"{self.root}; copy the file into the clinic folder instead.")
        return path

    def find(self, relative: str) -> Path | None:
        """Return the first existing ``folder/relative``, or None."""
        for folder in self.folders:
            candidate = folder / relative
            if candidate.is_file():
                return self.checked(candidate)
        return None

    def names(self, subfolder: str, suffix: str) -> dict[str, Path]:
        """Map file stems to paths for every ``subfolder/*suffix``; earlier folders win."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            directory = folder / subfolder
            if directory.is_dir():
                for path in sorted(directory.glob(f"*{suffix}")):
                    found[path.name[: -len(suffix)]] = self.checked(path)
        return found

    def find_image(self, name: str) -> Path | None:
        """Return the first image called ``name`` with any supported suffix, clinic first."""
        for folder in self.folders:
            for suffix in IMAGE_SUFFIXES:
                candidate = folder / f"{name}{suffix}"
                if candidate.is_file():
                    return self.checked(candidate)
        return None


def template_path(clinic_folder: Path | None) -> SearchPath:
    """The template search path: the clinic's ``templates/`` before the built-in one."""
    folders = [BUILTIN_TEMPLATES]
    if clinic_folder is not None:
        folders.insert(0, clinic_folder / "templates")
    return SearchPath(tuple(folders), clinic_folder)


def image_path(clinic_folder: Path | None) -> SearchPath:
    """The image search path: the clinic's ``images/`` before the built-in one."""
    folders = [BUILTIN_IMAGES]
    if clinic_folder is not None:
        folders.insert(0, clinic_folder / "images")
    return SearchPath(tuple(folders), clinic_folder)
