"""Reading profiles from TOML: every key checked, every problem named with file and key."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast, get_args
from urllib.parse import urlsplit

from newscrawler.profiles.model import (
    BodyRule,
    Discovery,
    ExtraRule,
    ExtraType,
    FieldRule,
    Fields,
    IdRange,
    Listing,
    Profile,
    TitleFromFirstParagraph,
)
from newscrawler.profiles.selectors import compiled
from storage.resources import package_dir

#: The built-in profiles, on disk even when the project runs from a zipped egg (scrapyd).
BUILTIN_DIR = package_dir("newscrawler.profiles", "builtin")
#: The environment variable naming the operator's profiles folder.
PROFILES_DIR_ENV = "NEWSCRAWLER_PROFILES_DIR"
DEFAULT_USER_DIR = "profiles"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: Field rules under ``[fields]`` besides ``body`` and ``extras``.
_TEXT_FIELDS = ("title", "published", "modified", "authors", "images")
_T = TypeVar("_T")


class ProfileError(ValueError):
    """A profile that cannot be used: ``path``, ``key`` and ``problem`` say where and why."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"{path}: {key or '(top level)'}: {problem}")


# -- public API ---------------------------------------------------------------------------------


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """The profile in the TOML file at ``path`` (``extends`` resolved), validated."""
    path = Path(path)
    return _build(_read_with_parents(path, seen=()), str(path))


def find_profile(name_or_path: str, *, user_dir: str | os.PathLike[str] | None = None) -> Profile:
    """A profile by file path (``*.toml``) or by name: the user folder first, then built-ins."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path:
        return load_profile(name_or_path)
    path = _profile_path(name_or_path, user_dir)
    if path is None:
        known = ", ".join(sorted(p.name for p in list_profiles(user_dir))) or "none"
        raise ProfileError(name_or_path, "", f"no such profile (known: {known})")
    return load_profile(path)


def list_profiles(user_dir: str | os.PathLike[str] | None = None) -> list[Profile]:
    """Built-in profiles and the user's, sorted by name; a user profile hides a built-in one
    of the same file name. One that cannot be read is left out: ``scan_profiles`` says why."""
    return scan_profiles(user_dir)[0]


def scan_profiles(
    user_dir: str | os.PathLike[str] | None = None,
) -> tuple[list[Profile], list[ProfileError]]:
    """The profiles ``list_profiles`` gives, and the problem of each file that is no profile:
    one broken file must not keep the crawler from every other site."""
    files = {path.stem: path for folder in _search_dirs(user_dir)[::-1] for path in _tomls(folder)}
    usable, broken = [], []
    for path in files.values():
        try:
            usable.append(load_profile(path))
        except ProfileError as error:
            broken.append(error)
    return sorted(usable, key=lambda p: p.name), broken


def user_profiles_dir(user_dir: str | os.PathLike[str] | None = None) -> Path:
    """The operator's profiles folder: ``user_dir``, else $NEWSCRAWLER_PROFILES_DIR, else
    ``profiles/`` under the working directory."""
    return Path(user_dir or os.environ.get(PROFILES_DIR_ENV) or DEFAULT_USER_DIR)


# -- files --------------------------------------------------------------------------------------


def _search_dirs(user_dir: str | os.PathLike[str] | None) -> list[Path]:
    return [user_profiles_dir(user_dir), BUILTIN_DIR]


def _tomls(folder: Path) -> Iterator[Path]:
    return iter(sorted(folder.glob("*.toml"))) if folder.is_dir() else iter(())


def _profile_path(name: str, user_dir: str | os.PathLike[str] | None) -> Path | None:
    for folder in _search_dirs(user_dir):
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    return None


def _read_with_parents(path: Path, seen: tuple[str, ...]) -> dict[str, Any]:
    """The TOML table of ``path`` merged over the profile it ``extends``."""
    data = _read_toml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ProfileError(str(path), "extends", "must be a profile name or a path")
    if parent in seen:
        raise ProfileError(str(path), "extends", f"circular: {' -> '.join((*seen, parent))}")
    parent_path = Path(parent) if parent.endswith(".toml") else _sibling_or_named(path, parent)
    if parent_path is None:
        raise ProfileError(str(path), "extends", f"no profile named {parent!r}")
    return _merged(_read_with_parents(parent_path, (*seen, parent)), data)


def _sibling_or_named(path: Path, name: str) -> Path | None:
    sibling = path.with_name(f"{name}.toml")
    if sibling.is_file() and sibling != path:
        return sibling
    builtin = BUILTIN_DIR / f"{name}.toml"
    return builtin if builtin.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ProfileError(str(path), "", "no such file") from None
    except OSError as error:
        raise ProfileError(str(path), "", f"cannot be read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileError(str(path), "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(str(path), "", f"not valid TOML: {error}") from None


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


# -- validation ---------------------------------------------------------------------------------


class _Table:
    """One TOML table being read: typed getters, and unknown keys reported on ``done()``."""

    def __init__(self, path: str, prefix: str, data: Any) -> None:
        self.path, self.prefix = path, prefix
        if not isinstance(data, dict):
            raise ProfileError(path, prefix, f"must be a table, not {_kind(data)}")
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def error(self, name: str, problem: str) -> ProfileError:
        return ProfileError(self.path, self.key(name), problem)

    def get(self, name: str, kind: type[_T], default: _T) -> _T:
        self.used.add(name)
        value = self.data.get(name, default)
        # bool is an int in Python; a profile saying max_pages = true is still wrong.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(name, f"must be {kind.__name__}, not {_kind(value)}")
        return value

    def required_str(self, name: str) -> str:
        if name not in self.data:
            raise self.error(name, "is required")
        value = self.get(name, str, "").strip()
        if not value:
            raise self.error(name, "must not be empty")
        return value

    def optional_str(self, name: str) -> str | None:
        self.used.add(name)
        if self.data.get(name) is None:
            return None
        return self.get(name, str, "")

    def optional_int(self, name: str, minimum: int = 0) -> int | None:
        self.used.add(name)
        return None if self.data.get(name) is None else self.integer(name, 0, minimum)

    def integer(self, name: str, default: int, minimum: int = 0) -> int:
        value = self.get(name, int, default)
        if value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return value

    def strings(self, name: str, check: Callable[[str, str], object] | None = None) -> list[str]:
        values = self.get(name, list, [])
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.error(f"{name}[{index}]", f"must be a non-empty string: {value!r}")
            if check is not None:
                check(self.key(f"{name}[{index}]"), value)
        return [value.strip() for value in values]

    def choice(self, name: str, options: tuple[str, ...], default: str) -> str:
        value = self.get(name, str, default)
        if value not in options:
            raise self.error(name, f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def regexes(self, name: str) -> tuple[re.Pattern[str], ...]:
        return tuple(self.regex_of(f"{name}[{i}]", s) for i, s in enumerate(self.strings(name)))

    def regex(self, name: str) -> re.Pattern[str] | None:
        text = self.optional_str(name)
        return None if text is None else self.regex_of(name, text)

    def regex_of(self, name: str, text: str) -> re.Pattern[str]:
        try:
            return re.compile(text)
        except re.error as error:
            raise self.error(name, f"not a valid regular expression: {error}") from None

    def selectors(self, name: str) -> tuple[str, ...]:
        return tuple(self.strings(name, check=self.check_selector))

    def check_selector(self, key: str, selector: str) -> None:
        try:
            compiled(selector)
        except Exception as error:  # cssselect and lxml raise several unrelated types
            raise ProfileError(self.path, key, f"not a valid selector: {error}") from None

    def table(self, name: str) -> _Table:
        self.used.add(name)
        return _Table(self.path, self.key(name), self.data.get(name, {}))

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            name = unknown[0]
            close = difflib.get_close_matches(name, sorted(self.used), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(name, f"unknown key{hint}")


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _build(data: dict[str, Any], path: str) -> Profile:
    top = _Table(path, "", data)
    name = top.required_str("name")
    if not _NAME.match(name):
        raise top.error("name", "use lower-case letters, digits, '-' and '_' only")
    hosts = tuple(h.lower() for h in top.strings("hosts", check=_check_host(path)))
    base_url = top.optional_str("base_url")
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        raise top.error("base_url", f"must be an http(s) URL, not {base_url!r}")
    profile = Profile(
        name=name,
        site=top.optional_str("site") or name,
        hosts=hosts,
        base_url=base_url,
        language=top.optional_str("language"),
        enabled=top.get("enabled", bool, True),
        discovery=_discovery(top.table("discovery")),
        fields=_fields(top.table("fields")),
        source=path,
    )
    top.done()
    return profile


def _check_host(path: str) -> Callable[[str, str], None]:
    def check(key: str, host: str) -> None:
        if "/" in host or ":" in host or " " in host.strip():
            raise ProfileError(path, key, f"must be a bare host name, not {host!r}")

    return check


def _discovery(table: _Table) -> Discovery:
    listings = table.get("listings", list, [])
    id_range = table.table("id_range") if "id_range" in table.data else None
    discovery = Discovery(
        start_urls=tuple(table.strings("start_urls")),
        sitemaps=tuple(table.strings("sitemaps")),
        feeds=tuple(table.strings("feeds")),
        listings=tuple(
            _listing(_Table(table.path, table.key(f"listings[{i}]"), listing))
            for i, listing in enumerate(listings)
        ),
        article_urls=table.regexes("article_urls"),
        deny_urls=table.regexes("deny_urls"),
        article_selectors=table.selectors("article_selectors"),
        follow_links=table.get("follow_links", bool, False),
        max_depth=table.integer("max_depth", Discovery.max_depth),
        id_range=_id_range(id_range) if id_range else None,
    )
    table.done()
    return discovery


def _listing(table: _Table) -> Listing:
    next_page = table.optional_str("next_page")
    links = table.optional_str("links")
    for key, selector in (("next_page", next_page), ("links", links)):
        if selector is not None:
            table.check_selector(table.key(key), selector)
    listing = Listing(
        url=table.required_str("url"),
        next_page=next_page,
        links=links,
        max_pages=table.integer("max_pages", Listing.max_pages, minimum=1),
    )
    table.done()
    return listing


def _id_range(table: _Table) -> IdRange:
    template = table.required_str("url_template")
    if "{id}" not in template:
        raise table.error("url_template", "must contain {id}")
    id_range = IdRange(
        url_template=template,
        start=table.optional_int("start"),
        stop=table.optional_int("stop"),
        max_misses=table.integer("max_misses", IdRange.max_misses, minimum=1),
    )
    if id_range.start is not None and id_range.stop is not None and id_range.stop < id_range.start:
        raise table.error("stop", f"must not be below start ({id_range.start})")
    table.done()
    return id_range


def _fields(table: _Table) -> Fields:
    rules = {name: _field_rule(table, name) for name in _TEXT_FIELDS}
    extras = table.table("extras")
    fields = Fields(
        body=_body_rule(table),
        extras=tuple(
            _extra_rule(extras.table(name), name)
            for name in sorted(extras.data)  # every key of [fields.extras] is an extra's name
        ),
        **rules,
    )
    extras.done()
    table.done()
    return fields


def _rule_table(table: _Table, name: str) -> _Table:
    """A field given as a table, or as the bare list of its selectors."""
    if isinstance(table.data.get(name), list):
        table.used.add(name)
        return _Table(table.path, table.key(name), {"selectors": table.data[name]})
    return table.table(name)


def _field_rule(table: _Table, name: str) -> FieldRule:
    rule_table = _rule_table(table, name)
    rule = FieldRule(**_pattern_keys(rule_table))
    rule_table.done()
    return rule


def _pattern_keys(table: _Table) -> dict[str, Any]:
    keys = {
        "selectors": table.selectors("selectors"),
        "pattern": table.regex("pattern"),
        "replace": table.optional_str("replace"),
    }
    if keys["replace"] is not None and keys["pattern"] is None:
        raise table.error("replace", "needs a pattern to replace")
    return keys


def _body_rule(table: _Table) -> BodyRule:
    body = _rule_table(table, "body")
    rule = BodyRule(
        selectors=body.selectors("selectors"),
        remove=body.selectors("remove"),
        drop=body.regexes("drop"),
        stop_at=body.regexes("stop_at"),
        title_from_first_paragraph=cast(
            TitleFromFirstParagraph,
            body.choice("title_from_first_paragraph", get_args(TitleFromFirstParagraph), "never"),
        ),
    )
    body.done()
    return rule


def _extra_rule(table: _Table, name: str) -> ExtraRule:
    if not _NAME.match(name):
        raise ProfileError(table.path, table.prefix, "extra names use a-z, 0-9, '-' and '_'")
    rule = ExtraRule(
        name=name,
        type=cast(ExtraType, table.choice("type", get_args(ExtraType), "text")),
        url_pattern=table.regex("url_pattern"),
        **_pattern_keys(table),
    )
    if not rule.selectors and rule.url_pattern is None:
        raise table.error("selectors", "an extra needs selectors or a url_pattern")
    table.done()
    return rule
