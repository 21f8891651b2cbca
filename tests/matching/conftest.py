from tests.search.conftest import client_company, people, role  # noqa: F401  (shared fixtures)
