"""Auto-mode extraction against trafilatura alone, on the same pages.

``python -m benchmarks.extraction [--corpus PATH] [--report FILE] [--no-doc] [--limit N]``.

Two sets of pages:

* the project's stored auto-mode pages (``tests/extract/pages/generic``), whose expected JSON
  is the ground truth: word 4-gram shingle F1 of each body against the expected body;
* with ``--corpus``, a directory in trafilatura's evaluation layout (``evaldata.json`` or
  ``tests/evaldata.json``, the pages in ``eval/`` beside it): each page's ``with`` snippets must
  be in the extracted text, its ``without`` snippets must not.

Our side reads a page as a crawl does: the response decoded by the decoding middleware's
rules, ``extract_page`` with no profile (auto mode), then the text cleaning pipeline with the
project's default settings (the archived body is what users get). trafilatura's side is
``trafilatura.extract(html, url=url)`` with its defaults on the page's bytes. CPU time is the
process's, measured around each side's call, the two sides alternating which goes first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from benchmarks.__main__ import DOC, REPO, machine
from benchmarks.report import _extraction, write_section
from newscrawler import settings as project
from newscrawler.encoding import decoded_response
from newscrawler.extract import NotArticle, extract_page
from pipelines.cleaning import TextCleaningPipeline

#: The project's stored auto-mode pages and their expected JSON.
STORED_PAGES = REPO / "tests" / "extract" / "pages" / "generic"
#: What a static file server sends for an ``.html`` file: no charset, the page says its own.
CONTENT_TYPE = "text/html"
#: A page is lost to trafilatura when our per-page F1 is lower than trafilatura's by more.
LOSS_MARGIN = 0.1
#: trafilatura's per-page F1 from which a page counts as one it extracts well.
WELL_EXTRACTED = 0.9
#: An article-like page whose text extraction found nothing: emptied, not refused.
EMPTIED = f"not_article:{NotArticle.NO_BODY}"
#: Words per shingle when a body is scored against an expected body.
SHINGLE = 4


def normalise(text: str) -> str:
    """Every run of whitespace (Unicode's, NBSP and line breaks included) as one space, ends
    trimmed: the same for snippets and for both sides' texts, so layout never costs a match."""
    return " ".join(text.split())


@dataclass
class Counts:
    """Snippet matches of one page or summed over many: true/false positives and negatives."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp, self.fn = self.tp + other.tp, self.fn + other.fn
        self.fp, self.tn = self.fp + other.fp, self.tn + other.tn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        scored = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / scored if scored else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def scores(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "accuracy": round(self.accuracy, 4),
        }


@dataclass
class Scored:
    """One side's text of one page against the page's snippets."""

    counts: Counts
    missed: list[str]
    kept: list[str]


def score_snippets(text: str | None, with_: list[str], without: list[str]) -> Scored:
    """``text`` against the snippets it must and must not hold; no text misses every one."""
    found = normalise(text or "")
    missed = [s for s in with_ if not found or normalise(s) not in found]
    kept = [s for s in without if found and normalise(s) in found]
    counts = Counts(
        tp=len(with_) - len(missed), fn=len(missed), fp=len(kept), tn=len(without) - len(kept)
    )
    return Scored(counts, missed, kept)


def shingle_f1(text: str | None, expected: str | None) -> float:
    """Word 4-gram shingle F1 of ``text`` against ``expected`` (texts shorter than a shingle
    are one shingle of all their words)."""
    ours, theirs = _shingles(text or ""), _shingles(expected or "")
    if not ours or not theirs:
        return float(ours == theirs)
    return 2 * len(ours & theirs) / (len(ours) + len(theirs))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    if len(words) <= SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@dataclass
class Extracted:
    """What one side made of a page: the outcome, the text and (ours) the title."""

    #: ``article``, ``empty`` (an article with no body left) or ``not_article:<reason>``.
    outcome: str
    body: str | None = None
    title: str | None = None
    #: Why a page is not an article, and the signals weighed.
    detail: str = ""
    evidence: tuple[str, ...] = ()


class OurExtraction:
    """A page read as an auto-mode crawl reads it, up to the cleaned item the archive gets."""

    def __init__(self) -> None:
        settings = {
            name: getattr(project, name)
            for name in dir(project)
            if name.isupper() and name != "TWISTED_REACTOR"
        }
        self.cleaning = TextCleaningPipeline.from_crawler(get_crawler(settings_dict=settings))

    def __call__(
        self, response: Response, now: datetime | None = None, site_titles: Sequence[str] = ()
    ) -> Extracted:
        result = extract_page(decoded_response(response), None, now=now, site_titles=site_titles)
        if result.item is None:
            signals = result.signals
            evidence = signals.evidence if signals else ()
            return Extracted(
                f"not_article:{result.reason}", detail=result.detail, evidence=evidence
            )
        item = ItemAdapter(self.cleaning.process_item(result.item))
        body, title = item.get("body"), item.get("title")
        return Extracted("article" if body else "empty", body, title)


def trafilatura_extraction(html: bytes, url: str) -> Extracted:
    """``trafilatura.extract`` as a user running it alone calls it."""
    body = trafilatura.extract(html, url=url)
    return Extracted("article" if body else "empty", body)


def page_response(url: str, body: bytes, content_type: str = CONTENT_TYPE) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, headers={"Content-Type": content_type})


@dataclass
class Clock:
    """CPU and wall-clock time spent by one side, over the pages it read."""

    cpu: float = 0.0
    wall: float = 0.0
    pages: int = 0

    def timed(self, call: Callable[[], Extracted]) -> Extracted:
        cpu, wall = time.process_time(), time.perf_counter()
        extracted = call()
        self.cpu += time.process_time() - cpu
        self.wall += time.perf_counter() - wall
        self.pages += 1
        return extracted

    def figures(self) -> dict[str, float]:
        return {
            "pages_per_second": round(self.pages / self.wall, 1) if self.wall else 0.0,
            "cpu_ms_per_page": round(1000 * self.cpu / self.pages, 2) if self.pages else 0.0,
        }


def both_sides(
    ours: OurExtraction,
    clocks: tuple[Clock, Clock],
    index: int,
    response: HtmlResponse,
    now: datetime | None = None,
    site_titles: Sequence[str] = (),
) -> tuple[Extracted, Extracted]:
    """Our extraction and trafilatura's of one page, the one that runs first alternating
    from page to page so that caches and machine noise favour neither."""
    ours_clock, theirs_clock = clocks

    def run_ours() -> Extracted:
        return ours_clock.timed(lambda: ours(response, now, site_titles))

    def run_theirs() -> Extracted:
        return theirs_clock.timed(lambda: trafilatura_extraction(response.body, response.url))

    if index % 2:
        theirs = run_theirs()
        return run_ours(), theirs
    mine = run_ours()
    return mine, run_theirs()


# -- the evaluation corpus ---------------------------------------------------------------------


class CorpusError(ValueError):
    """A corpus directory that is not in trafilatura's evaluation layout."""


def corpus_index(path: Path) -> Path:
    """The corpus's ``evaldata.json``: in ``path`` or in ``path/tests``."""
    for candidate in (path / "evaldata.json", path / "tests" / "evaldata.json"):
        if candidate.is_file():
            return candidate
    raise CorpusError(
        f"{path}: no evaldata.json in it nor in its tests/ folder (expected trafilatura's "
        "evaluation layout: evaldata.json with the pages in eval/ beside it)"
    )


def corpus_name(index: Path) -> str:
    """The corpus's folder name (the checkout's, for an index in its ``tests`` folder)."""
    folder = index.resolve().parent
    return folder.parent.name if folder.name == "tests" else folder.name


def corpus_revision(index: Path) -> str:
    """The git commit of the checkout holding ``index``, else ``as given``."""
    for folder in index.parents:
        head = folder / ".git" / "HEAD"
        if head.is_file():
            ref = head.read_text().strip()
            if ref.startswith("ref: "):
                target = folder / ".git" / ref.removeprefix("ref: ")
                return target.read_text().strip()[:10] if target.is_file() else "as given"
            return ref[:10]
    return "as given"


@dataclass
class CorpusTally:
    """Figures summed over the corpus's pages as they are scored."""

    ours: Counts = field(default_factory=Counts)
    theirs: Counts = field(default_factory=Counts)
    outcomes: Counter[str] = field(default_factory=Counter)
    losses: int = 0
    well_extracted_lost: int = 0
    missing_files: int = 0
    clocks: tuple[Clock, Clock] = field(default_factory=lambda: (Clock(), Clock()))


def run_corpus(
    path: Path, *, limit: int | None = None, report: Path | None = None
) -> dict[str, Any]:
    index = corpus_index(path)
    entries: dict[str, dict[str, Any]] = json.loads(index.read_text("utf-8"))
    pages = index.parent / "eval"
    tally = CorpusTally()
    ours = OurExtraction()
    lines = []
    for number, (url, entry) in enumerate(list(entries.items())[:limit]):
        file = pages / entry["file"]
        if not file.is_file():
            tally.missing_files += 1
            continue
        lines.append(_score_page(ours, tally, number, url, entry, file.read_bytes()))
    if report is not None:
        report.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return _corpus_figures(index, tally, len(lines))


def _score_page(
    ours: OurExtraction,
    tally: CorpusTally,
    number: int,
    url: str,
    entry: dict[str, Any],
    html: bytes,
) -> dict[str, Any]:
    """Both sides' extraction of one page, scored, added to ``tally``; its report line."""
    mine, theirs = both_sides(ours, tally.clocks, number, page_response(url, html))
    ours_score = score_snippets(mine.body, entry["with"], entry["without"])
    theirs_score = score_snippets(theirs.body, entry["with"], entry["without"])
    tally.ours += ours_score.counts
    tally.theirs += theirs_score.counts
    tally.outcomes[mine.outcome] += 1
    ours_f1, theirs_f1 = ours_score.counts.f1, theirs_score.counts.f1
    lost = ours_f1 < theirs_f1 - LOSS_MARGIN
    tally.losses += lost
    tally.well_extracted_lost += theirs_f1 >= WELL_EXTRACTED and mine.outcome != "article"
    return {
        "url": url,
        "file": entry["file"],
        "outcome": mine.outcome,
        "detail": mine.detail,
        "evidence": list(mine.evidence),
        "lost": lost,
        "title": mine.title,
        "ours": _page_score(ours_score),
        "trafilatura": _page_score(theirs_score),
    }


def _page_score(scored: Scored) -> dict[str, Any]:
    c = scored.counts
    return {
        "tp": c.tp,
        "fn": c.fn,
        "fp": c.fp,
        "tn": c.tn,
        "f1": round(c.f1, 4),
        "missed": scored.missed,
        "kept": scored.kept,
    }


def _corpus_figures(index: Path, tally: CorpusTally, scored: int) -> dict[str, Any]:
    ours_clock, theirs_clock = tally.clocks
    ours_time, theirs_time = ours_clock.figures(), theirs_clock.figures()
    theirs_ms = theirs_time["cpu_ms_per_page"]
    return {
        "name": corpus_name(index),
        "revision": corpus_revision(index),
        "pages": scored,
        "missing_files": tally.missing_files,
        "ours": {**tally.ours.scores(), **ours_time},
        "trafilatura": {**tally.theirs.scores(), **theirs_time},
        "cpu_ratio": round(ours_time["cpu_ms_per_page"] / theirs_ms, 2) if theirs_ms else None,
        "rejected": {
            outcome.removeprefix("not_article:"): count
            for outcome, count in sorted(tally.outcomes.items())
            if outcome.startswith("not_article:") and outcome != EMPTIED
        },
        "emptied": tally.outcomes[EMPTIED] + tally.outcomes["empty"],
        "lost_to_trafilatura": tally.losses,
        "loss_margin": LOSS_MARGIN,
        "well_extracted": WELL_EXTRACTED,
        "well_extracted_lost": tally.well_extracted_lost,
    }


# -- the stored pages --------------------------------------------------------------------------


def stored_cases(folder: Path = STORED_PAGES) -> Iterator[tuple[Path, dict[str, Any]]]:
    for case in sorted(folder.glob("*.json")):
        yield case, json.loads(case.read_text("utf-8"))


def run_stored(folder: Path = STORED_PAGES) -> dict[str, Any]:
    """Our bodies and trafilatura's against the stored pages' expected bodies."""
    ours = OurExtraction()
    clocks = (Clock(), Clock())
    ours_f1, theirs_f1, titles, refused, pages = [], [], 0, 0, []
    for number, (case, spec) in enumerate(stored_cases(folder)):
        response = page_response(
            spec["url"],
            case.with_suffix(".html").read_bytes(),
            spec.get("content_type", CONTENT_TYPE),
        )
        expected = spec["expected"]
        # As the stored-page tests read them: their "now" and the titles a crawl learned.
        now, learned = _page_now(spec), spec.get("site_titles", ())
        mine, theirs = both_sides(ours, clocks, number, response, now, learned)
        if "reason" in expected:
            refused += mine.outcome == f"not_article:{expected['reason']}"
            pages.append({"page": case.stem, "expected": expected["reason"], "ours": mine.outcome})
            continue
        ours_f1.append(shingle_f1(mine.body, expected["body"]))
        theirs_f1.append(shingle_f1(theirs.body, expected["body"]))
        titles += mine.title == expected["title"]
        pages.append(
            {
                "page": case.stem,
                "ours_f1": round(ours_f1[-1], 3),
                "trafilatura_f1": round(theirs_f1[-1], 3),
            }
        )
    return {
        "articles": len(ours_f1),
        "not_articles": len(pages) - len(ours_f1),
        "ours_body_f1": _mean(ours_f1),
        "trafilatura_body_f1": _mean(theirs_f1),
        "titles_exact": titles,
        "not_articles_refused": refused,
        "pages": pages,
    }


def _page_now(spec: dict[str, Any]) -> datetime | None:
    now = spec.get("now")
    return datetime.fromisoformat(now) if now else None


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def run(
    corpus: Path | None = None, *, limit: int | None = None, report: Path | None = None
) -> dict[str, Any]:
    """Figures of the stored pages and, given a corpus, of the corpus."""
    results: dict[str, Any] = {"machine": machine(), "trafilatura": trafilatura.__version__}
    if corpus is not None:
        results["corpus"] = run_corpus(corpus, limit=limit, report=report)
    results["stored"] = run_stored()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="trafilatura's evaluation layout")
    parser.add_argument("--report", type=Path, help="one JSON line per corpus page")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the doc")
    parser.add_argument("--limit", type=int, help="only the first N corpus entries")
    args = parser.parse_args()
    try:
        results = run(args.corpus, limit=args.limit, report=args.report)
    except CorpusError as error:
        sys.exit(str(error))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if not args.no_doc:
        write_section(_extraction(results), DOC)
        print(f"figures written to {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
