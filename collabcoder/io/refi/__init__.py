"""REFI-QDA exchange: codebooks (.qdc) now, projects (.qdpx) later, and the default codebook."""

from __future__ import annotations

from collabcoder.io.refi.default_codebook import load_default_codebook
from collabcoder.io.refi.qdc import read_qdc, write_qdc

__all__ = ["load_default_codebook", "read_qdc", "write_qdc"]
