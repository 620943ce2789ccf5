"""The server side of a team project: PostgreSQL group roles, grants, row-level security, triggers.

Nothing here is enforced by CollabCoder itself: the database refuses, whoever connects and
whatever SQL they send. Three group roles per project database (lead, coder, viewer); each team
member is a login role in one of them.

- GRANTs say which tables a role may write at all: only leads write the codebook, documents,
  cases and project settings; coders write segments, memos, summaries, suggestions and proposals;
  viewers write nothing. Nobody has UPDATE or DELETE on the operation log.
- Row-level security says which rows: a coder inserts only rows attributed to their own coder
  record (the one bound to ``session_user``), and while a blind round is open coders and viewers
  see only their own segments, memos and summaries.
- Triggers refuse, with a sentence, what row-level security alone would skip in silence: changing
  or deleting another coder's rows (an UPDATE whose rows are filtered away reports success). They
  also keep the log append-only even for the tables' owner and stamp each entry with server time.

Functions and triggers name every table with its schema and pin ``search_path`` (``pg_temp``
last), so a temporary table of the same name cannot stand in for ``coder``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

ROLES = ("lead", "coder", "viewer")

# Tables whose rows belong to the coder in ``coder_id``, with the words used in refusals.
OWNED = {"segment": "coding", "memo": "memos", "summary": "summaries"}
# What coders may write besides their own rows (no attribution: machine output, their proposals).
CODER_WRITES = {
    "suggestion": "INSERT, UPDATE, DELETE",
    "learned_model": "INSERT, UPDATE, DELETE",
    "proposal": "INSERT, DELETE",
    "coder": "INSERT",
    "operation": "INSERT",
    # The search index is derived from the text; whoever searches first after a copy builds it.
    "text_unit": "INSERT, UPDATE, DELETE",
    "text_index_state": "INSERT, UPDATE, DELETE",
    "saved_query": "INSERT, UPDATE, DELETE",  # shared, re-runnable by anyone on the team
    "segment_provenance": "INSERT",  # the query behind a coder's own autocoded segment
    # Sets are ways of looking at the material, shared like saved queries.
    "document_set": "INSERT, UPDATE, DELETE",
    "document_set_member": "INSERT, UPDATE, DELETE",  # UPDATE: the journal locks rows it deletes
}
# Written by leads only (the codebook, the material, the project's settings).
LEAD_TABLES = (
    "project_info", "code", "document", "turn", "case_", "attribute", "attribute_value",
    "proposal", "coder", "suggestion", "learned_model", "text_unit", "text_index_state",
    "saved_query", "segment_provenance", "document_set", "document_set_member",
    "speaker", "speaker_alias", "speaker_attribute", "document_heading", *OWNED,
)  # fmt: skip


@dataclass(frozen=True)
class GroupRoles:
    """The three group roles of one project database."""

    lead: str
    coder: str
    viewer: str

    def of(self, role: str) -> str:
        return str(getattr(self, role))


def quote_ident(name: str) -> str:
    """``name`` as a PostgreSQL identifier (DDL cannot take bound parameters)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def group_roles_for(database: str) -> GroupRoles:
    """Role names unique to a database: readable prefix, digest of the exact name, <= 63 bytes."""
    safe = re.sub(r"[^a-z0-9]+", "_", database.lower()).strip("_")[:30]
    digest = hashlib.sha256(database.encode()).hexdigest()[:6]
    return GroupRoles(*(f"cc_{safe}_{digest}_{role}" for role in ROLES))


def _functions(schema: str, roles: GroupRoles) -> list[str]:
    s = quote_ident(schema)
    pinned = f"SET search_path = pg_catalog, {s}, pg_temp"
    # PL/pgSQL, not SQL: PostgreSQL re-plans a non-inlined SQL function at every call.
    return [
        f"""CREATE OR REPLACE FUNCTION {s}.cc_me() RETURNS integer LANGUAGE plpgsql STABLE
        {pinned} AS $$ BEGIN
          RETURN (SELECT id FROM {s}.coder WHERE login = session_user);
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.cc_is_lead() RETURNS boolean LANGUAGE plpgsql STABLE
        {pinned} AS $$ BEGIN
          RETURN pg_has_role(session_user, {quote_literal(roles.lead)}, 'MEMBER')
            OR pg_has_role(session_user, (SELECT relowner FROM pg_class
                           WHERE oid = '{s}.project_info'::regclass), 'MEMBER');
        END $$""",
        # Refuses changes to another coder's rows (RLS would skip them without a word).
        f"""CREATE OR REPLACE FUNCTION {s}.cc_guard_owner() RETURNS trigger LANGUAGE plpgsql
        {pinned} AS $$
        DECLARE me integer := {s}.cc_me();
        BEGIN
          IF {s}.cc_is_lead() THEN RETURN coalesce(NEW, OLD); END IF;
          IF OLD.coder_id IS DISTINCT FROM me THEN
            RAISE EXCEPTION USING ERRCODE = '42501',
              MESSAGE = 'cc: only a lead can change or delete another coder''s ' || TG_ARGV[0];
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          IF NEW.coder_id IS DISTINCT FROM me THEN
            RAISE EXCEPTION USING ERRCODE = '42501',
              MESSAGE = 'cc: only a lead can give ' || TG_ARGV[0] || ' to another coder';
          END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.cc_log_append_only() RETURNS trigger LANGUAGE plpgsql
        {pinned} AS $$
        BEGIN
          RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = 'cc: the operation log is append-only; no one can change or delete it';
        END $$""",
        # No pinned search_path: it names no table, and pg_temp never holds functions.
        f"""CREATE OR REPLACE FUNCTION {s}.cc_log_stamp() RETURNS trigger LANGUAGE plpgsql
        AS $$
        BEGIN
          NEW.at := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
          RETURN NEW;
        END $$""",
    ]


def _grants(schema: str, database: str, roles: GroupRoles) -> list[str]:
    s = quote_ident(schema)
    lead, coder, viewer = (quote_ident(r) for r in (roles.lead, roles.coder, roles.viewer))
    everyone = f"{lead}, {coder}, {viewer}"
    statements = [
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {everyone}",
        # Members create nothing beside the project's tables (no look-alike tables or functions).
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {s} TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {lead}, {coder}",
        # Leads manage coders and viewers (existing logins) without needing CREATEROLE.
        f"GRANT {coder}, {viewer} TO {lead} WITH ADMIN OPTION",
        f"GRANT INSERT ON {s}.operation TO {lead}, {coder}",
    ]
    for table in LEAD_TABLES:
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {s}.{quote_ident(table)} TO {lead}")
    for table in OWNED:
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {s}.{quote_ident(table)} TO {coder}")
    for table, privileges in CODER_WRITES.items():
        statements.append(f"GRANT {privileges} ON {s}.{quote_ident(table)} TO {coder}")
    return statements


def _policies(schema: str, roles: GroupRoles) -> list[str]:
    s = quote_ident(schema)
    lead, coder, viewer = (quote_ident(r) for r in (roles.lead, roles.coder, roles.viewer))
    # Inline subqueries, not function calls: a policy is stored parsed (tables bound by OID, so
    # no search_path can redirect them) and each becomes one InitPlan of the cached statement.
    me = f"(SELECT id FROM {s}.coder WHERE login = session_user)"
    blind = f"(SELECT value = 'on' FROM {s}.project_info WHERE key = 'team.blind')"
    mine = f"coder_id = {me}"
    visible = f"(coalesce(NOT {blind}, true) OR {mine})"
    statements: list[str] = []

    def policy(table: str, name: str, rule: str) -> None:
        statements.append(f"DROP POLICY IF EXISTS {name} ON {s}.{table}")
        statements.append(f"CREATE POLICY {name} ON {s}.{table} {rule}")

    for table in OWNED:
        statements.append(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        policy(table, "cc_lead", f"TO {lead} USING (true) WITH CHECK (true)")
        policy(table, "cc_read", f"FOR SELECT TO {coder}, {viewer} USING {visible}")
        policy(table, "cc_add_own", f"FOR INSERT TO {coder} WITH CHECK ({mine})")
        # Others' visible rows reach the trigger, which refuses them with a sentence.
        policy(table, "cc_change", f"FOR UPDATE TO {coder} USING {visible} WITH CHECK ({mine})")
        policy(table, "cc_delete", f"FOR DELETE TO {coder} USING {visible}")
        statements.append(f"DROP TRIGGER IF EXISTS cc_guard_owner ON {s}.{table}")
        statements.append(
            f"CREATE TRIGGER cc_guard_owner BEFORE UPDATE OR DELETE ON {s}.{table} FOR EACH ROW "
            f"EXECUTE FUNCTION {s}.cc_guard_owner({quote_literal(OWNED[table])})"
        )
    # A member joins as their own login under their login's name; leads name and bind members.
    statements.append(f"ALTER TABLE {s}.coder ENABLE ROW LEVEL SECURITY")
    policy("coder", "cc_read", "FOR SELECT USING (true)")
    policy("coder", "cc_lead", f"TO {lead} USING (true) WITH CHECK (true)")
    policy(
        "coder", "cc_join",
        f"FOR INSERT TO {coder} WITH CHECK (login = session_user AND name = session_user)",
    )  # fmt: skip
    statements.append(f"ALTER TABLE {s}.proposal ENABLE ROW LEVEL SECURITY")
    policy("proposal", "cc_read", "FOR SELECT USING (true)")
    policy("proposal", "cc_lead", f"TO {lead} USING (true) WITH CHECK (true)")
    policy(
        "proposal", "cc_propose",
        f"FOR INSERT TO {coder} WITH CHECK ({mine} AND status = 'open' AND decided_by IS NULL)",
    )  # fmt: skip
    # Withdrawing one's own open proposal (undoing "Propose") is allowed; decided ones stay.
    policy("proposal", "cc_withdraw", f"FOR DELETE TO {coder} USING ({mine} AND status = 'open')")
    # The log: forced, so the owner too writes entries only as their own coder.
    statements.append(f"ALTER TABLE {s}.operation ENABLE ROW LEVEL SECURITY")
    statements.append(f"ALTER TABLE {s}.operation FORCE ROW LEVEL SECURITY")
    policy("operation", "cc_read", "FOR SELECT USING (true)")
    policy("operation", "cc_append", f"FOR INSERT WITH CHECK ({mine})")
    # Only the owner holds UPDATE/DELETE; these let its attempts reach the refusing trigger
    # rather than match no rows in silence.
    policy("operation", "cc_refuse_update", "FOR UPDATE USING (true)")
    policy("operation", "cc_refuse_delete", "FOR DELETE USING (true)")
    for name, timing, function in (
        ("cc_append_only", "BEFORE UPDATE OR DELETE", "cc_log_append_only"),
        ("cc_stamp", "BEFORE INSERT", "cc_log_stamp"),
    ):
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {s}.operation")
        statements.append(
            f"CREATE TRIGGER {name} {timing} ON {s}.operation FOR EACH ROW "
            f"EXECUTE FUNCTION {s}.{function}()"
        )
    statements.append(f"DROP TRIGGER IF EXISTS cc_no_truncate ON {s}.operation")
    statements.append(
        f"CREATE TRIGGER cc_no_truncate BEFORE TRUNCATE ON {s}.operation "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {s}.cc_log_append_only()"
    )
    return statements


def install(conn: Connection, roles: GroupRoles) -> None:
    """Create the group roles if missing and (re)install every grant, policy and trigger.

    Runs in the caller's transaction (PostgreSQL DDL is transactional, role creation included),
    so a refusal half-way leaves the project as it was. Re-running it is harmless, and needed
    after a migration adds a table.
    """
    schema = str(conn.scalar(text("SELECT current_schema()")))
    database = str(conn.scalar(text("SELECT current_database()")))
    existing = set(
        conn.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": [roles.of(r) for r in ROLES]},
        )
    )
    for role in ROLES:
        if roles.of(role) not in existing:
            conn.exec_driver_sql(f"CREATE ROLE {quote_ident(roles.of(role))} NOLOGIN")
    for statement in [
        *_functions(schema, roles),
        *_grants(schema, database, roles),
        *_policies(schema, roles),
    ]:
        conn.exec_driver_sql(statement)
