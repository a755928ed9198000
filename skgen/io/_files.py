"""Paths in: files, directories and glob patterns; bad files raised or skipped."""

import glob
import os
import warnings
from pathlib import Path

# Files a directory may hold beside its records, never read as records:
# hidden files, StationXML (give it as ``inventory``), notes.
_NOT_RECORDS = {".xml", ".txt", ".md", ".rst", ".json", ".csv", ".html", ".png", ".pdf"}
_GLOB_CHARACTERS = set("*?[")


class SkippedFilesWarning(UserWarning):
    """Files left out by ``on_error="skip"``; the message lists each and why."""


def check_file(path):
    """Raise unless ``path`` is a path to an existing file."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}.")
    if not Path(path).is_file():
        raise FileNotFoundError(f"No such file (or not a file): {os.fspath(path)!r}")


def _directory_files(folder):
    """Every record file under ``folder``, recursively, in sorted order."""
    files = []
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() not in _NOT_RECORDS:
            files.append(path)
    return files


def expand_paths(paths):
    """Files named by ``paths``: files, directories (recursive) and globs.

    A directory stands for every file under it except hidden files and
    StationXML, text and image files. A pattern with ``*``, ``?`` or ``[``
    that is not itself an existing file is a glob (``**`` recursive). Each
    file appears once, in the order first named.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        paths = list(paths)
    except TypeError:
        raise TypeError("paths must be a path or a sequence of paths (str or path-like).") from None
    if not paths:
        raise ValueError("paths is empty.")
    files = []
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                "paths must be a path or a sequence of paths (str or path-like), "
                f"got a {type(path).__name__}."
            )
        text = os.fspath(path)
        if Path(text).is_dir():
            found = _directory_files(text)
            if not found:
                raise FileNotFoundError(f"No record files in directory {text!r}")
        elif _GLOB_CHARACTERS & set(text) and not Path(text).exists():
            found = [Path(p) for p in sorted(glob.glob(text, recursive=True)) if Path(p).is_file()]
            if not found:
                raise FileNotFoundError(f"No file matches {text!r}")
        else:
            check_file(text)
            found = [Path(text)]
        files.extend(found)
    unique = {}
    for path in files:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


class FileErrors:
    """What to do with a file that cannot be read: raise, or skip and tell."""

    def __init__(self, on_error):
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', got {on_error!r}.")
        self.on_error = on_error
        self.skipped = []  # (files, reason)

    def __call__(self, files, error):
        """Raise ``error`` or remember that ``files`` were skipped because of it."""
        if self.on_error == "raise":
            raise error
        files = [str(f) for f in files]
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        # Messages start with the file they are about; the listing names it.
        prefix = f"{', '.join(files)}: "
        self.skipped.append((files, reason[len(prefix) :] if reason.startswith(prefix) else reason))

    def warn(self):
        """One warning listing every skipped file and why."""
        if self.skipped:
            lines = [f"  {', '.join(files)}: {reason}" for files, reason in self.skipped]
            count = sum(len(files) for files, _ in self.skipped)
            warnings.warn(
                f"skipped {count} file(s) that could not be read:\n" + "\n".join(lines),
                SkippedFilesWarning,
                stacklevel=3,
            )
