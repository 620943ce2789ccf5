"""Trained suggestion models kept inside the project, with what they were trained on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .manager import Manager
from .model import LearnedModel


@dataclass(frozen=True)
class StoredModel:
    id: int
    method: str
    version: str
    created: str
    trained_on: dict[str, Any]
    data: bytes


class ModelStore(Manager):
    def save(self, method: str, version: str, trained_on: dict[str, Any], data: bytes) -> None:
        """Store a trained model, replacing the previous one of the same method."""
        with self._p.write(f"Train {method} model") as journal:
            journal.delete_where(LearnedModel, LearnedModel.method == method)
            journal.insert(
                LearnedModel,
                [
                    {
                        "method": method,
                        "version": version,
                        "trained_on": json.dumps(trained_on),
                        "data": data,
                    }
                ],
            )

    def latest(self, method: str) -> StoredModel | None:
        with self._p.read() as conn:
            row = (
                conn.execute(
                    select(LearnedModel)
                    .where(LearnedModel.method == method)
                    .order_by(LearnedModel.id.desc())
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        values = dict(row)
        values["trained_on"] = json.loads(values["trained_on"])
        return StoredModel(**values)
