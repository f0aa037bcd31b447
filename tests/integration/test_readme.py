"""The README's Python code blocks run, in order, in a fresh folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 2


@pytest.mark.slow
def test_readme_python_blocks_run(tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__readme__"}
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for i, block in enumerate(_python_blocks()):
            code = compile(block, f"README.md python block {i + 1}", "exec")
            exec(code, namespace)
    finally:
        os.chdir(old)
