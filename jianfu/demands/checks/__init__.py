"""The gate's checks: pure functions from a filing and a rule set to findings."""

from .documents import check_document
from .lists import check_list
from .meetings import check_meeting, meeting_burden_minutes
from .traces import check_trace

__all__ = ["check_document", "check_list", "check_meeting", "check_trace", "meeting_burden_minutes"]
