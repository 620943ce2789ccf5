"""Exceptions raised by CollabCoder's core and edges.

Each one carries a message a researcher can read; the CLI prints it as one line and the GUI shows
it in a dialog. Name the file and the problem.
"""

from __future__ import annotations


class CollabCoderError(Exception):
    """Base of every error CollabCoder reports to a user."""


class ProjectError(CollabCoderError):
    """A project location cannot be used as given."""


class ProjectNotFound(ProjectError):
    """No project exists at the location."""


class ProjectExists(ProjectError):
    """A new project would overwrite an existing file."""


class NotAProject(ProjectError):
    """The file exists but is not a CollabCoder project (corrupt, or another kind of file)."""


class ProjectTooNew(ProjectError):
    """The project was written by a newer CollabCoder whose schema this version does not know."""


class ImportFailed(CollabCoderError):
    """A file could not be imported; the project is unchanged."""


class UnsupportedFormat(ImportFailed):
    """The file's type is not one CollabCoder reads."""


class CorruptFile(ImportFailed):
    """The file is damaged, or is not what its extension says."""


class EmptyFile(ImportFailed):
    """The file holds no text."""


class FileTooLarge(ImportFailed):
    """The file is larger than CollabCoder will read in one go."""


class EncryptedFile(ImportFailed):
    """The file is password-protected."""


class NoTextLayer(ImportFailed):
    """A PDF holds only images (a scan), so there is no text to code."""


class UnsafeFile(ImportFailed):
    """The file tries something hostile (entity expansion, paths escaping a folder, zip bomb)."""


class NotFound(CollabCoderError):
    """A named thing (code, case, coder, document) does not exist in the project."""


class InvalidValue(CollabCoderError):
    """A value is not acceptable (wrong type for an attribute, bad colour, empty name...)."""


class Conflict(CollabCoderError):
    """Someone else changed the same thing since it was read; nothing was overwritten."""


class NothingToUndo(CollabCoderError):
    """Undo or redo was asked for with an empty stack."""


class Cancelled(CollabCoderError):
    """Long work was cancelled by the user; whatever was committed before stays whole."""


class ProjectReadOnly(ProjectError):
    """The project was opened read-only (or lives where it cannot be written); nothing changed."""


class ProjectDamaged(ProjectError):
    """The project fails its integrity check; writes are refused until it is repaired."""


class ProjectInUse(ProjectError):
    """Someone else has the project open for writing (see ``core.presence``)."""


class StorageFailed(CollabCoderError):
    """The database refused or failed a write (disk full, locked too long, a constraint)."""


class NoSpaceLeft(StorageFailed):
    """The disk is full; the file being written was left as it was."""
