"""The extraction benchmark runs end to end on a tiny corpus in trafilatura's evaluation layout
and renders its section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import extraction
from benchmarks.report import _extraction, write_section

PARAGRAPHS = [
    "The river authority opened the new flood gates on Tuesday after three years of work on the "
    "embankment, which had been washed away twice by the monsoon rains of earlier years.",
    "Engineers said the gates would hold back water for the farms downstream during the dry "
    "months and release it in a measured way when the reservoir rises above its safe level.",
    "Residents of the villages along the bank gathered to watch the first opening, and the "
    "district officer thanked the workers who had stayed on the site through the winter.",
    "The project cost less than planned because the stone was quarried nearby, the authority "
    "said, and a second set of gates further upstream is to be finished next spring.",
]


def article_page(headline: str, footer: str) -> str:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | Valley Times</title>
<meta property="og:type" content="article"><meta property="og:title" content="{headline}">
<meta property="article:published_time" content="2025-07-26T10:00:00+05:00">
</head><body><header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
<main><article><h1>{headline}</h1>{body}</article></main>
<footer><p>{footer}</p></footer></body></html>"""


LISTING = (
    """<!doctype html><html><head><meta charset="utf-8"><title>News | Valley Times</title>
</head><body><h1>News</h1><ul>"""
    + "".join(
        f'<li><a href="/news/2025/07/{n}/story-{n}">Story number {n} of the week</a></li>'
        for n in range(1, 30)
    )
    + "</ul></body></html>"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Four entries: a plain article, one whose ``without`` snippet (its footer) both sides
    should drop, a listing, and an entry whose page file is missing."""
    root = tmp_path / "evalcorpus"
    (root / "tests" / "eval").mkdir(parents=True)
    pages = {
        "gates.html": article_page("Flood gates opened", "Copyright Valley Times"),
        "footer.html": article_page("Gates hold the water", "Subscribe to our newsletter"),
        "listing.html": LISTING,
    }
    for name, html in pages.items():
        (root / "tests" / "eval" / name).write_text(html, encoding="utf-8")
    index = {
        "https://valley.example/news/2025/07/26/flood-gates": {
            "file": "gates.html",
            "with": ["opened the new flood gates on  Tuesday", "release it in a measured way"],
            "without": ["Copyright Valley Times"],
        },
        "https://valley.example/news/2025/07/27/gates-hold": {
            "file": "footer.html",
            "with": ["quarried nearby"],
            "without": ["Subscribe to our newsletter"],
        },
        "https://valley.example/news/": {
            "file": "listing.html",
            "with": ["a sentence no page holds"],
            "without": ["Story number 3 of the week"],
        },
        "https://valley.example/gone": {"file": "gone.html", "with": ["x"], "without": ["y"]},
    }
    (root / "tests" / "evaldata.json").write_text(json.dumps(index), encoding="utf-8")
    return root


def test_the_benchmark_scores_a_tiny_corpus_and_renders_its_section(
    corpus: Path, tmp_path: Path
) -> None:
    report = tmp_path / "pages.jsonl"
    results = extraction.run(corpus, report=report)

    figures = results["corpus"]
    assert figures["name"] == "evalcorpus" and figures["revision"] == "as given"
    assert figures["pages"] == 3 and figures["missing_files"] == 1
    assert figures["rejected"] == {"not-article": 1} and figures["emptied"] == 0
    assert figures["ours"]["cpu_ms_per_page"] > 0 and figures["cpu_ratio"] > 0
    lines = {line["file"]: line for line in map(json.loads, report.read_text().splitlines())}
    gates = lines["gates.html"]
    assert gates["outcome"] == "article" and gates["title"] == "Flood gates opened"
    assert gates["ours"] == {
        "tp": 2,
        "fn": 0,
        "fp": 0,
        "tn": 1,
        "f1": 1.0,
        "missed": [],
        "kept": [],
    }
    listing = lines["listing.html"]
    assert listing["outcome"] == "not_article:not-article"
    assert listing["ours"]["fn"] == 1 and listing["ours"]["tn"] == 1
    # Of the three pages' four `with` snippets we find three; we keep no `without` snippet.
    assert figures["ours"]["recall"] == 0.75 and figures["ours"]["precision"] == 1.0

    stored = results["stored"]
    assert stored["articles"] >= 1 and stored["ours_body_f1"] > 0.9
    section = _extraction(results)
    assert section.startswith("## Extraction")
    assert "Corpus `evalcorpus` (revision as given): 3 pages scored" in section
    assert "| ours (auto mode, cleaned) | 1.000 | 0.750 |" in section
    assert "Refused as not articles: 1 (not-article 1)" in section

    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nIntro.\n\n## Crawling\n\nFigures.\n\n## Reproducing\n\nOld.\n")
    write_section(section, doc)
    write_section(section, doc)
    text = doc.read_text()
    assert text.count("## Extraction") == 1 and "## Crawling\n\nFigures." in text
    assert text.index("## Extraction") < text.index("## Reproducing")
    assert "python -m benchmarks.extraction --corpus PATH" in text


def test_a_folder_without_evaldata_is_named_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(extraction.CorpusError, match=r"no evaldata\.json"):
        extraction.run(tmp_path)


def test_snippets_match_whatever_the_whitespace() -> None:
    scored = extraction.score_snippets("one\u00a0two\n\nthree", ["one two", "four"], ["three"])
    assert (scored.counts.tp, scored.counts.fn, scored.counts.fp, scored.counts.tn) == (1, 1, 1, 0)
    assert scored.missed == ["four"] and scored.kept == ["three"]
    nothing = extraction.score_snippets(None, ["one"], ["two"])
    assert (nothing.counts.fn, nothing.counts.tn) == (1, 1)
    assert extraction.shingle_f1("a b c d e", "a b c d e") == 1.0
    assert extraction.shingle_f1("", "a b") == 0.0
