"""JSON-LD blocks of a page, read alike for its metadata and for its dates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from parsel import Selector

_CDATA = re.compile(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$")
_JSON_LD_TEXTS = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)


def json_ld_objects(page: Selector) -> Iterator[dict[str, Any]]:
    """Every object of every JSON-LD block, ``@graph`` members and nested lists included;
    blocks that are not valid JSON are skipped."""
    for raw in _JSON_LD_TEXTS(page.root):
        try:
            data = json.loads(_CDATA.sub("", raw), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(item.get("@graph", []))
