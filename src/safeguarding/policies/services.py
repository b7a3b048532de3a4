"""Writes for the policy library: add a policy with its first version, publish a new
version (the one current version moves), record a review (which sets the next review
date), change the owner. Every write checks the actor (``actor=None`` is the command line
or the demo) and appends an audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core.audit import audit_object
from safeguarding.core.calendar import add_months
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.core.rules import seats
from safeguarding.policies import config
from safeguarding.policies.models import Policy, Review, Version


def _check_file(file_name: str, file_type: str, content: bytes) -> None:
    if not content:
        return
    types = config.file_types()
    if file_type not in types and not any(file_name.lower().endswith(e) for e in types.values()):
        raise ValidationError({"file": f"Upload a {', '.join(sorted(types.values()))} file"})
    if len(content) > config.max_file_bytes():
        raise ValidationError({"file": f"The file must be smaller than "
                                       f"{config.max_file_bytes() // 1_000_000} MB"})


def _check_content(body: str, content: bytes) -> None:
    if not body.strip() and not content:
        raise ValidationError({"body": "Enter the policy's text or upload its file"})


def policy_add(*, actor: User | None, title: str, owner: User,
               partnerships: list[Partnership], review_due: dt.date, body: str = "",
               change_summary: str = "First version", published_on: dt.date | None = None,
               summary: str = "", reference: str = "", file_name: str = "",
               file_type: str = "", file_content: bytes = b"") -> Policy:
    partnerships = list(partnerships)
    if not partnerships:
        raise ValidationError({"partnerships": "Choose the partnerships the policy applies to"})
    if actor is not None:
        from safeguarding.policies.rules import managed_partnerships

        if not {p.pk for p in partnerships} & managed_partnerships(actor):
            raise PermissionDenied
    owner_in = {s.partnership_id for s in seats(owner)}
    if not owner_in & {p.pk for p in partnerships}:
        raise ValidationError({"owner": "The owner must hold a seat in a partnership the "
                                        "policy applies to"})
    _check_content(body, file_content)
    _check_file(file_name, file_type, file_content)
    published_on = published_on or timezone.localdate()
    if review_due <= published_on:
        raise ValidationError({"review_due": "The review date must be after the version is "
                                             "published"})
    with transaction.atomic():
        policy = Policy.objects.create(title=title, reference=reference, summary=summary,
                                       owner=owner, review_due=review_due)
        policy.partnerships.set(partnerships)
        Version.objects.create(policy=policy, number=1, body=body, file_name=file_name,
                               file_type=file_type, file_content=file_content,
                               change_summary=change_summary, published_on=published_on,
                               is_current=True, created_by=actor)
        audit_object(actor, AuditEvent.Action.CREATE, policy, "add a policy",
                     {"partnerships": sorted(p.code for p in partnerships)})
    return policy


def version_publish(*, actor: User | None, policy: Policy, change_summary: str,
                    body: str = "", published_on: dt.date | None = None, file_name: str = "",
                    file_type: str = "", file_content: bytes = b"") -> Version:
    if actor is not None and not actor.has_perm("policies.manage", policy):
        raise PermissionDenied
    if not change_summary.strip():
        raise ValidationError({"change_summary": "Enter a summary of what changed"})
    _check_content(body, file_content)
    _check_file(file_name, file_type, file_content)
    published_on = published_on or timezone.localdate()
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        last = locked.versions.order_by("-number").first()
        if last is not None and published_on < last.published_on:
            raise ValidationError({"published_on": f"Version {last.number} was published on "
                                                   f"{last.published_on:%-d %B %Y}: a new "
                                                   f"version cannot be earlier"})
        locked.versions.filter(is_current=True).update(is_current=False)
        version = Version.objects.create(
            policy=locked, number=(last.number if last else 0) + 1, body=body,
            file_name=file_name, file_type=file_type, file_content=file_content,
            change_summary=change_summary, published_on=published_on, is_current=True,
            created_by=actor)
        locked.save(update_fields=["updated_at"])
        audit_object(actor, AuditEvent.Action.CREATE, version, "publish a policy version",
                     {"policy": policy.pk, "number": version.number})
    return version


def policy_review(*, actor: User | None, policy: Policy, reviewed_on: dt.date | None = None,
                  next_due: dt.date | None = None, note: str = "") -> Review:
    """Record that the policy was reviewed (with or without a new version) and set the next
    review date (by default the partnership's interval after the review)."""
    if actor is not None and not actor.has_perm("policies.manage", policy):
        raise PermissionDenied
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future"})
    next_due = next_due or add_months(reviewed_on, config.for_policy(policy).review_every_months)
    if next_due <= reviewed_on:
        raise ValidationError({"next_due": "The next review date must be after this review"})
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        review = Review.objects.create(policy=locked, due_on=locked.review_due,
                                       reviewed_on=reviewed_on, next_due=next_due, note=note,
                                       reviewed_by=actor)
        locked.review_due = next_due
        locked.save(update_fields=["review_due", "updated_at"])
        audit_object(actor, AuditEvent.Action.UPDATE, locked, "record a policy review",
                     {"due_on": review.due_on.isoformat(), "reviewed_on": reviewed_on.isoformat(),
                "next_due": next_due.isoformat()})
    policy.review_due = next_due
    return review


def policy_owner_change(*, actor: User | None, policy: Policy, owner: User) -> Policy:
    if actor is not None and not actor.has_perm("policies.manage", policy):
        raise PermissionDenied
    if not {s.partnership_id for s in seats(owner)} & set(
            policy.partnerships.values_list("pk", flat=True)):
        raise ValidationError({"owner": "The owner must hold a seat in a partnership the "
                                        "policy applies to"})
    policy.owner = owner
    policy.save(update_fields=["owner", "updated_at"])
    audit_object(actor, AuditEvent.Action.UPDATE, policy, "change a policy's owner",
                 {"owner": owner.username})
    return policy
