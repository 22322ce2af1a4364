"""The admin's "Publish a new version" pages for consent forms and questionnaires.

A clinic admin publishes for the clinics they administer (`Clinic.admins`), a superuser
for every clinic; any other scope is a 404. The page starts from the clinic's current
version (or, for its first, from the demo content), shows a preview of what patients
will see, and publishes through `consent.services.publish_*`. The admin's own history
(a LogEntry: who, when, the version, its hash and the reason) is written in the same
transaction, so every version says who published it and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consent import documents, selectors, services
from consent.forms_admin import ConsentFormPublishForm, PublishForm, QuestionnairePublishForm
from consent.models import ConsentFormVersion, Outcome, QuestionnaireVersion

if TYPE_CHECKING:
    Document = ConsentFormVersion | QuestionnaireVersion

# How the preview fills the blanks that depend on the appointment.
PREVIEW_PRACTITIONER = {
    "practitioner_name": _("[the practitioner's name]"),
    "practitioner_disclosure": _("[the practitioner's dry-needling training, from their credentials]"),
}


@dataclass(frozen=True)
class Kind:
    """One publishable document: its form, its reads and write, and its preview. Its
    sentences are whole, one set per kind of document (a noun is never slotted into one)."""

    texts: dict[str, Promise]
    form_class: type[PublishForm]
    current: Callable[[str], Any]
    publish: Callable[..., Any]
    preview: Callable[[dict[str, Any], str], dict[str, Any]]
    preview_template: str


def consent_form_preview(content: dict[str, Any], clinic_name: str) -> dict[str, Any]:
    """The form as the consent page shows it, with the clinic's name filled in."""
    context = {"clinic_name": clinic_name, **{key: str(value) for key, value in PREVIEW_PRACTITIONER.items()}}
    return {
        "title": documents.fill(content["title"], context),
        "sections": documents.rendered_sections(content, context),
        "side_effects": [
            {key: documents.fill(str(effect.get(key, "")), context) for key in ("effect", "how_often", "note")}
            for effect in content["side_effects"]
        ],
        "acknowledgements": [documents.fill(a["text"], context) for a in content["acknowledgements"]],
        "e_records_disclosure": documents.fill(content["e_records_disclosure"], context),
        "intent_statement": documents.fill(content["intent_statement"], context),
    }


def questionnaire_preview(content: dict[str, Any], clinic_name: str) -> dict[str, Any]:
    """The questions in order, each answer with what it leads to."""

    def rule(rule: dict[str, Any]) -> dict[str, Any]:
        return {**rule, "outcome_label": Outcome(rule.get("outcome", Outcome.CLEAR)).label}

    items = [
        {
            **item,
            "required": item.get("required", True),
            "options": [rule(option) for option in item.get("options", [])],
            "if_answered": rule(item["if_answered"]) if item.get("if_answered") else None,
        }
        for item in content["items"]
    ]
    combined = [
        {**rule(r), "conditions": [_condition(key, value) for key, value in r["when"].items()]}
        for r in content["combined_rules"]
    ]
    return {"title": content["title"], "items": items, "combined_rules": combined}


def _condition(key: str, value: Any) -> str:
    if key == "context:minor":
        return (
            gettext("the patient is under the clinic's age of majority")
            if value
            else gettext("the patient is an adult")
        )
    return gettext("%(question)s is %(answer)s") % {"question": key, "answer": value}


CONSENT_FORM = Kind(
    texts={
        "choose_title": _("Publish a new consent form: choose the clinic"),
        "choose_intro": _("Each clinic has its own consent form. Choose the clinic to publish a new version for."),
        "publish_title": _("Publish a new consent form for %(clinic)s"),
        "writing": _("You are writing version %(version)s of %(clinic)s's consent form."),
        "first": _(
            "This clinic has no consent form yet, so it starts from the demo content, which follows the clinical "
            "facts Acus ships with: read every part and make it your clinic's own."
        ),
        "overtaken": _(
            "Version %(version)s of this consent form was published while you were editing. Copy your changes, "
            "reload this page to start from it, and publish again. Nothing was published."
        ),
        "refused": _("This consent form could not be published: %(problem)s"),
        "published": _("Published consent form version %(version)s for %(clinic)s. Patients get it from now on."),
    },
    form_class=ConsentFormPublishForm,
    current=selectors.current_form,
    publish=services.publish_consent_form,
    preview=consent_form_preview,
    preview_template="admin/consent/preview_consent_form.html",
)
QUESTIONNAIRE = Kind(
    texts={
        "choose_title": _("Publish a new questionnaire: choose the clinic"),
        "choose_intro": _("Each clinic has its own questionnaire. Choose the clinic to publish a new version for."),
        "publish_title": _("Publish a new questionnaire for %(clinic)s"),
        "writing": _("You are writing version %(version)s of %(clinic)s's questionnaire."),
        "first": _(
            "This clinic has no questionnaire yet, so it starts from the demo content, which follows the clinical "
            "facts Acus ships with: read every part and make it your clinic's own."
        ),
        "overtaken": _(
            "Version %(version)s of this questionnaire was published while you were editing. Copy your changes, "
            "reload this page to start from it, and publish again. Nothing was published."
        ),
        "refused": _("This questionnaire could not be published: %(problem)s"),
        "published": _("Published questionnaire version %(version)s for %(clinic)s. Patients get it from now on."),
    },
    form_class=QuestionnairePublishForm,
    current=selectors.current_questionnaire,
    publish=services.publish_questionnaire,
    preview=questionnaire_preview,
    preview_template="admin/consent/preview_questionnaire.html",
)


def publishable_clinics(user: Any) -> dict[str, str]:
    """slug -> name of the clinics this user may publish for: those they administer
    (role clinic admin), every clinic for a superuser, none for anyone else. The
    relation is booking's, reached by name so that consent never imports booking."""
    if not (isinstance(user, User) and user.is_active and user.is_staff):
        return {}
    if user.is_superuser:
        clinic_model = User._meta.get_field("administered_clinics").related_model
        clinics = clinic_model._default_manager.all()
    elif user.role == User.Role.CLINIC_ADMIN:
        clinics = user.administered_clinics.all()
    else:
        return {}
    return dict(clinics.order_by("name", "pk").values_list("slug", "name"))


def choose_clinic(model_admin: admin.ModelAdmin[Any], request: HttpRequest, kind: Kind) -> HttpResponse:
    """With one clinic, straight to its page; with several, a list to pick from."""
    clinics = publishable_clinics(request.user)
    if not clinics:
        raise PermissionDenied
    if len(clinics) == 1:
        return HttpResponseRedirect(_publish_url(model_admin, next(iter(clinics))))
    latest = dict(
        model_admin.model._default_manager.filter(scope__in=clinics)
        .values("scope")
        .annotate(v=Max("version"))
        .values_list("scope", "v")
    )
    rows = [
        {"name": name, "version": latest.get(slug), "url": _publish_url(model_admin, slug)}
        for slug, name in clinics.items()
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": kind.texts["choose_title"],
        "intro": kind.texts["choose_intro"],
        "clinics": rows,
    }
    return TemplateResponse(request, "admin/consent/publish_choose.html", context)


def publish_page(model_admin: admin.ModelAdmin[Any], request: HttpRequest, kind: Kind, scope: str) -> HttpResponse:
    clinics = publishable_clinics(request.user)
    if not clinics:
        raise PermissionDenied
    if scope not in clinics:
        raise Http404(gettext("No such clinic among yours."))
    current = kind.current(scope)
    based_on = current.version if current is not None else 0
    preview = None
    if request.method == "POST":
        form = kind.form_class(request.POST, publishing="_publish" in request.POST)
        if form.is_valid() and form.cleaned_data["based_on"] != based_on:
            form.add_error(None, _overtaken(kind, based_on))
        elif form.is_valid() and form.publishing:
            published = _publish(model_admin, request, kind, scope, form)
            if published is not None:
                _tell(model_admin, request, kind, published, clinics[scope])
                changelist = reverse(f"admin:consent_{model_admin.model._meta.model_name}_changelist")
                return HttpResponseRedirect(f"{changelist}?scope={scope}")
        if form.is_valid():
            preview = kind.preview(form.content(), clinics[scope])
    else:
        form = kind.form_class(initial=kind.form_class.initial_for(current))
    fieldsets = [(None, {"fields": [name for name in form.fields if name != "based_on"]})]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": kind.texts["publish_title"] % {"clinic": clinics[scope]},
        "writing": kind.texts["writing"] % {"version": based_on + 1, "clinic": clinics[scope]},
        "first": kind.texts["first"],
        "clinic_name": clinics[scope],
        "current": current,
        "next_version": based_on + 1,
        "form": form,
        # The admin's helpers lay out any form, though the stubs say ModelForm.
        "adminform": helpers.AdminForm(form, fieldsets, {}, model_admin=model_admin),  # type: ignore[arg-type]
        "errors": helpers.AdminErrorList(form, []),  # type: ignore[arg-type]
        "preview": preview,
        "preview_template": kind.preview_template,
    }
    response = TemplateResponse(request, "admin/consent/publish.html", context)
    return response


def _publish(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, kind: Kind, scope: str, form: PublishForm
) -> Document | None:
    """Publish and record who did it, in one transaction; a refusal becomes a form error.
    The version must follow the one the edit started from (publish_* numbers versions
    under a row lock), else it is rolled back: nobody's changes are silently replaced."""
    expected = form.cleaned_data["based_on"] + 1
    try:
        with transaction.atomic():
            document = kind.publish(scope=scope, **form.content())
            if document.version != expected:
                raise _Overtaken(document.version - 1)
            model_admin.log_addition(request, document, _history_message(document, form.cleaned_data["reason"]))
    except _Overtaken as exc:
        form.add_error(None, _overtaken(kind, exc.latest))
        return None
    except IntegrityError:  # two first versions at once: the unique (scope, version) refused one
        form.add_error(None, _overtaken(kind, 1))
        return None
    except (ValueError, KeyError, TypeError) as exc:  # the service's own checks, should ours have missed one
        form.add_error(None, kind.texts["refused"] % {"problem": exc})
        return None
    return cast("Document", document)


class _Overtaken(Exception):
    def __init__(self, latest: int) -> None:
        super().__init__(latest)
        self.latest = latest


def _overtaken(kind: Kind, latest: int) -> str:
    return kind.texts["overtaken"] % {"version": latest}


def _history_message(document: Document, reason: str) -> str:
    material = " as a material change (patients must sign again)" if document.material else ""
    return (
        f"Published version {document.version} for {document.scope}{material}; "
        f"sha256 {document.content_sha256[:12]}. Reason: {reason.strip()}"
    )


def _tell(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, kind: Kind, document: Document, clinic: str
) -> None:
    text = kind.texts["published"] % {"version": document.version, "clinic": clinic}
    if document.material:
        text += " " + gettext("It is a material change: patients sign it again before their next needling visit.")
    model_admin.message_user(request, text, messages.SUCCESS)


def _publish_url(model_admin: admin.ModelAdmin[Any], scope: str) -> str:
    return reverse(f"admin:consent_{model_admin.model._meta.model_name}_publish_scope", args=[scope])
