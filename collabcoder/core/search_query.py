"""The text-search language: words, "phrases", wildcards, AND, OR, NOT, NEAR/n, parentheses.

    trust                     the word (on its lemma: trusted, trusting... unless exact)
    "public sector"           the words in a row
    partner*  organi?ation    wildcards match word forms: * any letters, ? one letter
    trust AND funding         both in the same context (sentence, paragraph, turn, document)
    trust funding             the same as AND
    trust OR confidence       either
    trust NOT funding         trust, in a context without funding (also: trust AND NOT funding)
    trust NEAR/5 funding      the two within 5 words of each other (NEAR alone: 10)

Operators are upper case (``and`` is a word); AND binds tighter than OR; NEAR tighter than AND.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidValue
from .search_text import index_key, word_form, words

DEFAULT_NEAR = 10
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_NEAR = re.compile(r"NEAR(?:/(\d+))?$")


class QueryError(InvalidValue):
    """A query that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Term:
    """One word: matched on its form, its lemma, or a wildcard pattern over forms."""

    text: str
    form: str
    pattern: re.Pattern[str] | None = None

    @property
    def prefix_key(self) -> str:
        """The index key of the letters before the first wildcard ('' when it starts with one)."""
        literal = re.split(r"[*?]", self.text, maxsplit=1)[0]
        return index_key(word_form(literal))


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Term | Phrase | And | Or | Not | Near


def leaves(node: Node) -> list[Term | Phrase]:
    """Every word and phrase of a query, in order."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Not):
        return leaves(node.item)
    if isinstance(node, Near):
        return leaves(node.left) + leaves(node.right)
    return [leaf for item in node.items for leaf in leaves(item)]


def _term(text: str) -> Term | Phrase:
    if "*" in text or "?" in text:
        form = word_form(text)
        if not index_key(form.replace("*", "").replace("?", "")):
            raise QueryError(f"{text!r}: a wildcard needs at least one letter beside it")
        body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in form)
        return Term(text, form, re.compile(body))
    found = words(text)
    if not found:
        raise QueryError(f"{text!r} holds no word to search for")
    terms = tuple(Term(text[w.start : w.end], w.form) for w in found)
    return terms[0] if len(terms) == 1 else Phrase(terms)


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(query):
            match = _TOKEN.match(query, position)
            if match is None or match.end() == position:
                break
            position = match.end()
            kind = match.lastgroup
            if kind is not None:
                self.tokens.append((kind, match.group(kind)))
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_operator(self, *names: str) -> bool:
        token = self.peek()
        if token is None or token[0] != "word":
            return False
        return token[1] in names or ("NEAR" in names and bool(_NEAR.match(token[1])))

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("The query is empty: type a word or a phrase to search for.")
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError(f"Unexpected {self.peek()[1]!r} in the query {self.query!r}")  # type: ignore[index]
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.is_operator("OR"):
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.near_expr()]
        while (token := self.peek()) is not None and token != ("paren", ")"):
            if self.is_operator("OR"):
                break
            if self.is_operator("AND"):
                self.take()
            elif self.is_operator("NOT"):
                self.take()
                items.append(Not(self.near_expr()))
                continue
            items.append(self.near_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def near_expr(self) -> Node:
        node = self.unary()
        while self.is_operator("NEAR"):
            match = _NEAR.match(self.take()[1])
            distance = int(match.group(1)) if match and match.group(1) else DEFAULT_NEAR
            node = Near(node, self.unary(), distance)
        return node

    def unary(self) -> Node:
        if self.is_operator("NOT"):
            self.take()
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QueryError(f"The query {self.query!r} ends where a word was expected")
        kind, value = self.take()
        if kind == "paren" and value == "(":
            node = self.or_expr()
            if self.peek() != ("paren", ")"):
                raise QueryError(f"A bracket is not closed in {self.query!r}")
            self.take()
            return node
        if kind == "paren":
            raise QueryError(f"A closing bracket has no opening one in {self.query!r}")
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError(f"A quotation mark is not closed in {self.query!r}")
            inner = _term(value[1:-1])
            return inner if isinstance(inner, Phrase) else Phrase((inner,))
        if value in ("AND", "OR") or _NEAR.match(value):
            raise QueryError(f"{value} needs a word on each side in {self.query!r}")
        return _term(value)


def _check_positive(node: Node) -> None:
    """Every part must be something that can be found, not only something absent."""
    if isinstance(node, Not):
        raise QueryError("NOT needs something to search for beside it: 'trust NOT funding'")
    if isinstance(node, Or):
        for item in node.items:
            _check_positive(item)
    if isinstance(node, And):
        positive = [i for i in node.items if not isinstance(i, Not)]
        if not positive:
            raise QueryError("NOT needs something to search for beside it: 'trust NOT funding'")
        for item in positive:
            _check_positive(item)
    if isinstance(node, Near):
        _check_positive(node.left)
        _check_positive(node.right)


def parse_query(query: str) -> Node:
    """Read a text-search query; raise :class:`QueryError` naming the problem."""
    node = _Parser(query).parse()
    _check_positive(node)
    return node
