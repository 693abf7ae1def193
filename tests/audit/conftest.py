import pytest


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings, tmp_path):
    """Each test keeps its checkpoints in a file of its own; the database is rolled back between tests."""
    settings.JIANFU_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    return settings.JIANFU_AUDIT_CHECKPOINT_FILE
