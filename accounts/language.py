"""The footer's language switcher."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.services import user_update


@require_POST
def language_switch(request):
    """Django's `set_language`; for a signed-in person the choice also becomes their
    profile's language, which `UserLanguageMiddleware` serves on every page (without
    this, the profile's language won and the switcher did nothing after signing in)."""
    language = request.POST.get("language", "")
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and language != user.language
    ):
        user_update(user=user, by=user, language=language)
    return set_language(request)
