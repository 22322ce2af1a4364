"""Words third-party apps show in the admin, marked here so accounts' catalogue translates them.

django-axes names its models with gettext_lazy but ships no Spanish catalogue: these
entries (the same msgids) give the admin's sign-in lockout pages their names in es and
fr. Never imported: makemessages reads it, gettext finds the entries at run time."""

from django.utils.translation import gettext_noop

AXES_MODEL_NAMES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)
