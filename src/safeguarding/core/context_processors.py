from safeguarding.core import disclosure
from safeguarding.core.capabilities import capabilities_for

# The small-number wording for templates, made from core/disclosure.py's THRESHOLD.
DISCLOSURE_TEXT = {"hidden_text": disclosure.HIDDEN_TEXT,
                   "small_range": disclosure.SMALL_RANGE_TEXT}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"navigation": [], "disclosure": DISCLOSURE_TEXT}
    items = [{"label": "Home", "url": "/", "key": "home"}] + capabilities_for(user)
    path = request.path
    for item in items:
        item["active"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    return {"navigation": items, "disclosure": DISCLOSURE_TEXT}
