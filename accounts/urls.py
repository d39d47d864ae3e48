"""URLs of each user's account page."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("feed/reset/", views.feed_addresses_reset, name="feed_addresses_reset"),
]
