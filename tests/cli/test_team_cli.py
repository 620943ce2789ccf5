"""`collabcoder team ...` on a real PostgreSQL cluster: init, members, roles, blind, proposals."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest

from collabcoder.cli import main
from tests.core.team_fixtures import as_login, superuser_sql
from tests.postgres import create_database


def test_a_lead_runs_a_team_from_the_command_line(
    postgres_cluster: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """init makes an empty database a team project owned by the lead; add-member (with a
    password read from standard input) and roles show who is what; a coder's refused command
    exits 1 with one sentence; a coder's proposal is accepted by the lead; blind start/stop."""
    url = create_database(postgres_cluster)
    tag = uuid.uuid4().hex[:6]
    lead, ann = f"lena_{tag}", f"ann_{tag}"
    superuser_sql(url, f'CREATE ROLE "{lead}" LOGIN CREATEROLE')
    superuser_sql(url, f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" OWNER TO "{lead}"')
    lead_url, ann_url = as_login(url, lead), as_login(url, ann)
    assert main(["--coder", "Lena", "team", "init", lead_url]) == 0
    assert "is a team project" in capsys.readouterr().out
    assert main(["--coder", "Lena", "codebook", "import", lead_url,
                 str(Path(__file__).parents[2] / "collabcoder/io/refi/collaborative-working.qdc")]
                ) == 0  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("a passphrase\n"))
    assert main(["team", "add-member", lead_url, ann, "--role", "coder", "--name", "Ann",
                 "--password"]) == 0  # fmt: skip
    assert f"{ann} is now a coder" in capsys.readouterr().out
    assert main(["team", "roles", ann_url, "--json"]) == 0
    roles = json.loads(capsys.readouterr().out)
    assert roles["you"] == {"login": ann, "role": "coder"} and roles["blind"] is False
    assert {m["login"]: m["role"] for m in roles["members"]} == {lead: "lead", ann: "coder"}

    assert main(["--coder", "Lena", "team", "blind", "start", ann_url]) == 1
    err = capsys.readouterr().err
    assert "only a lead can start or stop a blind round" in err and "Traceback" not in err
    assert main(["team", "propose", ann_url, "Shared risk", "--definition", "Risk pooled",
                 "--reason", "comes up in every deep dive"]) == 0  # fmt: skip
    proposal = int(capsys.readouterr().out.split()[1].rstrip(":"))
    assert main(["team", "accept", ann_url, str(proposal)]) == 1
    assert "only a lead can accept" in capsys.readouterr().err
    assert main(["team", "proposals", lead_url, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["coder"], listed["status"]) == ("Ann", "open")
    assert main(["team", "accept", lead_url, str(proposal)]) == 0
    assert "the codebook now has Shared risk" in capsys.readouterr().out
    assert main(["team", "blind", "start", lead_url]) == 0
    assert main(["agreement", ann_url, "--coders", "Ann,Lena"]) == 1
    assert "agreement report is for the lead" in capsys.readouterr().err
    assert main(["team", "blind", "stop", lead_url]) == 0
    assert main(["team", "roles", lead_url]) == 0
    assert "Blind round: closed" in capsys.readouterr().out


def test_team_commands_on_a_project_file_say_why_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a .ccproj file team commands exit 1 saying it is one laptop, one person."""
    path = str(tmp_path / "p.ccproj")
    assert main(["--coder", "Ann", "new", path]) == 0
    for command in (["team", "init", path], ["team", "roles", path],
                    ["team", "blind", "start", path]):  # fmt: skip
        assert main(command) == 1
        assert "one laptop, one person" in capsys.readouterr().err
