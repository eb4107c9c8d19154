"""Extraction: from a fetched page to the fields of an article item.

* :func:`extract_page`: the article on a page, or the reason there is none.
* :func:`extract_article`: the same, reduced to the item or None.
* :func:`article_signals`: how much an unknown page looks like an article (auto mode).
* :func:`extraction_version`: which extraction a profile (or auto mode) makes.
"""

from newscrawler.extract.article import article_signals, extract_article, extract_page
from newscrawler.extract.result import ArticleSignals, ExtractionResult, NotArticle
from newscrawler.extract.version import extraction_version

__all__ = [
    "ArticleSignals",
    "ExtractionResult",
    "NotArticle",
    "article_signals",
    "extract_article",
    "extract_page",
    "extraction_version",
]
