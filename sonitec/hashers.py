"""Password hashing: Argon2id with a memory cost a burst of sign-ins on a small server can take.

Django's default Argon2 costs 100 MiB per hash (memory_cost=102400 KiB, parallelism=8): twenty people signing in
at once ask for 2 GiB. These are OWASP's recommended minimum (19 MiB, two passes, one lane); the measured burst is
in docs/deployment.md (`bench/login_burst.py`). The algorithm name stays "argon2", so hashes made with Django's
costs still verify, and Django re-hashes them with these costs at the next sign-in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LeanArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
