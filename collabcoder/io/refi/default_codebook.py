"""The study's default codebook, shipped inside the package.

The file lives beside this module (``collaborative-working.qdc``) and is found through
``importlib.resources``, so it works from a source checkout, an installed wheel or a frozen app.
``codebooks/collaborative-working.qdc`` at the repository root is the same file for people and
other tools; a test keeps the two byte-identical.
"""

from __future__ import annotations

from importlib import resources

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.io.refi.qdc import read_qdc

DEFAULT_CODEBOOK_NAME = "collaborative-working.qdc"


def load_default_codebook() -> list[CodeSpec]:
    """The default codebook for new projects, read fresh (callers may change the result)."""
    resource = resources.files("collabcoder.io.refi") / DEFAULT_CODEBOOK_NAME
    with resources.as_file(resource) as path:
        return read_qdc(path)
