"""The period report's short generated sentences, one list per chapter, from the same figures
as the principal's dashboard (supervision.figures).

Every sentence is translatable and formats its numbers in the active language (Indonesian:
a decimal comma, "64,71"); a change says whether the figure rose, fell or stayed, so that the
report reads "Rata-rata skor kompetensi naik dari 64,71 menjadi 80,88."
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff.scoring import Category
from supervision.figures import Figures, Period


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    """A number as the reader's language writes it."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


def trimmed(value: Decimal) -> str:
    """A number with one decimal, or none when it is whole: "300", "300,5"."""
    return number(value, 0 if value == value.to_integral_value() else 1)


def percentage(value: Decimal | float | int, decimals: int = 1) -> str:
    return _("%(value)s%%") % {"value": number(value, decimals)}


@dataclass(frozen=True)
class Change:
    """The three ways a figure can go, each a sentence with %(before)s and %(after)s."""

    rose: str
    fell: str
    stayed: str

    def say(self, before, after, *, decimals: int, unit=number) -> str:
        values = {"before": unit(before, decimals), "after": unit(after, decimals)}
        if after > before:
            return self.rose % values
        if after < before:
            return self.fell % values
        return self.stayed % values


def _compared(change: Change, before, after, *, decimals: int, unit=number, alone: str) -> str:
    """How the figure changed since the period before, or, without a figure before, the
    sentence `alone` on the figure itself."""
    if before is None:
        return alone
    return change.say(before, after, decimals=decimals, unit=unit)


def _competency_change() -> Change:
    return Change(
        rose=_("The average competency score rose from %(before)s to %(after)s."),
        fell=_("The average competency score fell from %(before)s to %(after)s."),
        stayed=_("The average competency score stayed at %(after)s."),
    )


def _compliance_change() -> Change:
    return Change(
        rose=_("The BK room's compliance with the standard rose from %(before)s to %(after)s."),
        fell=_("The BK room's compliance with the standard fell from %(before)s to %(after)s."),
        stayed=_("The BK room's compliance with the standard stayed at %(after)s."),
    )


def _collaboration_change() -> Change:
    return Change(
        rose=_(
            "Collaboration with teachers, parents and others rose from %(before)s to "
            "%(after)s entries."
        ),
        fell=_(
            "Collaboration with teachers, parents and others fell from %(before)s to "
            "%(after)s entries."
        ),
        stayed=_("Collaboration with teachers, parents and others stayed at %(after)s entries."),
    )


def _multi_session_change() -> Change:
    return Change(
        rose=_(
            "The share of cases handled in two or more sessions rose from %(before)s to %(after)s."
        ),
        fell=_(
            "The share of cases handled in two or more sessions fell from %(before)s to %(after)s."
        ),
        stayed=_("The share of cases handled in two or more sessions stayed at %(after)s."),
    )


def efforts_sentences(figures: Figures, period: Period) -> list[str]:
    """Chapter I: what the principal did."""
    efforts = figures.efforts
    meetings = efforts.meetings
    sentences = [
        _(
            "Meetings held in %(period)s: %(coordination)s coordination, %(limited)s limited "
            "evaluation and %(coaching)s coaching."
        )
        % {
            "period": period.label,
            "coordination": meetings["coordination"],
            "limited": meetings["limited_evaluation"],
            "coaching": meetings["coaching"],
        }
    ]
    if efforts.visits_total:
        sentences.append(
            ngettext(
                "Academic supervision: %(total)s visit, %(followed)s of them followed up.",
                "Academic supervision: %(total)s visits, %(followed)s of them followed up.",
                efforts.visits_total,
            )
            % {"total": efforts.visits_total, "followed": efforts.visits["followed_up"]}
        )
    else:
        sentences.append(_("No academic supervision visit was planned in the period."))
    if efforts.mgbk_recorded:
        sentences.append(
            _(
                "The BK teachers attended %(percent)s of the MGBK meetings whose attendance was "
                "recorded (%(present)s of %(recorded)s)."
            )
            % {
                "percent": percentage(efforts.mgbk_percent),
                "present": efforts.mgbk_present,
                "recorded": efforts.mgbk_recorded,
            }
        )
    else:
        sentences.append(_("No MGBK attendance was recorded in the period."))
    hours, delegations = efforts.hours_spread, efforts.delegations_spread
    if hours is not None and delegations is not None:
        sentences.append(
            _(
                "In the twelve months to %(date)s, training per BK teacher ranged from "
                "%(low_hours)s to %(high_hours)s JP (a spread of %(hours)s JP) and delegations "
                "from %(low)s to %(high)s (a spread of %(delegations)s)."
            )
            % {
                "date": formats.date_format(efforts.window_until, "j F Y"),
                "low_hours": hours.lowest,
                "high_hours": hours.highest,
                "hours": hours.spread,
                "low": delegations.lowest,
                "high": delegations.highest,
                "delegations": delegations.spread,
            }
        )
        sentences.append(evenness_explained())
    return sentences


def evenness_explained() -> str:
    return _(
        "The spread is the most minus the least any BK teacher had: the smaller it is, the "
        "more evenly training is shared; 0 means every BK teacher had the same."
    )


def factors_sentences(figures: Figures, period: Period) -> tuple[list[str], list[str]]:
    """Chapter II: what helped (first) and what hindered (second)."""
    factors = figures.factors
    helped, hindered = [], []
    if factors.compliance is None:
        hindered.append(_("The BK room has not been assessed against the standard yet."))
    elif factors.previous_compliance is None:
        helped.append(
            _("The BK room meets %(percent)s of the standard.")
            % {"percent": percentage(factors.compliance, 0)}
        )
    else:
        sentence = _compliance_change().say(
            factors.previous_compliance, factors.compliance, decimals=0, unit=percentage
        )
        (helped if factors.compliance >= factors.previous_compliance else hindered).append(sentence)
    held = figures.efforts.effort_meetings
    helped.append(
        ngettext(
            "The principal's support: %(count)s coordination, evaluation or coaching meeting held.",
            "The principal's support: %(count)s coordination, evaluation or coaching meetings "
            "held.",
            held,
        )
        % {"count": held}
    )
    seats = factors.seats
    if not seats.events:
        hindered.append(_("No training was offered to the school in the period."))
    elif seats.seats_per_event is not None:
        sentence = _(
            "The trainings with a seat limit offered %(seats)s seats each on average, for "
            "%(counselors)s BK teachers."
        ) % {"seats": number(seats.seats_per_event, 1), "counselors": factors.counselor_count}
        (hindered if factors.seats_short else helped).append(sentence)
    if seats.unlimited:
        helped.append(
            ngettext(
                "%(count)s training was open to every BK teacher.",
                "%(count)s trainings were open to every BK teacher.",
                seats.unlimited,
            )
            % {"count": seats.unlimited}
        )
    hindered.append(
        _("Meetings took %(hours)s hours of the period.")
        % {"hours": number(factors.meeting_hours, 1)}
    )
    if factors.overdue_items:
        when = (
            _("today")
            if factors.overdue_on is None
            else formats.date_format(factors.overdue_on, "j F Y")
        )
        hindered.append(
            ngettext(
                "%(count)s action item was overdue (%(when)s).",
                "%(count)s action items were overdue (%(when)s).",
                factors.overdue_items,
            )
            % {"count": factors.overdue_items, "when": when}
        )
    return helped, hindered


def competence_sentences(figures: Figures, period: Period) -> list[str]:
    """Chapter III: the BK teachers' competence and its change, and what their work shows."""
    competency, outcomes = figures.competency, figures.outcomes
    sentences = []
    if competency.average is None:
        sentences.append(_("No appraisal by the principal has been finalised yet."))
    else:
        if not competency.appraised_in_period:
            sentences.append(
                _(
                    "No appraisal by the principal was finalised in the period yet; the "
                    "latest ones are shown."
                )
            )
        sentences.append(
            _compared(
                _competency_change(),
                competency.previous_average if competency.change is not None else None,
                competency.average,
                decimals=2,
                alone=_("The average competency score is %(score)s.")
                % {"score": number(competency.average, 2)},
            )
        )
        counts = {}
        for row in competency.rows:
            if row.category:
                counts[row.category] = counts.get(row.category, 0) + 1
        sentences.append(
            _("Categories: %(categories)s.")
            % {
                "categories": ", ".join(
                    f"{counts[code]} {Category(code).label}"
                    for code in Category.values
                    if code in counts
                )
            }
        )
    sentences.append(
        _compared(
            _collaboration_change(),
            outcomes.previous_collaboration,
            outcomes.collaboration_total,
            decimals=0,
            alone=_("The BK teachers recorded %(count)s collaboration entries.")
            % {"count": outcomes.collaboration_total},
        )
    )
    share = outcomes.multi_session_percent
    if share is None:
        sentences.append(_("No case was opened in the period."))
    else:
        sentences.append(
            _compared(
                _multi_session_change(),
                outcomes.previous_multi_session_percent,
                share,
                decimals=1,
                unit=percentage,
                alone=_("%(percent)s of the cases opened were handled in two or more sessions.")
                % {"percent": percentage(share)},
            )
        )
    if outcomes.cases.total:
        sentences.append(
            ngettext(
                "Of the %(total)s case opened, %(resolved)s (%(percent)s) is resolved or closed.",
                "Of the %(total)s cases opened, %(resolved)s (%(percent)s) are resolved or closed.",
                outcomes.cases.total,
            )
            % {
                "total": outcomes.cases.total,
                "resolved": outcomes.resolved,
                "percent": percentage(outcomes.resolved_percent),
            }
        )
    if outcomes.book_completeness is not None:
        sentences.append(
            _("The students' personal books are %(percent)s complete on average (now).")
            % {"percent": percentage(outcomes.book_completeness)}
        )
    if outcomes.students_per_counselor is not None:
        sentences.append(
            _(
                "Each BK teacher serves %(students)s students on average, against the ratio of "
                "1 : %(ratio)s; %(students_total)s students call for %(needed)s BK teachers "
                "and the school has %(counselors)s."
            )
            % {
                "students": trimmed(outcomes.students_per_counselor),
                "ratio": outcomes.ratio,
                "students_total": outcomes.students,
                "needed": outcomes.counselors_needed,
                "counselors": outcomes.counselor_count,
            }
        )
    return sentences
