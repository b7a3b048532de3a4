from safeguarding.core.capabilities import capabilities_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"navigation": []}
    items = [{"label": "Home", "url": "/", "key": "home"}] + capabilities_for(user)
    path = request.path
    for item in items:
        item["active"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    return {"navigation": items}
