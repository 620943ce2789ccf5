"""Fixed vocabularies shared by every layer, importable without loading the database layer."""

from __future__ import annotations

DOCUMENT_KINDS = ("transcript", "fieldnotes", "document")

# What a speaker does in the documents: "exclude interviewer turns" filters by it.
SPEAKER_ROLES = ("interviewer", "participant", "facilitator", "other")
