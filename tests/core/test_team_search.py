"""Search on a team project: the retrieval tools work for a coder under the team's grants."""

from __future__ import annotations

from collabcoder.core.search_saved import save_query, saved_queries
from tests.core.team_fixtures import Team, superuser_sql, team

__all__ = ["team"]


def test_a_coder_searches_autocodes_and_saves_a_query(team: Team) -> None:
    """With the index dropped (as after a copy), a coder's first search rebuilds it; autocoding
    the hits is attributed to the coder and keeps its query; a saved query is shared."""
    superuser_sql(team.url, "DELETE FROM text_unit")
    superuser_sql(team.url, "DELETE FROM text_index_state")
    ann = team.open(team.ann)
    result = ann.search.run("funding")
    assert [ann.documents.text(h.document_id)[h.start : h.end] for h in result.hits] == ["Funding"]
    spans = ann.search.preview_autocode(result.hits)
    funding = ann.codes.by_path("Funding")
    ann.search.autocode(spans, funding.id, "search 'funding'")
    coded = [s for s in ann.segments.list() if s.code_id == funding.id]
    assert [s.coder_id for s in coded] == [ann.coder.id]
    save_query(ann, "money", "text", {"query": "funding"})
    lead = team.open(team.lead)
    assert [q.name for q in saved_queries(lead)] == ["money"]
