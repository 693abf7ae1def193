"""Django's en formats, with ISO input formats first (see jianfu/formats/__init__.py)."""

from django.conf.locale.en.formats import *  # noqa: F403
from django.conf.locale.en.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS, TIME_INPUT_FORMATS

from jianfu.formats import ISO_DATE, ISO_DATETIME, ISO_TIME, iso_first

DATE_INPUT_FORMATS = iso_first(DATE_INPUT_FORMATS, ISO_DATE)
DATETIME_INPUT_FORMATS = iso_first(DATETIME_INPUT_FORMATS, ISO_DATETIME)
TIME_INPUT_FORMATS = iso_first(TIME_INPUT_FORMATS, ISO_TIME)
