"""`{{item.field}}` and `{{sample.output_text}}` templates: parsed once, rendered per item.

Only lookups: a reference is a namespace (`item` or `sample`) and a path of keys and list
indexes (`{{item.passages[0].text}}`). Nothing is evaluated, so no template runs code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from tandem.errors import InvalidRequestError

NAMESPACES = ("item", "sample")
_REF = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_\-]*)|\[(\d+)\]")
_WHOLE = re.compile(r"(item|sample)((?:\.[A-Za-z_][A-Za-z0-9_\-]*|\[\d+\])*)")
MAX_DEPTH = 16


class MissingFieldError(LookupError):
    """A reference names a field the item (or sample) does not have."""


@dataclass(frozen=True)
class Reference:
    """`namespace.path...` inside `{{ }}`."""

    namespace: str
    path: tuple[str | int, ...]

    def resolve(self, scope: dict[str, Any]) -> Any:
        """The value the reference names in `scope` ({'item': ..., 'sample': ...})."""
        value: Any = scope.get(self.namespace)
        if value is None:
            raise MissingFieldError(f"there is no {self.namespace} to read {self}")
        for step in self.path:
            found = (isinstance(step, int) and isinstance(value, list) and step < len(value)) or (
                isinstance(step, str) and isinstance(value, dict) and step in value
            )
            if found:
                value = value[step]
            else:
                raise MissingFieldError(f"{{{{{self}}}}} is not in the {self.namespace}")
        return value

    def __str__(self) -> str:
        steps = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in self.path)
        return self.namespace + steps


def parse_reference(text: str, param: str) -> Reference:
    """`item.a.b[0]` as a Reference (a 400 naming `param` if it is not one)."""
    match = _WHOLE.fullmatch(text)
    if match is None:
        raise InvalidRequestError(
            f"template reference '{{{{{text[:80]}}}}}' must be item.<path> or sample.<path> "
            "(names and [n] indexes)",
            param=param,
        )
    path = tuple(name if name else int(index) for name, index in _STEP.findall(match.group(2)))
    if len(path) > MAX_DEPTH:
        raise InvalidRequestError(f"template reference '{text[:80]}' is too deep", param=param)
    return Reference(match.group(1), path)


@dataclass(frozen=True)
class Template:
    """A string with references; `render` fills them, `value` gives a lone reference raw."""

    text: str
    pieces: tuple[str | Reference, ...]

    @classmethod
    def parse(cls, text: str, param: str, max_chars: int) -> Template:
        """Parse once (a 400 naming `param` for a bad reference or an over-long template)."""
        if len(text) > max_chars:
            raise InvalidRequestError(f"templates are at most {max_chars} characters", param=param)
        pieces: list[str | Reference] = []
        position = 0
        for match in _REF.finditer(text):
            if match.start() > position:
                pieces.append(text[position : match.start()])
            pieces.append(parse_reference(match.group(1), param))
            position = match.end()
        if position < len(text):
            pieces.append(text[position:])
        return cls(text, tuple(pieces))

    @property
    def references(self) -> list[Reference]:
        """Every reference in the template."""
        return [p for p in self.pieces if isinstance(p, Reference)]

    def value(self, scope: dict[str, Any]) -> Any:
        """A template that is one reference gives the value itself (a list stays a list)."""
        if len(self.pieces) == 1 and isinstance(self.pieces[0], Reference):
            return self.pieces[0].resolve(scope)
        return self.render(scope)

    def render(self, scope: dict[str, Any], limit: int = 1 << 20) -> str:
        """The text with each reference replaced (non-strings as JSON)."""
        out: list[str] = []
        size = 0
        for piece in self.pieces:
            text = piece if isinstance(piece, str) else as_text(piece.resolve(scope))
            size += len(text)
            if size > limit:
                raise MissingFieldError(f"the rendered template is over {limit} characters")
            out.append(text)
        return "".join(out)


def as_text(value: Any) -> str:
    """How a value reads inside a template."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return orjson.dumps(value).decode()
