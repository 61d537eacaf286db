"""The nine themes of the national liveability and safety research agenda."""

from flask_babel import lazy_gettext as _l

AGENDA_THEMES = {
    "governance": _l("Governance of the integrated area approach"),
    "community": _l("Community development and resident involvement"),
    "professionals": _l("Professionals in the neighbourhood"),
    "health": _l("Healthy in the neighbourhood"),
    "growing_up": _l("Growing up in a safe neighbourhood"),
    "enterprise": _l("Entrepreneurship and talent development"),
    "physical": _l("Physical neighbourhood improvement"),
    "diversity": _l("Diversity"),
    "facilities": _l("Facilities and meeting places"),
}
