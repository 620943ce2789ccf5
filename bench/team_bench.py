"""Team projects on PostgreSQL: sustained coding throughput with 8 coders, with and without team
roles (row-level security, grants, triggers), and how soon one coder sees another's new segment.

Starts a throwaway PostgreSQL cluster (as ``make test`` does). Each run makes a fresh project
owned by an ordinary (non-superuser) login, then runs 8 coder processes that each code single
segments (one transaction each, as a researcher clicking) for a fixed time:

- *plain*: a shared project as before team roles: every coder connects as the owner and types
  a name;
- *team*: ``team init``, and each coder connects as their own login in the coder role, so every
  insert passes row-level security and the attribution check.

Runs alternate between the two so that load on the machine falls on both alike; the medians
and the overhead of team roles are printed. One coder then codes on a plain and on a team project in
alternating batches, and the server's part of one coding transaction (the same INSERTs sent by
hand) is timed alternately on both: the steadiest measure of what row-level security costs on a
busy machine. Finally it measures the time from one coder's commit until another coder's poll
reports it.

    .venv/bin/python bench/team_bench.py [--coders 8] [--seconds 10] [--runs 3] [--trials 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.team import init_team
from tests.core.team_fixtures import as_login, dsn, superuser_sql
from tests.postgres import create_database, server_bin, throwaway_cluster


def code_for(url: str, index: int, seconds: float) -> int:
    """One coder coding single segments as fast as the server allows; returns how many."""
    project = Project.open(url, coder=f"coder{index}")
    if project.team.enabled:
        assert project.team.role == "coder"
    doc = project.documents.list()[0]
    codes = [c.id for c in project.codes.list()]
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        start = (n * 37 + index * 11) % 3900
        project.segments.add(doc.id, codes[n % len(codes)], start, start + 12)
        n += 1
    project.close()
    return n


def visibility_latency(ann_url: str, bob_url: str, trials: int) -> list[float]:
    """Seconds from Ann's committed segment until Bob's poll reports it (polling every 5 ms)."""
    ann = Project.open(ann_url, coder="Ann")
    bob = Project.open(bob_url, coder="Bob")
    doc = ann.documents.list()[0]
    code = ann.codes.list()[0]
    bob.poll_remote()
    latencies = []
    for n in range(trials):
        ann.segments.add(doc.id, code.id, n, n + 5)
        committed = time.perf_counter()
        while bob.poll_remote() is None:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - committed)
    ann.close()
    bob.close()
    return latencies


def project_for(cluster: str, coders: int, team: bool, run: int) -> list[str]:
    """A fresh project owned by an ordinary login; the URL each coder connects with."""
    url = create_database(cluster)
    owner = f"owner_{url.rsplit('_', 1)[1]}"
    superuser_sql(url, f'CREATE ROLE "{owner}" LOGIN CREATEROLE')
    superuser_sql(url, f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" OWNER TO "{owner}"')
    owner_url = as_login(url, owner)
    with Project.create(owner_url, coder="Lead") as lead:
        lead.documents.add(NewDocument("deep dive", "word " * 800))
        for name in ("Trust", "Leadership", "Funding", "Accountability"):
            lead.codes.add(name)
        if not team:
            return [owner_url] * coders
        init_team(lead)
        logins = [f"c{run}_{i}_{owner[-6:]}" for i in range(coders)]
        for login in logins:
            lead.team.add_member(login, "coder")
    return [as_login(url, login) for login in logins]


def throughput(urls: list[str], seconds: float) -> tuple[list[int], float]:
    """Segments each coder committed in ``seconds``, and the wall time incl. process start."""
    started = time.perf_counter()
    with ProcessPoolExecutor(len(urls), mp_context=get_context("spawn")) as pool:
        counts = list(pool.map(code_for, urls, range(len(urls)), [seconds] * len(urls)))
    return counts, time.perf_counter() - started


def interleaved(plain_url: str, team_url: str, rounds: int, batch: int = 10) -> dict[str, float]:
    """Median milliseconds per coded segment (through the facade) for one coder on each project,
    alternating batches and their order so that the machine's changing load falls on both."""
    projects = {
        "plain": Project.open(plain_url, coder="Ann"),
        "team": Project.open(team_url, coder="Ann"),
    }
    targets = {m: (p.documents.list()[0].id, p.codes.list()[0].id) for m, p in projects.items()}
    per_segment: dict[str, list[float]] = {mode: [] for mode in projects}
    for n in range(rounds):
        for mode in ("plain", "team") if n % 2 else ("team", "plain"):
            doc, code = targets[mode]
            started = time.perf_counter()
            for i in range(batch):
                start = (n * batch + i) * 7 % 3900
                projects[mode].segments.add(doc, code, start, start + 5)
            per_segment[mode].append((time.perf_counter() - started) / batch * 1000)
    for project in projects.values():
        project.close()
    return {mode: statistics.median(times) for mode, times in per_segment.items()}


def server_cost(plain_url: str, team_url: str, transactions: int) -> dict[str, float]:
    """Median milliseconds of the server's part of coding one segment (the facade's INSERT ...
    RETURNING and its log entry, one transaction), alternating between the two projects: the
    cost of row-level security, the attribution check and the log trigger, without the client."""
    conns = {m: psycopg.connect(dsn(u)) for m, u in (("plain", plain_url), ("team", team_url))}
    ids = {}
    for mode, conn in conns.items():
        ids[mode] = conn.execute("SELECT coder_id, document_id, code_id FROM segment").fetchone()
        conn.commit()
    times: dict[str, list[float]] = {mode: [] for mode in conns}
    for n in range(transactions):
        for mode in ("plain", "team") if n % 2 else ("team", "plain"):
            conn, (coder, doc, code) = conns[mode], ids[mode]
            started = time.perf_counter()
            conn.execute(
                'INSERT INTO segment (guid, document_id, code_id, coder_id, start, "end", origin, '
                "created) VALUES (%s, %s, %s, %s, 1, 5, 'manual', '2026') RETURNING *",
                (str(uuid.uuid4()), doc, code, coder),
            )
            conn.execute(
                "INSERT INTO operation (coder_id, label, at, detail) VALUES (%s, 'Code selection', "
                "'2026', '{\"segments\": 1}')",
                (coder,),
            )
            conn.commit()
            times[mode].append((time.perf_counter() - started) * 1000)
    for conn in conns.values():
        conn.close()
    return {mode: statistics.median(t) for mode, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode (medians shown)")
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    if server_bin() is None:
        print("team_bench: PostgreSQL server binaries not installed; skipped")
        return
    rates: dict[str, list[float]] = {"plain": [], "team": []}
    with throwaway_cluster() as cluster:
        for run in range(args.runs):
            for mode in ("plain", "team"):
                urls = project_for(cluster, args.coders, mode == "team", run)
                counts, elapsed = throughput(urls, args.seconds)
                rates[mode].append(sum(counts) / args.seconds)
                print(f"run {run + 1} {mode:5}: {sum(counts) / args.seconds:6.0f} segments/s "
                      f"(per coder {min(counts)}-{max(counts)}; wall {elapsed:.1f} s)")  # fmt: skip
        urls = project_for(cluster, 2, True, args.runs)
        latencies = visibility_latency(urls[0], urls[1], args.trials)
        plain_url = project_for(cluster, 1, False, args.runs + 1)[0]
        single = interleaved(plain_url, urls[0], 40)
        server = server_cost(plain_url, urls[0], 2000)
    plain, team = statistics.median(rates["plain"]), statistics.median(rates["team"])
    print(f"coders: {args.coders}, each coding single segments for {args.seconds:.0f} s, "
          f"{args.runs} runs per mode")  # fmt: skip
    print(f"plain shared project: median {plain:.0f} segments/s")
    print(f"team project (row-level security, grants, triggers; own logins): median {team:.0f} "
          f"segments/s")  # fmt: skip
    print(f"overhead of team roles: {(plain - team) / plain * 100:+.1f} % of throughput")
    for what, cost in (
        ("one coder through the facade (alternating batches)", single),
        ("server's part of one coding transaction (alternating)", server),
    ):
        print(f"{what}: plain {cost['plain']:.3f} ms, team {cost['team']:.3f} ms per segment "
              f"({(cost['team'] - cost['plain']) / cost['plain'] * 100:+.1f} %)")  # fmt: skip
    print(
        f"another coder sees a new segment after: median {statistics.median(latencies) * 1000:.1f}"
        f" ms, max {max(latencies) * 1000:.1f} ms over {len(latencies)} trials "
        "(polling every 5 ms; the GUI polls every 2 s)"
    )


if __name__ == "__main__":
    main()
