from tests.competency_setup import (  # noqa: F401
    finalised,
    foreign_counselor,
    other_counselor,
    principal_draft,
    self_draft,
    semester,
)
