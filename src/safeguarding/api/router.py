"""The REST API: session sign-in (with the second factor) for browsers, tokens for systems.

Every endpoint calls the same selectors and services as the pages, so the same
rules and the same audited door apply.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from safeguarding.audits.api import router as audits_router
from safeguarding.briefings.api import router as briefings_router
from safeguarding.child_deaths.api import router as child_deaths_router
from safeguarding.children import selectors as child_selectors
from safeguarding.children import services as child_services
from safeguarding.children.rules import CHILD_ROLES
from safeguarding.core import selectors as core_selectors
from safeguarding.core.models import Agency, Partnership
from safeguarding.core.rules import seats
from safeguarding.core.services import api_token_authenticate
from safeguarding.covid_followup.api import router as covid_followup_router
from safeguarding.encompass.api import router as encompass_router
from safeguarding.exploitation.api import router as exploitation_router
from safeguarding.governance.api import router as governance_router
from safeguarding.measures.api import router as measures_router
from safeguarding.missing.api import router as missing_router
from safeguarding.neglect.api import router as neglect_router
from safeguarding.policies.api import router as policies_router
from safeguarding.restraint.api import router as restraint_router
from safeguarding.reviews.api import router as reviews_router
from safeguarding.training.api import router as training_router
from safeguarding.voice.api import router as voice_router


class TwoFactorSession(SessionAuth):
    """The browser's session, accepted only once the second factor is done."""

    def _get_key(self, request):
        # No session cookie, nothing to forge: skip the CSRF check so that a system
        # posting with a bearer token reaches AgencyToken instead of a 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        user = request.user
        if user.is_authenticated and user.is_verified():
            return user
        return None


class AgencyToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _api_users_only(view):
    """The schema is for those who may call the API: both factors, or a valid token."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        allowed = bool(user and user.is_authenticated and user.is_verified())
        if not allowed:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            allowed = scheme.lower() == "bearer" and bool(token.strip()) and (
                AgencyToken().authenticate(request, token.strip()) is not None)
        if not allowed:
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Safeguarding Children Partnership API",
    version="1",
    auth=[TwoFactorSession(), AgencyToken()],
    docs_url=None,
    docs_decorator=_api_users_only,
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "You do not have access to this record"},
                               status=403)


@api.exception_handler(child_services.IdentifierMatch)
def _already_recorded(request, exc):
    """409: the identifiers are another child's. Only a record the caller may see is named."""
    if exc.child is None:
        body = {"detail": child_services.POSSIBLE_MATCH_MESSAGE}
    else:
        body = {"detail": "A child with these identifiers is already recorded",
                "child": exc.child.pk, "errors": exc.message_dict}
    return api.create_response(request, body, status=409)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


class MembershipOut(Schema):
    role: str
    agency: str
    partnership: str


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]


@api.get("/me", response=MeOut, tags=["people"])
def me(request):
    user = request.user
    held = seats(user)  # a token's request holds its one seat only
    agencies = dict(Agency.objects.filter(pk__in={s.agency_id for s in held})
                    .values_list("pk", "name"))
    partnership_codes = dict(Partnership.objects.filter(pk__in={s.partnership_id for s in held})
                             .values_list("pk", "code"))
    return {
        "username": user.username, "name": user.get_full_name(),
        "memberships": [
            {"role": s.role, "agency": agencies[s.agency_id],
             "partnership": partnership_codes[s.partnership_id]}
            for s in sorted(held, key=lambda s: (partnership_codes[s.partnership_id],
                                                 agencies[s.agency_id], s.role))
        ],
    }


class LocalAuthorityOut(Schema):
    old_code: str
    new_code: str
    name: str


class PartnershipOut(Schema):
    code: str
    name: str
    local_authorities: list[LocalAuthorityOut]


@api.get("/partnerships", response=list[PartnershipOut], tags=["partnerships"])
def partnerships(request):
    if not request.user.has_perm("core.list_partnerships"):
        raise PermissionDenied
    return [
        {"code": p.code, "name": p.name, "local_authorities": list(p.local_authorities.all())}
        for p in core_selectors.partnership_list(actor=request.user)
    ]


class InvolvementOut(Schema):
    agency: str
    reason: str
    started_on: dt.date
    ended_on: dt.date | None


class ChildOut(Schema):
    id: int
    partnership: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    postcode: str
    nhs_number: str
    upn: str
    la_child_id: str
    police_reference: str
    involvements: list[InvolvementOut]


def _child_out(child) -> dict:
    return {
        "id": child.pk, "partnership": child.partnership.code,
        **{f: getattr(child, f) for f in (
            "first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
            "nhs_number", "upn", "la_child_id", "police_reference")},
        "involvements": [
            {"agency": i.agency.name, "reason": i.reason, "started_on": i.started_on,
             "ended_on": i.ended_on}
            for i in child.involvements.all()
        ],
    }


class ChildPage(Schema):
    total: int
    offset: int
    limit: int
    items: list[ChildOut]


@api.get("/children", response=ChildPage, tags=["children"])
def children(request, q: str = "", offset: int = 0, limit: int = 50):
    if not request.user.has_perm("children.list_children"):
        raise PermissionDenied
    limit = max(1, min(limit, 200))
    found, total = child_selectors.child_search(actor=request.user, query=q, limit=limit,
                                                offset=max(0, offset))
    return {"total": total, "offset": offset, "limit": limit,
            "items": [_child_out(c) for c in found]}


@api.get("/children/{child_id}", response=ChildOut, tags=["children"])
def child(request, child_id: int):
    return _child_out(child_selectors.child_get(actor=request.user, child_id=child_id,
                                                purpose="API child read"))


class ChildIn(Schema):
    partnership: str
    local_authority: str | None = None
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""
    la_child_id: str = ""
    police_reference: str = ""


class ConflictOut(Schema):
    detail: str
    child: int | None = None
    errors: dict[str, list[str]] | None = None


@api.post("/children", response={201: ChildOut, 409: ConflictOut}, tags=["children"])
def child_create(request, payload: ChildIn):
    """Add a child. 409 if an NHS number, UPN or LA child ID is already recorded: with the
    existing record's id when the caller may see it, otherwise with a neutral message only."""
    partnership = get_object_or_404(Partnership, code=payload.partnership.upper())
    # As on the web form: only a seat that works with child records in this partnership.
    agency_ids = [s.agency_id for s in seats(request.user)
                  if s.partnership_id == partnership.pk and s.role in CHILD_ROLES]
    if not agency_ids:
        raise HttpError(403, "You have no role in that partnership")
    data = payload.dict(exclude={"partnership", "local_authority"})
    la = None
    if payload.local_authority:
        la = partnership.local_authorities.filter(old_code=payload.local_authority).first()
        if la is None:
            raise ValidationError({"local_authority": ["That LA is not in this partnership"]})
    created = child_services.child_create(
        actor=request.user, partnership=partnership, local_authority=la,
        agency=Agency.objects.get(pk=agency_ids[0]), **data)
    return Status(201, _child_out(child_selectors.child_get(actor=request.user, child_id=created.pk,
                                                            purpose="API child create")))


def _mount_routers() -> None:
    """Each capability's router, mounted once."""
    api.add_router("/", measures_router)
    api.add_router("/child-deaths/", child_deaths_router)
    api.add_router("/reviews", reviews_router)
    api.add_router("/restraint", restraint_router)
    api.add_router("/training", training_router)
    api.add_router("/governance", governance_router)
    api.add_router("/audits", audits_router)
    api.add_router("/missing", missing_router)
    api.add_router("/encompass", encompass_router)
    api.add_router("/policies", policies_router)
    api.add_router("/neglect", neglect_router)
    api.add_router("/briefings", briefings_router)
    api.add_router("/exploitation", exploitation_router)
    api.add_router("/voice", voice_router)
    api.add_router("/covid-followup", covid_followup_router)


_mount_routers()
