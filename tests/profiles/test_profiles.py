"""Profiles: the built-ins load, lookups by name and path, and every problem named with file,
key and cause."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from newscrawler.extract.boilerplate import BOILERPLATE_SELECTORS
from newscrawler.profiles import (
    PROFILES_DIR_ENV,
    ProfileError,
    compiled,
    find_profile,
    list_profiles,
    load_profile,
)
from newscrawler.profiles.selectors import PageNames, element_tests

MINIMAL = 'name = "example"\nhosts = ["example.pk"]\n'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_profiles_load() -> None:
    names = {profile.name for profile in list_profiles()}
    assert {"ispr", "wordpress", "poslanews"} <= names


def test_ispr_profile_says_what_the_spiders_need() -> None:
    ispr = find_profile("ispr")
    assert ispr.site == "ispr" and ispr.enabled
    assert ispr.is_own_host("https://ispr.gov.pk/press-release-detail.php?id=1")
    assert ispr.discovery.is_article_url("https://www.ispr.gov.pk/press-release-detail.php?id=7")
    assert ispr.discovery.is_article_url("https://www.ispr.gov.pk/press-release-detail?id=7")
    assert not ispr.discovery.is_article_url("https://www.ispr.gov.pk/page-army")
    assert [listing.url.rsplit("=", 1)[1] for listing in ispr.discovery.listings] == [
        "army",
        "navy",
        "airforce",
    ]
    assert ispr.discovery.id_range is not None
    assert ispr.discovery.id_range.url(7001) == "/press-release-detail.php?id=7001"
    assert ispr.absolute_url("/x") == "https://www.ispr.gov.pk/x"
    assert ispr.fields.body.title_from_first_paragraph == "if-upper"
    assert {extra.name for extra in ispr.fields.extras} == {"pr_number", "dateline", "release_id"}


def test_wordpress_is_a_disabled_template_that_poslanews_extends() -> None:
    template, poslanews = find_profile("wordpress"), find_profile("poslanews")
    assert not template.enabled and template.hosts == ()
    assert poslanews.enabled and poslanews.hosts == ("poslanews.com", "www.poslanews.com")
    assert poslanews.fields == template.fields
    assert poslanews.discovery.feeds == ("/feed/",)
    assert poslanews.discovery.is_denied("https://poslanews.com/tag/ispr/")
    assert poslanews.discovery.is_denied("https://poslanews.com/category/pakistan/page/2/")
    assert not poslanews.discovery.is_denied("https://poslanews.com/%d9%be%d8%a7/")


def test_rebased_profile_moves_its_start_points_to_a_mirror() -> None:
    ispr = find_profile("ispr").rebased("http://127.0.0.1:8123/")
    assert ispr.is_own_host("http://127.0.0.1:8123/press-release-detail.php?id=1")
    assert ispr.absolute_url(ispr.discovery.listings[0].url).startswith("http://127.0.0.1:8123/")


def test_find_profile_by_path_and_from_the_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "example", MINIMAL)
    assert find_profile(str(path)).name == "example"
    assert find_profile("example", user_dir=tmp_path).site == "example"
    monkeypatch.setenv(PROFILES_DIR_ENV, str(tmp_path))
    assert "example" in {profile.name for profile in list_profiles()}
    assert find_profile("example").source == str(path)


def test_a_user_profile_hides_the_builtin_of_the_same_name(tmp_path: Path) -> None:
    write(tmp_path, "ispr", 'name = "ispr"\nsite = "ispr-mirror"\nhosts = ["mirror.pk"]\n')
    assert find_profile("ispr", user_dir=tmp_path).site == "ispr-mirror"
    assert [p.site for p in list_profiles(tmp_path) if p.name == "ispr"] == ["ispr-mirror"]


def test_a_user_profile_extends_the_wordpress_template(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "urdu-daily",
        'extends = "wordpress"\nname = "urdu-daily"\nhosts = ["urdu-daily.pk"]\n'
        "enabled = true\n[fields.body]\nremove = ['.ad-slot']\n",
    )
    profile = load_profile(path)
    assert profile.enabled and profile.discovery.sitemaps[0] == "/wp-sitemap.xml"
    assert profile.fields.body.remove == (".ad-slot",)  # lists replace, tables merge
    assert profile.fields.body.selectors[0] == "div.entry-content"


def test_an_unknown_name_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"no such profile \(known: .*ispr"):
        find_profile("nope", user_dir=tmp_path)


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('hosts = ["a.pk"]\n', "name", "is required"),
        ('name = "Bad Name"\n', "name", "lower-case letters"),
        ('name = "x"\nhosts = "a.pk"\n', "hosts", "must be list, not a string"),
        ('name = "x"\nhosts = ["https://a.pk/"]\n', "hosts[0]", "bare host name"),
        ('name = "x"\nenabled = "yes"\n', "enabled", "must be bool"),
        ('name = "x"\nlanguge = "ur"\n', "languge", "unknown key (did you mean 'language'?)"),
        (
            'name = "x"\n[fields.title]\nselector = ["h1"]\n',
            "fields.title.selector",
            "unknown key (did you mean 'selectors'?)",
        ),
        (
            'name = "x"\n[fields.body]\nselectors = ["div..x"]\n',
            "fields.body.selectors[0]",
            "not a valid selector",
        ),
        (
            'name = "x"\n[fields]\npublished = ["//time[@"]\n',
            "fields.published.selectors[0]",
            "not a valid selector",
        ),
        (
            "name = \"x\"\n[discovery]\narticle_urls = ['/news/(\\d+']\n",
            "discovery.article_urls[0]",
            "not a valid regular expression",
        ),
        (
            'name = "x"\n[discovery]\nmax_depth = -1\n',
            "discovery.max_depth",
            "must be at least 0",
        ),
        (
            'name = "x"\n[[discovery.listings]]\nnext_page = "a.next"\n',
            "discovery.listings[0].url",
            "is required",
        ),
        (
            'name = "x"\n[discovery.id_range]\nurl_template = "/detail?id=1"\n',
            "discovery.id_range.url_template",
            "must contain {id}",
        ),
        (
            'name = "x"\n[discovery.id_range]\nurl_template = "/d?id={id}"\nstart = 9\nstop = 2\n',
            "discovery.id_range.stop",
            "must not be below start",
        ),
        (
            'name = "x"\n[fields.body]\ntitle_from_first_paragraph = "upper"\n',
            "fields.body.title_from_first_paragraph",
            "must be one of never, if-upper, always",
        ),
        (
            'name = "x"\n[fields.extras.pr_number]\npattern = "PR"\n',
            "fields.extras.pr_number.selectors",
            "needs selectors or a url_pattern",
        ),
        (
            'name = "x"\n[fields.title]\nselectors = ["h1"]\nreplace = "x"\n',
            "fields.title.replace",
            "needs a pattern",
        ),
        (
            'name = "x"\n[fields.extras.n]\nurl_pattern = "id=(\\\\d+)"\ntype = "number"\n',
            "fields.extras.n.type",
            "must be one of text, int, date",
        ),
        ('name = "x"\nextends = "nowhere"\n', "extends", "no profile named 'nowhere'"),
        ('name = "x"\nhosts = [\n', "(top level)", "not valid TOML"),
    ],
)
def test_a_bad_profile_names_file_key_and_problem(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = write(tmp_path, "bad", text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}: {key}: ")
    assert problem in caught.value.problem


def test_circular_extends_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a", 'extends = "b"\nname = "a"\n')
    write(tmp_path, "b", 'extends = "a"\nname = "b"\n')
    with pytest.raises(ProfileError, match="circular: b -> a -> b"):
        load_profile(tmp_path / "a.toml")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_profile(tmp_path / "absent.toml")


def test_the_documented_example_is_a_valid_profile(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "sites.md").read_text("utf-8")
    example = docs.split("# profiles/urdu-daily.toml\n", 1)[1].split("```", 1)[0]
    profile = load_profile(write(tmp_path, "urdu-daily", example))
    assert profile.site == "urdu-daily" and len(profile.hosts) == 3
    assert profile.discovery.listings[0].max_pages == 20
    assert [extra.name for extra in profile.fields.extras] == [
        "dateline",
        "post_id",
        "pr_number",
        "release_date",
    ]
    assert profile.fields.extras[2].pick("No PR-123 / 2025 - ISPR") == "PR-123/2025-ISPR"


#: Markup that tests each condition: classes split at tabs and newlines but not at no-break
#: or form-feed spaces, empty and upper-case attributes, ids, nested and hidden elements.
ODD_MARKUP = (
    '<html><body class="single x"><div class="a\tb" id="x"><p class="a\nb\rc">t</p>'
    '<p class="a\xa0b">u</p><div class=" a  b " z="" data-x="1"><span class="A">s'
    '<span class="a b">in</span></span></div><div class="a\fb">f</div><figure><p>p</p>'
    '</figure><figure class="y"><img src="i.jpg"></figure><figure><b z="Q"><img></b></figure>'
    '<div class="" id="">e</div>'
    '<DIV CLASS="UP" ID="y" DATA-X="1">upper</DIV><li class="a.b">dot</li><!-- note -->'
    '<div class="a b" hidden>h</div><p aria-hidden="true">ah</p><nav><a rel="next">n</a>'
    "</nav></div></body></html>"
)


@pytest.mark.parametrize(
    "css",
    [
        "*", "DIV", "div.a.b", ".a", ".A", "#x", "div#x.a[z]", "[data-X]", "[data-x='1']",
        "[class='']", "[id='']", "[z='q']", ".a\\ b", "figure:has(img)", "figure:has(img, p)",
        "div:has(.a)", "li.a\\.b", "[hidden], [aria-hidden='true']", ".a .b",
        "figure:has(> img)", "a[rel~=next]", "p:first-child", "[z='q' i]", "span::text",
        ", ".join(BOILERPLATE_SELECTORS),
    ],
)  # fmt: skip
def test_element_tests_select_what_the_selectors_xpath_selects(css: str) -> None:
    root = lxml.html.document_fromstring(ODD_MARKUP)
    for node in (root, *root.iter("div")):
        expected = [found for found in compiled(css)(node) if isinstance(found, etree._Element)]
        assert element_tests(css).elements(node) == expected


@pytest.mark.parametrize(
    ("css", "runs"),
    [
        (".zz", False), ("#zz", False), ("div .zz", False), (".zz::text", False),
        ("a:has(.zz)", False), (".zz, #zz", False), (".a", True), (".zz, .a", True),
        ("div:not(.zz)", True), (":is(.zz, .a)", True), ("a:has(.zz, .a)", True),
        ("#x.a .UP", True), ("//*[@class='zz']", True),
    ],
)  # fmt: skip
def test_selectors_needing_a_class_or_id_the_page_lacks_are_not_run(css: str, runs: bool) -> None:
    root = lxml.html.document_fromstring(ODD_MARKUP)
    names = PageNames.of(root)
    assert names.may_select(css) is runs
    if not runs:
        assert compiled(css)(root) == []
