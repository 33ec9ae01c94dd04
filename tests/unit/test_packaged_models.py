"""Models shipped inside packages, by name: where each lies, how a chunked one is assembled,
the error that names the extra to install, and Gemma's chat template (its GGUF has none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from pydantic import ValidationError

from tandem.backends.base import BackendContext
from tandem.backends.llamacpp import LlamaCppBackend, LlamaCppOptions, packaged_model_path
from tandem.backends.packaged_models import (
    GEMMA3_TEMPLATE,
    PackagedModel,
    PackageMissingError,
    packaged,
)

FAKE_ASSEMBLER = """
from pathlib import Path

def assemble(output_path):
    target = Path(output_path)
    target.write_bytes(b"GGUF" + b"part" * 4)
    return target
"""


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(LookupError, match="gemma3-270m, smollm2"):
        packaged("llama-70b")


def test_model_path_and_packaged_are_exclusive() -> None:
    with pytest.raises(ValidationError, match="not both"):
        LlamaCppOptions(model_path=Path("/m.gguf"), packaged="gemma3-270m")
    with pytest.raises(ValidationError):
        LlamaCppOptions.model_validate({"packaged": "llama-70b"})


def test_the_default_is_still_the_smollm2_in_its_package(tmp_path: Path) -> None:
    backend = LlamaCppBackend(LlamaCppOptions(), BackendContext(data_dir=tmp_path))
    assert backend.model_path == packaged_model_path()
    named = LlamaCppBackend(LlamaCppOptions(packaged="smollm2"), BackendContext(data_dir=tmp_path))
    assert named.model_path == packaged_model_path()


def test_a_chunked_model_lies_in_the_data_directory_before_it_is_assembled(
    tmp_path: Path,
) -> None:
    backend = LlamaCppBackend(
        LlamaCppOptions(packaged="gemma3-270m"), BackendContext(data_dir=tmp_path)
    )
    assert backend.model_path == tmp_path / "models" / "gemma-3-270m-q4_k_m.gguf"
    assert backend.label == "llamacpp:gemma-3-270m-q4_k_m.gguf"
    assert not backend.model_path.exists()  # nothing is written until start()


def test_a_missing_package_names_the_extra_that_installs_it(tmp_path: Path) -> None:
    model = PackagedModel(
        name="gone",
        module="tandem_test_no_such_package",
        distribution="gone-gguf",
        filename="gone.gguf",
        assembled=True,
        extra="gone",
    )
    with pytest.raises(PackageMissingError, match=r"pip install 'tandem\[gone\]'"):
        model.ensure(tmp_path)


def test_a_chunked_model_is_assembled_by_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkgs").mkdir()
    (tmp_path / "pkgs" / "tandem_test_chunked.py").write_text(FAKE_ASSEMBLER)
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    model = PackagedModel(
        name="chunked",
        module="tandem_test_chunked",
        distribution="chunked-gguf",
        filename="chunked.gguf",
        assembled=True,
    )
    path = model.ensure(tmp_path / "data")
    assert path == tmp_path / "data" / "models" / "chunked.gguf"
    assert path.read_bytes().startswith(b"GGUF")


def test_gemmas_template_opens_the_first_user_turn_with_the_system_message() -> None:
    formatter = Jinja2ChatFormatter(template=GEMMA3_TEMPLATE, eos_token="<eos>", bos_token="<bos>")
    rendered = formatter(
        messages=[
            {"role": "system", "content": "Fill in the plan."},
            {"role": "user", "content": "total sales"},
            {"role": "assistant", "content": "{}"},
            {"role": "user", "content": "Fix it."},
        ]
    )
    assert rendered.prompt == (
        "<bos><start_of_turn>user\nFill in the plan.\n\ntotal sales<end_of_turn>\n"
        "<start_of_turn>model\n{}<end_of_turn>\n"
        "<start_of_turn>user\nFix it.<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
