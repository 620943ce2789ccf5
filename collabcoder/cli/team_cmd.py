"""Team commands: push a local project to a shared database, pull an offline copy, and manage a
team project's members, roles, blind rounds and codebook proposals (``collabcoder team ...``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import ProgressBar, coder_name, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    push = sub.add_parser(
        "push",
        help="copy a local project into a team database (or merge it into the team project)",
    )
    push.add_argument("project", help="the local .ccproj file")
    push.add_argument("url", help="postgresql+psycopg://user@host/dbname")
    push.add_argument("--json", action="store_true", help="print what was added as JSON")
    push.set_defaults(func=run_push)

    pull = sub.add_parser(
        "pull", help="make an offline copy of a team project (or merge team changes into one)"
    )
    pull.add_argument("url", help="postgresql+psycopg://user@host/dbname")
    pull.add_argument("project", help="the local .ccproj file")
    pull.add_argument("--json", action="store_true", help="print what was added as JSON")
    pull.set_defaults(func=run_pull)
    register_team(sub)


def _transfer(source: str, target: str, args: argparse.Namespace) -> int:
    """Copy when the target holds no project; merge by GUID when it holds the same project."""
    from collabcoder.core.errors import NotAProject, ProjectNotFound
    from collabcoder.core.project import Project
    from collabcoder.core.storage import is_url
    from collabcoder.core.transfer import copy_project, merge_project

    from .common import open_location

    coder = coder_name(args)
    with open_location(source, coder, read_only=True) as origin:
        try:
            destination = Project.open(target, coder=coder)
        except (ProjectNotFound, NotAProject):
            if not is_url(target) and Path(target).exists():
                raise
            copy_project(origin, target, progress=ProgressBar("Copying"))
            print(f"Copied {origin.location} to {target}.")
            return 0
        with destination:
            if destination.guid != origin.guid:
                raise NotAProject(
                    f"{destination.location}: holds a different project "
                    f"({destination.name!r}); nothing was changed"
                )
            report = merge_project(origin, destination, progress=ProgressBar("Merging"))
    if args.json:
        print_json({"added": report.added, "conflicts": report.conflicts})
    else:
        added = ", ".join(f"{n} {kind}" for kind, n in report.added.items()) or "nothing new"
        print(f"Merged into {target}: {added}.")
        for conflict in report.conflicts:
            print(f"  kept the existing version: {conflict}")
    return 0


def run_push(args: argparse.Namespace) -> int:
    return _transfer(args.project, args.url, args)


def run_pull(args: argparse.Namespace) -> int:
    return _transfer(args.url, args.project, args)


# -- team roles: `collabcoder team ACTION URL ...` -----------------------------------------------
ROLE_CHOICES = ("lead", "coder", "viewer")


def register_team(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    team = sub.add_parser(
        "team",
        help="team projects on PostgreSQL: members and roles, blind rounds, codebook proposals",
        description="On a team project each member connects as their own PostgreSQL login; the "
        "server decides what their role (lead, coder, viewer) may do, and their work is "
        "attributed to that login. A .ccproj file keeps typed names: one laptop, one person.",
    )
    actions = team.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    url = "postgresql+psycopg://user@host/dbname (sslmode=... and friends honoured)"

    init = actions.add_parser("init", help="make the project at URL a team project (or create it)")
    init.add_argument("url", help=url)
    init.set_defaults(func=run_init)

    add = actions.add_parser("add-member", help="give a login a role (creating the login if new)")
    add.add_argument("url", help=url)
    add.add_argument("login", help="the member's PostgreSQL login name")
    add.add_argument("--role", choices=ROLE_CHOICES, default="coder")
    add.add_argument("--name", help="the coder name shown on their work (default: the login)")
    add.add_argument(
        "--password",
        action="store_true",
        help="set a password for a new login: asked for on a terminal, else read from one line "
        "of standard input; sent to the server only as a SCRAM verifier, never stored",
    )
    add.set_defaults(func=run_add_member)

    remove = actions.add_parser("remove-member", help="take a login out of the team")
    remove.add_argument("url", help=url)
    remove.add_argument("login")
    remove.set_defaults(func=run_remove_member)

    roles = actions.add_parser("roles", help="list the members, their roles and the blind round")
    roles.add_argument("url", help=url)
    roles.add_argument("--json", action="store_true")
    roles.set_defaults(func=run_roles)

    blind = actions.add_parser("blind", help="start or stop a blind coding round (leads)")
    blind.add_argument("switch", choices=("start", "stop"))
    blind.add_argument("url", help=url)
    blind.set_defaults(func=run_blind)

    propose = actions.add_parser(
        "propose", help="propose a new code, or (--code) a change to one, for a lead to accept"
    )
    propose.add_argument("url", help=url)
    propose.add_argument("name", nargs="?", help="the new code's name (or the new name, --code)")
    propose.add_argument("--code", help="path of the code to change (Parent/Child)")
    propose.add_argument("--parent", help="path of the new code's parent")
    propose.add_argument("--definition")
    propose.add_argument("--inclusion")
    propose.add_argument("--exclusion")
    propose.add_argument("--example")
    propose.add_argument("--reason", default="", help="why, for the lead")
    propose.set_defaults(func=run_propose)

    proposals = actions.add_parser("proposals", help="list codebook proposals (open ones)")
    proposals.add_argument("url", help=url)
    proposals.add_argument("--all", action="store_true", help="decided ones too")
    proposals.add_argument("--json", action="store_true")
    proposals.set_defaults(func=run_proposals)

    for verb in ("accept", "reject"):
        decide = actions.add_parser(verb, help=f"{verb} a codebook proposal (leads)")
        decide.add_argument("url", help=url)
        decide.add_argument("id", type=int)
        decide.set_defaults(func=run_decide, verb=verb)


def run_init(args: argparse.Namespace) -> int:
    from collabcoder.core.errors import NotAProject
    from collabcoder.core.project import Project
    from collabcoder.core.storage import is_url
    from collabcoder.core.team import init_team

    from .common import open_location

    try:
        project = open_location(args.url, coder_name(args))
    except NotAProject:
        if not is_url(args.url):
            raise
        project = Project.create(args.url, coder=coder_name(args))  # an empty database
    with project:
        roles = init_team(project)
        login = project.team.login
        print(f"{project.location} is a team project: group roles {roles.lead}, {roles.coder}, "
              f"{roles.viewer}.")  # fmt: skip
        print(f"You ({login}) own it and are its lead. Work is attributed to database logins.")
        print(f"Add members: collabcoder team add-member {project.location} LOGIN --role coder")
    return 0


def _read_password(login: str) -> str:
    import getpass
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"Password for the new login {login}: ")
    if first != getpass.getpass("Again: "):
        from collabcoder.core.errors import InvalidValue

        raise InvalidValue("The two passwords differ; nothing was changed.")
    return first


def run_add_member(args: argparse.Namespace) -> int:
    from .common import open_location

    password = _read_password(args.login) if args.password else None
    with open_location(args.url, coder_name(args)) as project:
        member = project.team.add_member(args.login, args.role, name=args.name, password=password)
    print(f"{member.login} is now a {member.role} of {project.location}, working as "
          f"{member.coder!r}.")  # fmt: skip
    return 0


def run_remove_member(args: argparse.Namespace) -> int:
    from .common import open_location

    with open_location(args.url, coder_name(args)) as project:
        project.team.remove_member(args.login)
    print(f"{args.login} is no longer a member; their attributed work stays.")
    return 0


def run_roles(args: argparse.Namespace) -> int:
    from .common import open_location, print_table

    with open_location(args.url, coder_name(args), read_only=True) as project:
        members = project.team.members()
        me, role, blind = project.team.login, project.team.role, project.team.blind
    if args.json:
        print_json({
            "you": {"login": me, "role": role},
            "blind": blind,
            "members": [{"login": m.login, "role": m.role, "coder": m.coder, "owner": m.owner}
                        for m in members],
        })  # fmt: skip
        return 0
    rows = [[m.login, m.coder or "(not yet written)", m.role + (" (owner)" if m.owner else "")]
            for m in members]  # fmt: skip
    print_table(["login", "coder name", "role"], rows)
    print(
        f"\nYou are {me} ({role or 'not a member'}). Blind round: {'open' if blind else 'closed'}."
    )
    return 0


def run_blind(args: argparse.Namespace) -> int:
    from .common import open_location

    with open_location(args.url, coder_name(args)) as project:
        if args.switch == "start":
            project.team.start_blind()
            print("Blind round open: each coder now sees only their own coding.")
        else:
            project.team.stop_blind()
            print("Blind round closed: everyone sees all coding again.")
    return 0


def run_propose(args: argparse.Namespace) -> int:
    from collabcoder.core.errors import InvalidValue

    from .common import open_location

    fields = {k: getattr(args, k) for k in ("definition", "inclusion", "exclusion", "example")}
    fields = {k: v for k, v in fields.items() if v is not None}
    with open_location(args.url, coder_name(args)) as project:
        if args.code:
            if args.name:
                fields["name"] = args.name
            code = project.codes.by_path(args.code)
            proposal = project.proposals.propose_change(code.id, args.reason, **fields)
        elif args.name:
            parent = project.codes.by_path(args.parent).id if args.parent else None
            proposal = project.proposals.propose_code(args.name, parent, args.reason, **fields)
        else:
            raise InvalidValue("Name the new code, or give --code PATH for a change.")
        print(f"Proposal {proposal.id}: {project.proposals.describe(proposal)}; a lead decides.")
    return 0


def run_proposals(args: argparse.Namespace) -> int:
    from .common import open_location, print_table

    with open_location(args.url, coder_name(args), read_only=True) as project:
        found = project.proposals.list(status=None if args.all else "open")
        names = {c.id: c.name for c in project.coders.list()}
        rows = [[p.id, p.status, names.get(p.coder_id, "?"), project.proposals.describe(p),
                 p.reason] for p in found]  # fmt: skip
    if args.json:
        header = ("id", "status", "coder", "change", "reason")
        print_json([dict(zip(header, row, strict=True)) for row in rows])
    elif rows:
        print_table(["id", "status", "by", "change", "reason"], rows)
    else:
        print("No open proposals.")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    from .common import open_location

    with open_location(args.url, coder_name(args)) as project:
        if args.verb == "accept":
            code = project.proposals.accept(args.id)
            print(
                f"Accepted proposal {args.id}: the codebook now has {project.codes.path(code.id)}."
            )
        else:
            project.proposals.reject(args.id)
            print(f"Rejected proposal {args.id}; the codebook is unchanged.")
    return 0
