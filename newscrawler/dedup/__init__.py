"""Deduplication and story clusters: which archived articles tell the same story.

Three layers, each counted in the crawl stats by ``pipelines.dedup.DedupPipeline``:

1. the same URL in another form (canonical URL, known aliases): never a second row;
2. the same text again on the same site (content hash of the search form): an alias;
3. near-duplicates across sites: MinHash signatures of word shingles (``fingerprint``), an LSH
   index (``lsh``), and a sentence-by-sentence comparison of the candidates (``compare``) that
   tells a republished copy from another release of the same kind (``stories``).

``corpus`` generates the labelled set the thresholds in ``config`` were measured on.
"""

from newscrawler.dedup.compare import Comparison, compare
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import Fingerprint, MinHasher, match_sentences
from newscrawler.dedup.stories import ClusterRef, DocRef, StoryIndex, StoryMatch, TextSource

__all__ = [
    "ClusterRef",
    "Comparison",
    "DedupConfig",
    "DocRef",
    "Fingerprint",
    "MinHasher",
    "StoryIndex",
    "StoryMatch",
    "TextSource",
    "compare",
    "match_sentences",
]
