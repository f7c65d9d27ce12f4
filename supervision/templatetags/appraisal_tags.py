"""Lookups the appraisal templates need: an indicator's score field, a competency's evidence."""

from django import template

from supervision.forms import indicator_field_name

register = template.Library()


@register.filter
def score_field(form, indicator):
    """The bound score field of an indicator in an AppraisalForm."""
    return form[indicator_field_name(indicator.pk)]


@register.filter
def evidence_for(evidence: dict, competency) -> list:
    """The evidence rows beside a competency (by its number)."""
    return evidence.get(competency.number, [])
