"""``{% grade_stylesheet %}``: the link to the grade colours' stylesheet, versioned by the data."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from inspections.cache import data_version

register = template.Library()


@register.simple_tag
def grade_stylesheet():
    """A <link> to the grade tags' colours; its address changes whenever the data does, so it caches for good.

    The error pages use this layout too: if the shared cache cannot say the data version, the
    link goes without one (and the stylesheet is then revalidated on each use).
    """
    try:
        version = data_version()
    except Exception:  # noqa: BLE001  (an outage must not stop the 500/503 page rendering)
        return format_html('<link rel="stylesheet" href="{}">', reverse("maps:grade_css"))
    return format_html('<link rel="stylesheet" href="{}?v={}">', reverse("maps:grade_css"), version)
