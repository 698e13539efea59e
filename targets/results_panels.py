"""Panels a higher layer adds to a rep's results page, named by URL and loaded by htmx.

`targets` cannot import the apps above it, so they register here (in their
`AppConfig.ready`) the name of a URL that takes the rep's `pk` and answers with an HTML
fragment. The page carries only the reversed URLs: what a panel holds is its app's
business, and who may see it is decided again by that app's view.
"""

from django.urls import reverse

from accounts.models import User

_url_names: list[str] = []


def results_panel_register(url_name: str) -> None:
    """Show the fragment at this URL name (it takes `pk`) on every rep's results page."""
    if url_name not in _url_names:
        _url_names.append(url_name)


def results_panel_urls(rep: User) -> list[str]:
    """The registered panels' URLs for one rep, in the order they registered."""
    return [reverse(name, kwargs={"pk": rep.pk}) for name in _url_names]
