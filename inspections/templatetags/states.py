"""`{% load states %}`: the words for non-grade states (inspections.states) in templates, so no
template writes them out itself."""

from django import template
from django.utils.html import format_html

from ..states import BY_KEY

register = template.Library()


@register.simple_tag
def state_label(key):
    """The short label of a state: {% state_label "not_judged" %} → Not judged."""
    return BY_KEY[key].label


@register.simple_tag
def state_tag(key, detail=""):
    """A state as the greyed tag pages show in place of a grade; `detail` is said after it, visibly."""
    state = BY_KEY[key]
    if detail:
        return format_html('<span class="app-grade app-grade--none">{}: {}</span>', state.label, detail)
    return format_html('<span class="app-grade app-grade--none">{}</span>', state.label)
