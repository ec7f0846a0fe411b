"""Objections from the public page: receiving one (staff told after the commit), the list
it names its project from, who handles them, and the objector's look-up of the outcome."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import people
from notifications.messenger import notify
from subsidy.identifiers import normalise_uscc
from subsidy.rules import CITY_REVIEW_ROLES

from .exports import listed_applications
from .models import Objection, PublicityBatch
from .services import lodge_objection


def may_handle_objections(user) -> bool:
    """Objections are handled by the city section (as `handle_objection` requires)."""
    return getattr(user, "role", None) in CITY_REVIEW_ROLES


def objection_choices(batch: PublicityBatch) -> list:
    """(序号, application) in the order and with the numbers of the published table."""
    return list(enumerate(listed_applications(batch), 1))


def handling_path(objection: Objection) -> str:
    """Where staff handle the objection: its card on its batch's page on the desk."""
    return reverse("desk:publicity:batch", args=[objection.batch_id]) + f"#objection-{objection.pk}"


def receive_objection(batch: PublicityBatch, data: dict, evidence=None,
                      site_url: str = "", evidence_too_large: bool = False
                      ) -> tuple[Objection, bool]:
    """Record an objection (see `lodge_objection`: (objection, created)) and, once a new one
    is committed, tell the staff who handle objections in the app and by e-mail; `site_url`
    makes the e-mail's link absolute. A repeated submission tells no one again."""
    with transaction.atomic():
        objection, created = lodge_objection(batch, data, evidence, evidence_too_large)
        if created:
            transaction.on_commit(lambda: notify_staff(objection, site_url))
    return objection, created


def notify_staff(objection: Objection, site_url: str = "") -> int:
    """In-app notification and e-mail about a new objection to the city section's staff."""
    staff = people(Q(role__in=CITY_REVIEW_ROLES))
    return notify(staff, "objection_received", {
        "objection": objection, "batch": objection.batch, "application": objection.application,
        "handle_url": site_url.rstrip("/") + handling_path(objection)},
        application=objection.application)


def normalise_receipt(text: str) -> str:
    """A receipt number as typed (spaces, lower case, a full-width dash) in stored form."""
    return "".join(text.split()).upper().replace("－", "-").replace("—", "-")


def find_objection(receipt: str, identity: str) -> Objection | None:
    """The objection with this receipt number lodged with this identity number, else None
    (which of the two did not match is not told)."""
    receipt, identity = normalise_receipt(receipt or ""), normalise_uscc(identity or "")
    if not receipt or not identity:
        return None
    return (Objection.objects.select_related("batch", "application__organisation")
            .filter(receipt=receipt, identity=identity).first())


def objections_on_application(application) -> list:
    """Every objection against the application, newest first, with its batch."""
    return list(application.objections.select_related("batch").order_by("-submitted_at"))
