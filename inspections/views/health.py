"""The load balancer's health check."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .. import probes

# The load balancer's own timeout is usually 2 s or more: answer well within it, whatever hangs.
TIMEOUT_SECONDS = 1.5


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the shared cache both answer within TIMEOUT_SECONDS; else 503,
    saying which did not ("unreachable" when it failed, "timed out" when it hung). No login, no data."""
    checks = probes.health(TIMEOUT_SECONDS)
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503)
