"""The limit for bench/api_throughput.py: a bare WSGI app that answers each list with one SQL query for the same
page of rows the API returns, encoded as JSON. No framework, no authentication, no pagination links.

Served by gunicorn (`gunicorn bench.raw_api:app`), with DATABASE_URL and BENCH_PARTNER from the environment.
"""

import json
import os

import psycopg

PAGE = 100
QUERIES = {
    "/roles": """
        SELECT r.id, r.title, r.description, p.slug AS pillar, r.seniority, r.employment_type, r.location,
               r.remote_policy, r.currency, r.salary_min, r.salary_max, r.day_rate_min, r.day_rate_max,
               ARRAY(SELECT s.slug FROM roles_role_required_skills rs JOIN roles_skill s ON s.id = rs.skill_id
                     WHERE rs.role_id = r.id ORDER BY s.id) AS required_skills,
               ARRAY(SELECT s.slug FROM roles_role_nice_to_have_skills ns JOIN roles_skill s ON s.id = ns.skill_id
                     WHERE ns.role_id = r.id ORDER BY s.id) AS nice_to_have_skills,
               r.security_clearance, r.headcount, r.status, r.opened_on, r.target_date, r.updated_at
        FROM roles_role r JOIN roles_pillar p ON p.id = r.pillar_id
        WHERE r.status = 'open' AND r.partner_visibility = 'all'
        ORDER BY r.updated_at DESC, r.id DESC LIMIT %(page)s
    """,
    "/submissions": """
        SELECT s.id, s.role_id AS role, r.title AS role_title, s.stage, s.stage_changed_at, s.created_at,
               s.updated_at,
               (SELECT COALESCE(json_agg(json_build_object('from_stage', c.from_stage, 'to_stage', c.to_stage,
                                                           'changed_at', c.changed_at)
                                         ORDER BY c.changed_at, c.id), '[]')
                FROM pipelines_stagechange c WHERE c.submission_id = s.id) AS stage_history
        FROM pipelines_submission s JOIN roles_role r ON r.id = s.role_id
        WHERE s.source_partner_id = (SELECT id FROM clients_partner WHERE name = %(partner)s)
        ORDER BY s.updated_at DESC, s.id DESC LIMIT %(page)s
    """,
    "/candidates": """
        SELECT c.*,
               ARRAY(SELECT pillar_id FROM candidates_candidate_other_pillars WHERE candidate_id = c.id)
                   AS other_pillars,
               ARRAY(SELECT skill_id FROM candidates_candidateskill WHERE candidate_id = c.id) AS skills,
               ARRAY(SELECT client_id FROM candidates_candidate_off_limits_clients WHERE candidate_id = c.id)
                   AS off_limits_clients
        FROM candidates_candidate c ORDER BY c.id DESC LIMIT %(page)s
    """,
}
_connection: psycopg.Connection | None = None


def _cursor() -> psycopg.Cursor:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _connection.cursor()


def app(environ, start_response):
    query = QUERIES.get(environ["PATH_INFO"])
    if query is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b"{}"]
    with _cursor() as cursor:
        cursor.execute(query, {"page": PAGE, "partner": os.environ.get("BENCH_PARTNER", "")})
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    body = json.dumps({"next": None, "previous": None, "results": rows}, default=str).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
