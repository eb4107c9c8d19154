"""Every setting's default lives in newscrawler/settings.py, and docs/settings.md says the same.

Components read settings without defaults of their own (the Scrapy way), so a default changed in
newscrawler/settings.py changes everywhere, and the documented defaults are checked against it.
"""

from __future__ import annotations

import ast
import re
import runpy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import default_settings

REPO = Path(__file__).resolve().parents[1]
SETTINGS_PY = REPO / "newscrawler" / "settings.py"
SETTINGS_MD = REPO / "docs" / "settings.md"
#: The project's own settings, as opposed to Scrapy settings it gives other values.
PROJECT_PREFIXES = ("NEWSCRAWLER_", "ARCHIVE_")
#: Where components read settings.
SOURCE_DIRS = ("newscrawler", "spiders", "pipelines")
GETTERS = frozenset({"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist"})

_CODE = re.compile(r"`([^`]*)`")
_ENV_DEFAULT = re.compile(r"^`\$(\w+)`, else `([^`]*)`")
_SIZE = re.compile(r"^(\d+) (KiB|MiB|GiB)$")
_UNITS = {"KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


@dataclass(frozen=True)
class DocumentedSetting:
    name: str
    #: The documented default as written, and the environment variable read before it, if any.
    default: str
    env: str | None
    #: Scrapy's own default where the table gives one as a value, else None.
    scrapy_default: str | None


# -- newscrawler/settings.py ----------------------------------------------------------------------


def environment_defaults() -> dict[str, str]:
    """Setting name -> the environment variable its default is read from (``os.environ.get``)."""
    found = {}
    for node in ast.parse(SETTINGS_PY.read_text()).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        value = node.value
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Call)
            and ast.unparse(value.func) == "os.environ.get"
            and isinstance(value.args[0], ast.Constant)
        ):
            found[target.id] = str(value.args[0].value)
    return found


@pytest.fixture
def settings_module(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The values of newscrawler/settings.py with none of the environment variables it reads."""
    for variable in environment_defaults().values():
        monkeypatch.delenv(variable, raising=False)
    values = runpy.run_path(str(SETTINGS_PY))
    return {name: value for name, value in values.items() if name.isupper()}


def as_documented(value: Any) -> str:
    """A setting's value the way docs/settings.md writes defaults."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return value or '""'
    if isinstance(value, list | tuple):
        return ",".join(str(part) for part in value) or "[]"
    raise TypeError(f"no documented form for {value!r}")


# -- docs/settings.md -----------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _value(cell: str) -> str | None:
    """The value a table cell gives: its first code span, or a size such as ``8 MiB``."""
    size = _SIZE.match(cell)
    if size:
        return str(int(size[1]) * _UNITS[size[2]])
    code = _CODE.search(cell)
    return code[1] if code else None


def documented_settings() -> Iterator[DocumentedSetting]:
    """The rows of every table in docs/settings.md whose first column names a setting."""
    header: list[str] | None = None
    for line in SETTINGS_MD.read_text().splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if header[0] != "setting" or set("".join(cells)) <= set("-: "):
            continue
        row = dict(zip(header, cells, strict=True))
        name = _value(row["setting"])
        assert name, f"a settings row without a setting name: {line}"
        default = row.get("default") or row["project default"]
        env = _ENV_DEFAULT.match(default)
        documented = env[2] if env else _value(default)
        assert documented is not None, f"{name}: no default in {default!r}"
        scrapy = row.get("scrapy default")
        yield DocumentedSetting(
            name,
            default=documented,
            env=env[1] if env else None,
            scrapy_default=_value(scrapy) if scrapy else None,
        )


def resolved(documented: str, values: dict[str, Any]) -> str:
    """``$NAME`` in a documented default stands for the default of setting NAME."""
    return re.sub(r"\$(\w+)", lambda name: str(values[name[1]]), documented)


# -- the tests ------------------------------------------------------------------------------------


def test_every_project_setting_is_documented(settings_module: dict[str, Any]) -> None:
    documented = {setting.name for setting in documented_settings()}
    project = {name for name in settings_module if name.startswith(PROJECT_PREFIXES)}
    assert sorted(project - documented) == []


def test_every_documented_setting_is_the_projects(settings_module: dict[str, Any]) -> None:
    documented = [setting.name for setting in documented_settings()]
    assert len(documented) == len(set(documented)), "a setting documented twice"
    assert sorted(set(documented) - set(settings_module)) == []


def test_documented_defaults_are_the_settings_modules(settings_module: dict[str, Any]) -> None:
    wrong = []
    for setting in documented_settings():
        actual = as_documented(settings_module[setting.name])
        if resolved(setting.default, settings_module) != actual:
            wrong.append(f"{setting.name}: docs say {setting.default!r}, settings.py {actual!r}")
    assert wrong == []
    read_from = {setting.name: setting.env for setting in documented_settings() if setting.env}
    assert read_from == environment_defaults()


def test_documented_scrapy_defaults_are_scrapys() -> None:
    wrong = [
        setting.name
        for setting in documented_settings()
        if setting.scrapy_default is not None
        and setting.scrapy_default != as_documented(getattr(default_settings, setting.name))
    ]
    assert wrong == []


# -- no defaults but the settings module's ---------------------------------------------------------


def _is_settings(node: ast.expr) -> bool:
    """``settings``, ``crawler.settings``, ``project_settings(args)`` and the like."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "settings" in name.lower()


def getter_defaults(source: str, filename: str = "<source>") -> list[str]:
    """Calls such as ``settings.getint("NAME", 200)``: a getter of settings given a default."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in GETTERS
            and _is_settings(node.func.value)
            and (len(node.args) > 1 or any(kw.arg == "default" for kw in node.keywords))
        ):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_getter_check_finds_a_default() -> None:
    source = (
        'size = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 200)\n'
        'mode = settings.get("NEWSCRAWLER_PROGRESS", default="auto")\n'
        'url = project_settings(args).get("ARCHIVE_URL")\n'
        'home = os.environ.get("HOME", "/")\n'
    )
    assert len(getter_defaults(source)) == 2


def test_settings_are_read_without_defaults_of_their_own() -> None:
    found = [
        call
        for directory in SOURCE_DIRS
        for path in sorted((REPO / directory).rglob("*.py"))
        for call in getter_defaults(path.read_text(), str(path.relative_to(REPO)))
    ]
    assert found == []
