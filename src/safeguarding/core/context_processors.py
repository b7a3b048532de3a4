from safeguarding.core import disclosure
from safeguarding.core.capabilities import capabilities_for

# The small-number wording for templates, made from core/disclosure.py's THRESHOLD.
DISCLOSURE_TEXT = {"hidden_text": disclosure.HIDDEN_TEXT,
                   "small_range": disclosure.SMALL_RANGE_TEXT}


# The areas always in the service navigation, when the person may open them; every other area
# (each module's) is listed on the home page, and joins the navigation while it is open, so
# the bar stays one line however many modules a partnership installs.
IN_NAVIGATION = ("children", "child-deaths", "dashboard", "reviews", "data-imports", "reports")


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"navigation": [], "disclosure": DISCLOSURE_TEXT}
    items = [{"label": "Home", "url": "/", "key": "home"}] + capabilities_for(user)
    path = request.path
    for item in items:
        item["active"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    shown = [i for i in items if i["key"] == "home" or i["key"] in IN_NAVIGATION or i["active"]]
    if len(shown) < len(items):
        shown.append({"label": "All areas", "url": "/#areas", "key": "areas", "active": False})
    return {"navigation": shown, "disclosure": DISCLOSURE_TEXT}
