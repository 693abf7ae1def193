"""Template filters shared by the pages."""

from django import template

register = template.Library()


@register.filter
def signed_percent(value) -> str:
    """+5.0% / −45.7% (a true minus sign) / — when there is nothing to compare with."""
    if value is None or value == "":
        return "—"
    number = float(value)
    if number > 0:
        return f"+{number:.1f}%"
    if number < 0:
        return f"\u2212{abs(number):.1f}%"
    return "0.0%"
