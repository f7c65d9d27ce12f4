from tests.competency_setup import foreign_counselor, other_counselor  # noqa: F401
