"""Tests that need a system package skip without it, and say which package; CI forbids the skip."""

import os

import pytest

# CI sets this so that a missing system package fails the run instead of skipping tests.
NO_SKIP_VARIABLE = "RUANGBK_NO_SKIP"


def skip_or_fail(reason: str, *, whole_module: bool = False) -> None:
    if os.environ.get(NO_SKIP_VARIABLE, "") not in {"", "0"}:
        pytest.fail(f"{reason} ({NO_SKIP_VARIABLE} is set, so this may not be skipped)")
    pytest.skip(reason, allow_module_level=whole_module)
