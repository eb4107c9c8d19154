"""Site profiles: one declarative TOML file per site (see ``docs/sites.md``).

* :func:`load_profile`: the profile in one file, validated.
* :func:`find_profile`: by path, or by name among the user's and the built-in profiles.
* :func:`list_profiles`: every profile the crawler knows; :func:`scan_profiles` also says
  which files are no profile, and why.
"""

from newscrawler.profiles.loader import (
    BUILTIN_DIR,
    PROFILES_DIR_ENV,
    ProfileError,
    find_profile,
    list_profiles,
    load_profile,
    scan_profiles,
    user_profiles_dir,
)
from newscrawler.profiles.model import (
    BodyRule,
    Discovery,
    ExtraRule,
    FieldRule,
    Fields,
    IdRange,
    Listing,
    Profile,
)
from newscrawler.profiles.selectors import compiled, is_xpath

__all__ = [
    "BUILTIN_DIR",
    "PROFILES_DIR_ENV",
    "BodyRule",
    "Discovery",
    "ExtraRule",
    "FieldRule",
    "Fields",
    "IdRange",
    "Listing",
    "Profile",
    "ProfileError",
    "compiled",
    "find_profile",
    "is_xpath",
    "list_profiles",
    "load_profile",
    "scan_profiles",
    "user_profiles_dir",
]
