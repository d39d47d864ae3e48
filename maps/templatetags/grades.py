"""``{% grade_stylesheet %}``: the link to the grade colours' stylesheet, versioned by the data."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from inspections.cache import data_version

register = template.Library()


@register.simple_tag
def grade_stylesheet():
    """A <link> to the grade tags' colours; its address changes whenever the data does, so it caches for good."""
    return format_html('<link rel="stylesheet" href="{}?v={}">', reverse("maps:grade_css"), data_version())
