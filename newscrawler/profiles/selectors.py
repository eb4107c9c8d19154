"""Profile selectors: CSS (with Scrapy's ``::text`` and ``::attr()``) or XPath, compiled once.

A CSS group can also be compiled into :class:`ElementTests`: its compound selectors (type,
classes, id, attribute presence or value, ``:has()`` of such) become tests of one element,
looked up by tag, class and id in one walk over the elements: the same elements its XPath
selects, without libxml2 walking the tree once per selector of the group (boilerplate lists
hold fifty).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cssselect import parse
from cssselect.parser import (
    Attrib,
    Class,
    CombinedSelector,
    Element,
    Function,
    Hash,
    Matching,
    Negation,
    Pseudo,
    Relation,
    SpecificityAdjustment,
    Tree,
)
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_CSS = HTMLTranslator()
_NAMESPACES = {"re": "http://exslt.org/regular-expressions"}
#: What XPath's ``normalize-space()`` splits ``class`` at.
_XML_SPACE = re.compile(r"[ \t\r\n]+")
#: Names cssselect writes into XPath as they are, and class names it can match at all.
_SAFE_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_.-]*$")
_NON_WHITESPACE = re.compile(r"^[^ \t\r\n\f]+$")


def is_xpath(selector: str) -> bool:
    """Whether a profile selector is XPath rather than CSS."""
    return selector.startswith(("/", "./", "("))


@functools.cache
def compiled(selector: str) -> etree.XPath:
    """``selector`` as compiled XPath (CSS translated first). Raises on a selector that does
    not compile: cssselect's and lxml's own errors."""
    expression = selector if is_xpath(selector) else _CSS.css_to_xpath(selector)
    return _xpath(expression)


def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=_NAMESPACES, smart_strings=False)


@dataclass(frozen=True)
class _Compound:
    """One compound selector, ``tag.class#id[name=value]:has(...)``, as cssselect translates
    it: every condition must hold."""

    #: None: any element.
    tag: str | None = None
    classes: tuple[str, ...] = ()
    #: (name, value) pairs; value None: the attribute is present.
    attributes: tuple[tuple[str, str | None], ...] = ()
    #: Each ``:has()``: one of its compounds matches a descendant.
    has: tuple[tuple[_Compound, ...], ...] = ()

    def matches(self, element: Any) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.classes:
            words = _XML_SPACE.split(element.get("class") or "")
            if any(name not in words for name in self.classes):
                return False
        for name, value in self.attributes:
            actual = element.get(name)
            if actual is None or (value is not None and actual != value):
                return False
        return not self.has or all(_any_descendant(element, c) for c in self.has)


def _any_descendant(element: Any, compounds: tuple[_Compound, ...]) -> bool:
    return any(c.matches(node) for node in _descendant_elements(element) for c in compounds)


def _descendant_elements(element: Any) -> Iterator[Any]:
    return (node for node in element.iterdescendants() if isinstance(node.tag, str))


class ElementTests:
    """A CSS group as tests of one element, looked up by what the element has: its tag, its
    attributes, its class words (bare ``tag`` and ``.class`` selectors by set membership);
    the selectors of the group that are no such test are kept as XPath."""

    def __init__(self, compounds: Iterable[_Compound], rest: etree.XPath | None) -> None:
        self.rest = rest
        self.tags: set[str] = set()
        self.words: set[str] = set()
        self.by_tag: defaultdict[str, list[_Compound]] = defaultdict(list)
        self.by_class: defaultdict[str, list[_Compound]] = defaultdict(list)
        self.by_attribute: defaultdict[str, list[_Compound]] = defaultdict(list)
        self.anywhere: list[_Compound] = []
        for compound in compounds:
            if compound.tag is not None:
                if compound == _Compound(tag=compound.tag):
                    self.tags.add(compound.tag)
                else:
                    self.by_tag[compound.tag].append(compound)
            elif compound.classes:
                if compound == _Compound(classes=compound.classes[:1]):
                    self.words.add(compound.classes[0])
                else:
                    self.by_class[compound.classes[0]].append(compound)
            elif compound.attributes:
                self.by_attribute[compound.attributes[0][0]].append(compound)
            else:
                self.anywhere.append(compound)

    def elements(self, node: Any) -> list[Any]:
        """The elements of ``node``'s subtree (``node`` included) the group selects, in
        document order: what the group's XPath selects, but strings."""
        found = set(self.rest(node)) if self.rest is not None else set()
        return [
            element
            for element in node.iter()
            if element in found or (isinstance(element.tag, str) and self._matches(element))
        ]

    def _matches(self, element: Any) -> bool:
        tag = element.tag
        if tag in self.tags:
            return True
        if tag in self.by_tag and _any_matches(self.by_tag[tag], element):
            return True
        for name, value in element.items():  # most elements have no attributes
            if name in self.by_attribute and _any_matches(self.by_attribute[name], element):
                return True
            if name == "class" and self._class_matches(value, element):
                return True
        return bool(self.anywhere) and _any_matches(self.anywhere, element)

    def _class_matches(self, value: str, element: Any) -> bool:
        words = _XML_SPACE.split(value)
        return not self.words.isdisjoint(words) or any(
            _any_matches(self.by_class.get(word, ()), element) for word in words
        )


def _any_matches(compounds: Iterable[_Compound], element: Any) -> bool:
    return any(compound.matches(element) for compound in compounds)


@functools.cache
def element_tests(css: str) -> ElementTests:
    """The CSS group ``css`` compiled into :class:`ElementTests`. Raises as :func:`compiled`."""
    compounds: list[_Compound] = []
    rest: list[str] = []
    for selector in parse(css):
        compound = None if selector.pseudo_element else _compound(selector.parsed_tree)
        if compound is _NOTHING:
            continue
        if compound is None:
            rest.append(_CSS.selector_to_xpath(selector, translate_pseudo_elements=True))
        else:
            compounds.append(compound)
    return ElementTests(compounds, _xpath(" | ".join(rest)) if rest else None)


#: A compound that matches no element (a class name holding whitespace, as in cssselect).
_NOTHING = _Compound(tag="", classes=("",))


def _compound(tree: Tree) -> _Compound | None:
    """The compound ``tree`` stands for, condition by condition as cssselect translates it;
    None when it is something else (combinators, other pseudo-classes and operators,
    namespaces, names cssselect rewrites), left to XPath."""
    if isinstance(tree, Element):
        if tree.namespace or (tree.element and not _SAFE_NAME.match(tree.element)):
            return None
        return _Compound(tag=tree.element.lower() if tree.element else None)
    if not isinstance(tree, Class | Hash | Attrib | Relation):
        return None
    inner = _compound(tree.selector)
    if inner is None or inner is _NOTHING:
        return inner
    if isinstance(tree, Class):
        if not _NON_WHITESPACE.match(tree.class_name):
            return _NOTHING
        return dataclasses.replace(inner, classes=(*inner.classes, tree.class_name))
    if isinstance(tree, Hash):
        return dataclasses.replace(inner, attributes=(*inner.attributes, ("id", tree.id)))
    if isinstance(tree, Attrib):
        attribute = _attribute(tree)
        if attribute is None:
            return None
        return dataclasses.replace(inner, attributes=(*inner.attributes, attribute))
    alternatives = _has(tree)
    if alternatives is None:
        return None
    return dataclasses.replace(inner, has=(*inner.has, alternatives))


def _attribute(tree: Attrib) -> tuple[str, str | None] | None:
    """``[name]`` and ``[name=value]``; other operators, namespaces and flags are XPath's."""
    name = tree.attrib.lower()
    if tree.namespace or tree.flag or not _SAFE_NAME.match(name):
        return None
    if tree.operator == "exists":
        return name, None
    if tree.operator == "=" and tree.value is not None:
        return name, tree.value.value
    return None


def _has(tree: Relation) -> tuple[_Compound, ...] | None:
    """``:has()`` of descendants (no other combinator) that are compounds themselves."""
    compounds = []
    for combinator, selector in tree.arguments:
        compound = None if selector.pseudo_element else _compound(selector.parsed_tree)
        if combinator.value != " " or compound is None or compound is _NOTHING:
            return None
        compounds.append(compound)
    return tuple(compounds)


@dataclass(frozen=True)
class PageNames:
    """The class words and ids a parsed page uses, read once: a CSS selector that needs one
    the page lacks selects nothing there, and need not be run (whole-page class selectors
    cost libxml2 a test of every element)."""

    classes: frozenset[str]
    ids: frozenset[str]

    @classmethod
    def of(cls, root: Any) -> PageNames:
        words = " ".join(_CLASS_VALUES(root)).translate(_XML_SPACE_TO_SPACE).split(" ")
        return cls(frozenset(words), frozenset(_ID_VALUES(root)))

    def may_select(self, selector: str) -> bool:
        """False when every alternative of ``selector`` needs a class word or an id that the
        page does not use (never for XPath, which is not read)."""
        return any(
            classes <= self.classes and ids <= self.ids for classes, ids in _needed(selector)
        )


_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_XML_SPACE_TO_SPACE = str.maketrans("\t\r\n", "   ")
_ID_VALUES = etree.XPath("//@id", smart_strings=False)


@functools.cache
def _needed(selector: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """For each alternative of a CSS group, the class words and ids an element of the page
    must carry for it to select anything; nothing for XPath."""
    if is_xpath(selector):
        return ((frozenset(), frozenset()),)
    needs = []
    for alternative in parse(selector):
        classes: set[str] = set()
        ids: set[str] = set()
        _collect_needed(alternative.parsed_tree, classes, ids)
        needs.append((frozenset(classes), frozenset(ids)))
    return tuple(needs)


def _collect_needed(tree: Tree, classes: set[str], ids: set[str]) -> None:
    """Class words and ids of ``tree`` that every match requires: not those under ``:not()``
    nor one of several alternatives (``:is()``, ``:has(a, b)``)."""
    if isinstance(tree, Class):
        classes.add(tree.class_name)
    elif isinstance(tree, Hash):
        ids.add(tree.id)
    if isinstance(tree, CombinedSelector):
        _collect_needed(tree.subselector, classes, ids)
    if isinstance(tree, Relation) and len(tree.arguments) == 1:
        _collect_needed(tree.arguments[0][1].parsed_tree, classes, ids)
    if isinstance(
        tree,
        Class
        | Hash
        | Attrib
        | CombinedSelector
        | Relation
        | Negation
        | Function
        | Pseudo
        | Matching
        | SpecificityAdjustment,
    ):
        _collect_needed(tree.selector, classes, ids)
