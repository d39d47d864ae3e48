"""The sign-in page (throttled) and each user's account page: API tokens and feed addresses."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inspections.views.errors import too_many_requests

from . import throttle, tokens
from .forms import ApiTokenForm
from .models import ApiToken


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """Django's sign-in, with the password check inside accounts.throttle (429 without hashing)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        try:
            with throttle.password_check(request):
                return super().post(request, *args, **kwargs)
        except throttle.SignInThrottled as exc:
            return too_many_requests(request, retry_after=exc.retry_after, reason="sign_in")


@never_cache
@require_http_methods(["GET", "POST"])
def account(request):
    """Your account: API tokens (create, shown once; revoke) and your feed addresses (reset)."""
    created = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = tokens.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            created = (token, raw)
            form = ApiTokenForm()
    live = ApiToken.objects.live().filter(user=request.user)
    response = render(
        request,
        "accounts/account.html",
        {"form": form, "tokens": live, "created": created},
    )
    # never_cache: the new token is on this page once, and in no cache on the way
    return response


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.live(), pk=pk, user=request.user)
    tokens.api_token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” has been revoked: it no longer opens anything.")
    return redirect("accounts:account")


@require_POST
def feed_addresses_reset(request):
    tokens.feed_key_reset(user=request.user)
    messages.success(request, "Your old feed addresses no longer work. Copy your new address into your feed reader.")
    return redirect("accounts:account")
