"""Fixed vocabularies shared by every layer, importable without loading the database layer."""

from __future__ import annotations

DOCUMENT_KINDS = ("transcript", "fieldnotes", "document")
