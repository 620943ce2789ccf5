"""Caption files from transcription services: WebVTT (.vtt) and SubRip (.srt).

Each cue's speaker comes from a ``<v Speaker>`` voice or a leading ``Speaker:`` (Zoom and Teams
write both). Consecutive cues of one speaker merge into one turn stamped with its first cue's
start, so a transcript reads as paragraphs rather than two-second fragments. Cues without any
speaker stay one turn each, with an empty speaker, so their timestamps are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcoder.core.errors import CorruptFile
from collabcoder.io.formats.decoding import decode_text
from collabcoder.io.parsed import ParsedDocument, TextBuilder
from collabcoder.io.turns import split_speaker


@dataclass(slots=True)
class _Cue:
    speaker: str
    body: list[str]
    timestamp: str
    seconds: float


def read_vtt(path: Path, data: bytes) -> ParsedDocument:
    """A WebVTT file; voices become speakers."""
    return _read(path, data, "vtt")


def read_srt(path: Path, data: bytes) -> ParsedDocument:
    """A SubRip file; each cue (or run of one speaker's cues) becomes a timed turn."""
    return _read(path, data, "srt")


def _read(path: Path, data: bytes, fmt: str) -> ParsedDocument:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    raw, warnings = decode_text(data, path.name)
    try:
        captions = webvtt.from_buffer(io.StringIO(raw), format=fmt).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        kind = "WebVTT" if fmt == "vtt" else "SubRip"
        raise CorruptFile(f"{path.name}: not a valid {kind} file ({exc})") from exc
    builder = TextBuilder()
    for cue in _merged(_cues(captions)):
        builder.add_turn(cue.speaker, " ".join(cue.body), cue.timestamp, cue.seconds)
    return ParsedDocument(builder.text(), builder.turns, warnings=warnings)


def _cues(captions: Iterable[Any]) -> Iterable[_Cue]:
    for caption in captions:
        body = " ".join(caption.text.split())
        if not body:
            continue
        speaker = caption.voice or ""
        if not speaker and (labelled := split_speaker(body)):
            speaker, body = labelled
        start = caption.start_time
        seconds = (
            start.hours * 3600 + start.minutes * 60 + start.seconds + start.milliseconds / 1000
        )
        yield _Cue(" ".join(speaker.split()), [body], caption.start, seconds)


def _merged(cues: Iterable[_Cue]) -> Iterable[_Cue]:
    current: _Cue | None = None
    for cue in cues:
        if current and cue.speaker and cue.speaker == current.speaker:
            current.body.extend(cue.body)
            continue
        if current:
            yield current
        current = cue
    if current:
        yield current
