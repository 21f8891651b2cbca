"""A burst of sign-ins: N password checks at once, as when a team signs in at nine o'clock, for Django's default
Argon2 costs and for ours (sonitec/hashers.py).

Usage:
    .venv/bin/python bench/login_burst.py [--logins 20]
Prints, per hasher, its costs, the wall time of the burst and the peak memory it added to the process. Each
hasher runs in a fresh process, so one's peak does not hide the other's. The checks run on threads: argon2-cffi
releases the GIL, so they share the CPU as gunicorn's workers would.
"""

import argparse
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.conf import settings  # noqa: E402

settings.configure()

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402

from sonitec.hashers import LeanArgon2PasswordHasher  # noqa: E402

HASHERS = {"django-default": Argon2PasswordHasher, "sonitec-lean": LeanArgon2PasswordHasher}
PASSWORD = "correct horse battery staple"


def burst(name: str, logins: int) -> str:
    hasher = HASHERS[name]()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=logins) as pool:
        results = list(pool.map(lambda _: hasher.verify(PASSWORD, encoded), range(logins)))
    elapsed = time.perf_counter() - started
    assert all(results)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    costs = f"m={hasher.memory_cost // 1024} MiB t={hasher.time_cost} p={hasher.parallelism}"
    return f"{name:15} {costs:22} {logins} logins in {elapsed:5.2f} s, peak memory +{peak:6.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--only", choices=HASHERS, help=argparse.SUPPRESS)  # one hasher, in this process
    args = parser.parse_args()
    if args.only:
        print(burst(args.only, args.logins))
        return
    for name in HASHERS:
        subprocess.run([sys.executable, __file__, "--only", name, "--logins", str(args.logins)], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
