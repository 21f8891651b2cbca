"""docker-compose.yml cannot run here (no Docker engine), so check it parses and matches the settings."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_compose_runs_web_worker_and_beat_on_postgres_and_redis():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DEBUG"] == "false"
        assert "SECRET_KEY" in env
    assert "celery -A sonitec worker" in services["worker"]["command"]
    assert "celery -A sonitec beat" in services["beat"]["command"]
