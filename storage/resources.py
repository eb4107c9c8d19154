"""Folders of files shipped inside the packages (Alembic's migrations, the built-in profiles),
found through ``importlib.resources`` rather than ``__file__``: installed as a zipped egg (how
scrapyd runs a deployed project) they are not files on disk, and the tools that read them
(Alembic, the profile loader) need a folder."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def package_dir(package: str, *parts: str) -> Path:
    """The folder ``parts`` of ``package`` on disk: where it is; copied out of a zip once per
    process (and removed at exit) where it is not."""
    root = resources.files(package).joinpath(*parts)
    if isinstance(root, Path):
        return root
    return _extracted(package, parts)


@functools.cache
def _extracted(package: str, parts: tuple[str, ...]) -> Path:
    target = Path(tempfile.mkdtemp(prefix=f"{package}-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy(resources.files(package).joinpath(*parts), target)
    return target


def _copy(source: Traversable, target: Path) -> None:
    for child in source.iterdir():
        if child.is_dir():
            (target / child.name).mkdir()
            _copy(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())
