from __future__ import annotations

from typing import Any

from django import forms


class AccessibleMixin:
    """Links each field's error message to its input for screen readers."""

    errors: Any
    fields: Any

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                error_id = f"{self[name].auto_id}-error"  # type: ignore[index]
                described = widget.attrs.get("aria-describedby", "")
                if error_id not in described:
                    widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()


class AccessibleForm(AccessibleMixin, forms.Form):
    pass


class AccessibleModelForm(AccessibleMixin, forms.ModelForm):
    pass
