"""The `jianfu demo` command on a database without the demo: it loads only into an empty one, never in production."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from jianfu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_if_empty_leaves_a_database_with_data_alone(cast, capsys):
    call_command("demo", "--if-empty")
    assert "not loaded" in capsys.readouterr().out
    assert not Unit.objects.filter(name="北湖区").exists()


def test_demo_refuses_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo")
    assert not Unit.objects.exists()
