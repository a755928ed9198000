"""examples/tune_cvae.py runs in its quick form and prints its tables."""

import pytest

pytest.importorskip("matplotlib")


pytestmark = pytest.mark.slow


def test_tune_cvae(tmp_path, run_example):
    stdout, _ = run_example("tune_cvae.py", tmp_path)
    assert "GridSearchCV over the held-out region" in stdout
    assert stdout.count("  {'beta'") == 4  # the 2 x 2 grid
    assert "best: {'beta'" in stdout
    for name in ("default", "tuned"):
        line = next(row for row in stdout.splitlines() if row.startswith(name))
        assert all(f"{region} " in line for region in "ABC")
