"""Which JSON schemas llama.cpp's schema-to-grammar converter can enforce.

A schema that passed its meta-schema (checked in `tandem.wire`) may still be beyond the
converter: `$ref` cycles, which it cannot resolve, and keywords it refuses (unanchored
patterns, say). Those are the client's to change, so they are 400s naming the parameter,
found when the request is planned rather than on the model's thread.
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


def local_refs(node: Any) -> set[str]:
    """Every `$ref` string anywhere inside `node` (walked without recursion)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.add(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def resolve(root: Any, ref: str) -> Any:
    """The node a local JSON-pointer `$ref` names, or `_MISSING`."""
    node = root
    pointer = ref[1:]
    if not pointer:
        return node
    for raw in pointer.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def has_ref_cycle(root: Any) -> bool:
    """Whether following local `$ref`s from the root can come back to one of them."""
    edges: dict[str, set[str]] = {}
    pending = list(local_refs(root))
    while pending:
        ref = pending.pop()
        if ref in edges:
            continue
        target = resolve(root, ref)
        edges[ref] = set() if target is _MISSING else local_refs(target)
        pending.extend(edges[ref] - edges.keys())
    # Iterative depth-first search: grey nodes are on the current path.
    state: dict[str, str] = {}
    for start in edges:
        if start in state:
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(edges[start]))]
        state[start] = "grey"
        while stack:
            ref, todo = stack[-1]
            if not todo:
                state[ref] = "black"
                stack.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == "grey":
                return True
            if nxt not in state:
                state[nxt] = "grey"
                stack.append((nxt, sorted(edges.get(nxt, ()))))
    return False


# llama.cpp's converter writes one grammar rule per repetition a bound asks for: a
# `maxLength` of a few thousand crashed the process, and `minLength: 100000000` held the
# model for minutes. Bounds above these are refused; the schema can say less and let
# `max_tokens` limit the length instead.
MAX_REPEAT_BOUND = 256  # items and properties
MAX_LENGTH_BOUND = 128  # characters: each one is a rule of its own
MAX_ENUM = 512
MAX_PATTERN = 512
_BOUNDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")


def oversized(node: Any) -> str | None:
    """The first keyword whose size the grammar could not afford, or None."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        for key in _BOUNDS:
            value = item.get(key)
            limit = MAX_LENGTH_BOUND if key.endswith("Length") else MAX_REPEAT_BOUND
            if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
                return f"{key} {value:g} (at most {limit})"
        enum = item.get("enum")
        if isinstance(enum, list) and len(enum) > MAX_ENUM:
            return f"an enum of {len(enum)} values (at most {MAX_ENUM})"
        pattern = item.get("pattern")
        if isinstance(pattern, str) and len(pattern) > MAX_PATTERN:
            return f"a pattern of {len(pattern)} characters (at most {MAX_PATTERN})"
        stack.extend(item.values())
    return None
