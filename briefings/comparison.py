"""The comparison briefing: the compare page's councils, theme by theme, as a PDF for analysts and above."""

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_GET

from analysis.compare import RANK_RULE, comparison_from_query
from inspections.cache import cached
from inspections.roles import EXPORT, permission_required

from .document import Briefing, BriefingOptions
from .printing import build_and_print
from .views import _pdf_response


def comparison_briefing(found):
    """A Briefing of an analysis.compare.Comparison with at least two councils. No queries."""
    names = [c.name for c in found.councils]
    title = f"Comparison of {len(names)} councils' Ofsted judgements"
    return Briefing(
        kind="comparison",
        title=title,
        subject=f"Ofsted judgements of {', '.join(names)} side by side, with {found.places}",
        options=BriefingOptions(sections=("comparison",), date_to=found.today),
        template="briefings/comparison_body.html",
        context={"slug": "comparison", "found": found, "rank_rule": RANK_RULE},
        keywords=(*names, "Ofsted", "children's services", "comparison"),
    )


@permission_required(EXPORT)
@require_GET
def comparison_pdf(request):
    """The councils of `?councils=a,b,c` (as on the compare page) as a PDF; 400 naming what is wrong."""
    today = timezone.localdate()

    def build():
        context, errors = comparison_from_query(request.GET, today=today, for_print=True)
        if errors or context["found"] is None:
            return None, errors[0][0] if errors else "Choose at least two councils to compare."
        briefing, pdf = build_and_print(lambda: comparison_briefing(context["found"]))
        return (briefing.filename, pdf), ""

    slugs = ",".join(request.GET.getlist("councils"))  # in order: the first council names the region
    key = (request.GET.get("council", ""), request.GET.get("group", ""), slugs, today)
    built, error = cached("briefing-pdf", build, "comparison", *key, notes=False)
    if built is None:
        return HttpResponseBadRequest(error)
    filename, pdf = built
    return _pdf_response(None, filename, pdf)
