from django import forms, template

from safeguarding.core.forms_govuk import GovukDateWidget

register = template.Library()


@register.filter
def widget_type(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"
