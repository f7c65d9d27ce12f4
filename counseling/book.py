"""The student's personal book (buku pribadi): what its sections hold, how complete it is, and
how it is read and written.

A section's content is a JSON object in PersonalBookSection.data. Which fields a section has is
declared here, once: the edit forms, the book page, the print view, the completeness and the
Dapodik import all follow these specs.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from counseling.access import BookAccess
from counseling.models import PersonalBook, PersonalBookSection, Student
from staff.caching import school_data_changed
from staff.models import School, User

Key = PersonalBookSection.Key


class Kind:
    """How a field is entered, checked and stored."""

    TEXT = "text"
    TEXTAREA = "textarea"
    CHOICE = "choice"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PHONE = "phone"
    DIGITS = "digits"  # numbers kept as text: NIK, RT/RW, postal code (leading zeros)
    EMAIL = "email"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Promise
    kind: str = Kind.TEXT
    choices: tuple[tuple[str, Promise], ...] = ()
    max_length: int = 150
    # Numbers: the range accepted. Digits: the number of digits accepted.
    min_value: int | None = None
    max_value: int | None = None
    decimal_places: int = 1
    unit: Promise | str = ""
    help_text: Promise | str = ""
    # Shown to the homeroom teacher of the student's class (identity and contacts).
    contact: bool = False
    # Fields of an optional block (the guardian) count towards completeness only once any of
    # them is filled: a student who lives with both parents has no guardian to record.
    optional_block: str = ""
    # Heading of the group of fields on forms and pages (father, mother, guardian).
    group: Promise | str = ""

    def is_filled(self, value: Any) -> bool:
        return value is not None and value != "" and value != []


@dataclass(frozen=True)
class SectionSpec:
    key: str
    fields: tuple[FieldSpec, ...]
    intro: Promise | str = ""
    field_names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", frozenset(f.name for f in self.fields))

    @property
    def label(self) -> str:
        return Key(self.key).label

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


# Choices. Stored codes stay stable; labels are translated.

RELIGIONS = (
    ("islam", _("Islam")),
    ("protestant", _("Christianity (Protestant)")),
    ("catholic", _("Catholicism")),
    ("hindu", _("Hinduism")),
    ("buddhist", _("Buddhism")),
    ("confucian", _("Confucianism (Konghucu)")),
)
EDUCATION_LEVELS = (
    ("none", _("No schooling")),
    ("sd", _("Primary school (SD)")),
    ("smp", _("Junior secondary school (SMP)")),
    ("sma", _("Senior secondary school (SMA/SMK)")),
    ("diploma", _("Diploma (D1–D3)")),
    ("bachelor", _("Bachelor (D4/S1)")),
    ("master", _("Master (S2)")),
    ("doctorate", _("Doctorate (S3)")),
)
# The income bands of Dapodik, per month.
INCOME_BANDS = (
    ("none", _("No income")),
    ("lt_500k", _("Less than Rp500,000")),
    ("500k_1m", _("Rp500,000 – Rp999,999")),
    ("1m_2m", _("Rp1,000,000 – Rp1,999,999")),
    ("2m_5m", _("Rp2,000,000 – Rp4,999,999")),
    ("5m_20m", _("Rp5,000,000 – Rp20,000,000")),
    ("gt_20m", _("More than Rp20,000,000")),
)
LIVING_ARRANGEMENTS = (
    ("parents", _("With parents")),
    ("guardian", _("With a guardian")),
    ("boarding_house", _("Boarding house (kos)")),
    ("dormitory", _("Dormitory or pesantren (asrama)")),
    ("orphanage", _("Orphanage (panti asuhan)")),
    ("other", _("Other")),
)
TRANSPORT = (
    ("walking", _("On foot")),
    ("bicycle", _("Bicycle")),
    ("motorcycle", _("Motorcycle")),
    ("car", _("Private car")),
    ("public_transport", _("Public transport (angkot, bus)")),
    ("ojek", _("Ojek (motorcycle taxi)")),
    ("school_shuttle", _("School shuttle")),
    ("boat", _("Boat or ferry")),
    ("other", _("Other")),
)
BLOOD_TYPES = (("A", "A"), ("B", "B"), ("AB", "AB"), ("O", "O"))


def _person_fields(prefix: str, person: Promise, *, optional_block: str = "") -> list[FieldSpec]:
    return [
        FieldSpec(
            f"{prefix}_name", _("Name"), contact=True, group=person, optional_block=optional_block
        ),
        FieldSpec(
            f"{prefix}_education",
            _("Education"),
            Kind.CHOICE,
            choices=EDUCATION_LEVELS,
            group=person,
            optional_block=optional_block,
        ),
        FieldSpec(
            f"{prefix}_occupation", _("Occupation"), group=person, optional_block=optional_block
        ),
        FieldSpec(
            f"{prefix}_income",
            _("Monthly income"),
            Kind.CHOICE,
            choices=INCOME_BANDS,
            group=person,
            optional_block=optional_block,
        ),
        FieldSpec(
            f"{prefix}_phone",
            _("Phone"),
            Kind.PHONE,
            contact=True,
            group=person,
            optional_block=optional_block,
        ),
    ]


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        Key.IDENTITY,
        (
            FieldSpec("nickname", _("Nickname"), max_length=50, contact=True),
            FieldSpec("religion", _("Religion"), Kind.CHOICE, choices=RELIGIONS, contact=True),
            FieldSpec(
                "nik",
                _("NIK"),
                Kind.DIGITS,
                min_value=16,
                max_value=16,
                help_text=_("Population number from the family card (KK), 16 digits."),
                contact=True,
            ),
            FieldSpec(
                "child_order",
                _("Child number"),
                Kind.INTEGER,
                min_value=1,
                max_value=20,
                help_text=_("1 for the eldest child."),
                contact=True,
            ),
            FieldSpec(
                "siblings",
                _("Number of siblings"),
                Kind.INTEGER,
                min_value=0,
                max_value=30,
                contact=True,
            ),
            FieldSpec("phone", _("Phone"), Kind.PHONE, contact=True),
            FieldSpec("email", _("E-mail"), Kind.EMAIL, max_length=254, contact=True),
        ),
    ),
    SectionSpec(
        Key.FAMILY,
        (
            *_person_fields("father", _("Father")),
            *_person_fields("mother", _("Mother")),
            *_person_fields("guardian", _("Guardian"), optional_block="guardian"),
        ),
        intro=_("Fill in the guardian only if the student has one."),
    ),
    SectionSpec(
        Key.RESIDENCE,
        (
            FieldSpec("address", _("Address"), max_length=200),
            FieldSpec("rt", _("RT"), Kind.DIGITS, min_value=1, max_value=3),
            FieldSpec("rw", _("RW"), Kind.DIGITS, min_value=1, max_value=3),
            FieldSpec("hamlet", _("Hamlet (dusun)"), max_length=100),
            FieldSpec("village", _("Village (kelurahan/desa)"), max_length=100),
            FieldSpec("district", _("District (kecamatan)"), max_length=100),
            FieldSpec("postal_code", _("Postal code"), Kind.DIGITS, min_value=5, max_value=5),
            FieldSpec(
                "lives_with", _("Living arrangement"), Kind.CHOICE, choices=LIVING_ARRANGEMENTS
            ),
            FieldSpec("transport", _("Way to school"), Kind.CHOICE, choices=TRANSPORT),
            FieldSpec(
                "distance_km",
                _("Distance to school"),
                Kind.DECIMAL,
                min_value=0,
                max_value=200,
                unit="km",
            ),
            FieldSpec(
                "travel_minutes",
                _("Travel time to school"),
                Kind.INTEGER,
                min_value=0,
                max_value=600,
                unit=_("minutes"),
            ),
        ),
    ),
    SectionSpec(
        Key.HEALTH,
        (
            FieldSpec(
                "height_cm", _("Height"), Kind.DECIMAL, min_value=50, max_value=250, unit="cm"
            ),
            FieldSpec(
                "weight_kg", _("Weight"), Kind.DECIMAL, min_value=10, max_value=250, unit="kg"
            ),
            FieldSpec(
                "head_circumference_cm",
                _("Head circumference"),
                Kind.DECIMAL,
                min_value=30,
                max_value=80,
                unit="cm",
            ),
            FieldSpec("blood_type", _("Blood type"), Kind.CHOICE, choices=BLOOD_TYPES),
            FieldSpec(
                "chronic_illnesses",
                _("Chronic illnesses"),
                Kind.TEXTAREA,
                max_length=1000,
                help_text=_('Write "none" if there are none.'),
            ),
            FieldSpec(
                "special_needs",
                _("Special needs"),
                max_length=200,
                help_text=_('Write "none" if there are none.'),
            ),
            FieldSpec("notes", _("Notes on health"), Kind.TEXTAREA, max_length=2000),
        ),
    ),
    SectionSpec(
        Key.EDUCATION,
        (
            FieldSpec("previous_school", _("Previous school"), max_length=200),
            FieldSpec(
                "year_entered",
                _("Year entered this school"),
                Kind.INTEGER,
                min_value=1990,
                max_value=2100,
            ),
            FieldSpec(
                "grades_repeated",
                _("Grades repeated"),
                max_length=200,
                help_text=_('Which grade and year, or "never".'),
            ),
            FieldSpec("notes", _("Notes on schooling"), Kind.TEXTAREA, max_length=2000),
        ),
    ),
    SectionSpec(
        Key.TALENTS,
        (
            FieldSpec("hobbies", _("Hobbies"), Kind.TEXTAREA, max_length=1000),
            FieldSpec("talents", _("Talents"), Kind.TEXTAREA, max_length=1000),
            FieldSpec("favourite_subjects", _("Favourite subjects"), max_length=300),
            FieldSpec("least_favourite_subjects", _("Least favourite subjects"), max_length=300),
            FieldSpec("extracurricular", _("Extracurricular activities"), max_length=300),
        ),
    ),
    SectionSpec(
        Key.ACHIEVEMENTS,
        (
            FieldSpec(
                "achievements",
                _("Achievements"),
                Kind.TEXTAREA,
                max_length=4000,
                help_text=_("One per line: the competition or award, its level and the year."),
            ),
        ),
    ),
    SectionSpec(
        Key.ASPIRATIONS,
        (
            FieldSpec("aspiration", _("Aspiration (cita-cita)"), max_length=200),
            FieldSpec("further_study", _("Further study plan"), Kind.TEXTAREA, max_length=1000),
            FieldSpec("career_interest", _("Career interest"), max_length=300),
        ),
    ),
    SectionSpec(
        Key.NOTES,
        (FieldSpec("notes", _("Notes"), Kind.TEXTAREA, max_length=4000),),
    ),
)
SECTIONS_BY_KEY: dict[str, SectionSpec] = {spec.key: spec for spec in SECTIONS}


def section_spec(key: str) -> SectionSpec | None:
    return SECTIONS_BY_KEY.get(key)


# Completeness.


def completeness(data_by_key: dict[str, dict[str, Any]]) -> int:
    """Filled fields over all fields of every section, as a whole percentage rounded down.

    The fields of an optional block (the guardian) count only once one of them is filled."""
    filled = total = 0
    for spec in SECTIONS:
        data = data_by_key.get(spec.key) or {}
        blocks_in_use = {
            f.optional_block
            for f in spec.fields
            if f.optional_block and f.is_filled(data.get(f.name))
        }
        for spec_field in spec.fields:
            if spec_field.optional_block and spec_field.optional_block not in blocks_in_use:
                continue
            total += 1
            if spec_field.is_filled(data.get(spec_field.name)):
                filled += 1
    return filled * 100 // total if total else 0


# What a reader may see.


def visible_fields(spec: SectionSpec, access: int) -> tuple[FieldSpec, ...]:
    """The fields of the section this level of access shows: all for counselors, the identity
    and the parents' names and phones for the homeroom teacher, nothing for anyone else."""
    if access >= BookAccess.FULL:
        return spec.fields
    if access == BookAccess.IDENTITY_AND_CONTACTS:
        return tuple(f for f in spec.fields if f.contact)
    return ()


def may_read(access: int) -> bool:
    return access >= BookAccess.IDENTITY_AND_CONTACTS


def may_write(access: int) -> bool:
    return access >= BookAccess.FULL


def display_value(spec_field: FieldSpec, value: Any) -> str:
    """A stored value as a reader sees it; "" when empty."""
    if not spec_field.is_filled(value):
        return ""
    if spec_field.kind == Kind.CHOICE:
        return str(dict(spec_field.choices).get(value, value))
    if spec_field.kind in (Kind.DECIMAL, Kind.INTEGER):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if number == number.to_integral_value():
            # Plain digits: a year must not read "2.024".
            text = str(int(number))
        else:
            # The reader's decimal mark ("150,5" in Indonesian); these numbers stay below 1,000.
            text = formats.number_format(number, decimal_pos=spec_field.decimal_places)
        return f"{text} {spec_field.unit}" if spec_field.unit else text
    if spec_field.kind == Kind.DATE:
        try:
            return formats.date_format(date.fromisoformat(value), "j F Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


@dataclass
class FieldRow:
    label: str
    value: str
    group: str = ""


@dataclass
class SectionView:
    """One section as a page shows it to one reader."""

    spec: SectionSpec
    section: PersonalBookSection | None
    rows: list[FieldRow]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def is_empty(self) -> bool:
        return not any(row.value for row in self.rows)

    @property
    def groups(self) -> list[tuple[str, list[FieldRow]]]:
        """The rows by group (father, mother, guardian), in order; one unnamed group otherwise."""
        groups: list[tuple[str, list[FieldRow]]] = []
        for row in self.rows:
            if not groups or groups[-1][0] != row.group:
                groups.append((row.group, []))
            groups[-1][1].append(row)
        return groups


def section_rows(data: dict[str, Any], fields: Iterable[FieldSpec]) -> list[FieldRow]:
    return [
        FieldRow(label=str(f.label), value=display_value(f, data.get(f.name)), group=str(f.group))
        for f in fields
    ]


def book_sections_for_reader(
    sections: dict[str, PersonalBookSection], access: int
) -> list[SectionView]:
    """The sections this reader may see, in book order, each with the fields they may see."""
    views = []
    for spec in SECTIONS:
        fields = visible_fields(spec, access)
        if not fields:
            continue
        section = sections.get(spec.key)
        data = section.data if section is not None else {}
        views.append(SectionView(spec=spec, section=section, rows=section_rows(data, fields)))
    return views


# Forms, built from the specs.


class FlexibleDecimalField(forms.DecimalField):
    """Accepts "150,5" as well as "150.5": Indonesian writes a decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_PHONE = re.compile(r"^\+?\d{6,15}$")


def clean_phone(value: str) -> str:
    """A phone number without spaces or dashes; digits with an optional leading +."""
    text = _PHONE_SEPARATORS.sub("", value or "")
    if not _PHONE.match(text):
        raise ValidationError(
            _(
                "Write the phone number with digits only, for example 081234567890 or "
                "+6281234567890."
            )
        )
    return text


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return clean_phone(value) if value else ""


class DigitsField(forms.CharField):
    """A number kept as text: its leading zeros matter (NIK, RT, postal code)."""

    def __init__(self, *, min_digits: int, max_digits: int, **kwargs):
        self.min_digits, self.max_digits = min_digits, max_digits
        kwargs.setdefault("max_length", max_digits + 10)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric"}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        text = value.replace(" ", "")
        if not (text.isascii() and text.isdigit()):
            raise ValidationError(_("Use digits only."))
        if not self.min_digits <= len(text) <= self.max_digits:
            if self.min_digits == self.max_digits:
                message = _("This number has exactly %(count)s digits.") % {
                    "count": self.max_digits
                }
            else:
                message = _("This number has %(min)s to %(max)s digits.") % {
                    "min": self.min_digits,
                    "max": self.max_digits,
                }
            raise ValidationError(message)
        return text


def _form_field(spec_field: FieldSpec) -> forms.Field:
    common = {"label": spec_field.label, "required": False, "help_text": spec_field.help_text}
    kind = spec_field.kind
    if kind == Kind.TEXTAREA:
        return forms.CharField(
            max_length=spec_field.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if kind == Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *spec_field.choices], **common)
    if kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == Kind.INTEGER:
        return forms.IntegerField(
            min_value=spec_field.min_value, max_value=spec_field.max_value, **common
        )
    if kind == Kind.DECIMAL:
        return FlexibleDecimalField(
            min_value=spec_field.min_value,
            max_value=spec_field.max_value,
            max_digits=6,
            decimal_places=spec_field.decimal_places,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if kind == Kind.PHONE:
        return PhoneField(max_length=30, widget=forms.TextInput(attrs={"type": "tel"}), **common)
    if kind == Kind.DIGITS:
        return DigitsField(
            min_digits=spec_field.min_value, max_digits=spec_field.max_value, **common
        )
    if kind == Kind.EMAIL:
        return forms.EmailField(max_length=spec_field.max_length, **common)
    return forms.CharField(max_length=spec_field.max_length, **common)


class SectionForm(forms.Form):
    """Base of the section forms: the fields come from the spec, `version` from the page."""

    spec: SectionSpec

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        groups: dict[str, list[str]] = {}
        for spec_field in self.spec.fields:
            if spec_field.group:
                groups.setdefault(str(spec_field.group), []).append(spec_field.name)
        if groups:
            layout: list[Any] = []
            seen: set[str] = set()
            for spec_field in self.spec.fields:
                group = str(spec_field.group)
                if not group:
                    layout.append(spec_field.name)
                elif group not in seen:
                    seen.add(group)
                    layout.append(Fieldset(spec_field.group, *groups[group]))
            layout.append("version")
            self.helper.layout = Layout(*layout)

    def section_data(self) -> dict[str, Any]:
        """The cleaned values in the stored form (JSON), empty fields left out."""
        return {
            spec_field.name: _stored_value(spec_field, self.cleaned_data.get(spec_field.name))
            for spec_field in self.spec.fields
            if spec_field.is_filled(self.cleaned_data.get(spec_field.name))
        }


def _stored_value(spec_field: FieldSpec, value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def section_form_class(key: str) -> type[SectionForm]:
    """The form of one section, built from its spec."""
    spec = SECTIONS_BY_KEY[key]
    attributes: dict[str, Any] = {"spec": spec, "__module__": __name__}
    for spec_field in spec.fields:
        attributes[spec_field.name] = _form_field(spec_field)
    return type(f"{key.title()}SectionForm", (SectionForm,), attributes)


def section_initial(section: PersonalBookSection) -> dict[str, Any]:
    return {**section.data, "version": section.version}


# Reading and creating books.


def personal_book_get_or_create(*, student: Student) -> PersonalBook:
    """The student's book, created (with all its sections) the first time anyone opens it."""
    try:
        return student.personal_book
    except PersonalBook.DoesNotExist:
        pass
    with transaction.atomic():
        # get_or_create copes with two people opening the book at the same moment.
        book, created = PersonalBook.objects.get_or_create(
            student=student, defaults={"school_id": student.school_id}
        )
        if created:
            PersonalBookSection.objects.bulk_create(
                [PersonalBookSection(book=book, key=key) for key in Key.values],
                ignore_conflicts=True,
            )
    student.personal_book = book
    return book


def book_sections(book: PersonalBook) -> dict[str, PersonalBookSection]:
    """Every section of the book by key, with who last edited it. One query, or three if a
    section is missing (books from before a section was added)."""
    sections = {
        section.key: section
        for section in PersonalBookSection.objects.filter(book=book).select_related("updated_by")
    }
    missing = [key for key in Key.values if key not in sections]
    if missing:
        PersonalBookSection.objects.bulk_create(
            [PersonalBookSection(book=book, key=key) for key in missing], ignore_conflicts=True
        )
        for section in PersonalBookSection.objects.filter(book=book, key__in=missing):
            sections[section.key] = section
    return sections


# Writing a section.


class SectionConflict(Exception):
    """Someone else saved the section since the editor loaded it; `current` is their version."""

    def __init__(self, current: PersonalBookSection):
        super().__init__("The section was changed by someone else.")
        self.current = current


def _recompute_completeness(book: PersonalBook, now) -> None:
    data_by_key = dict(PersonalBookSection.objects.filter(book=book).values_list("key", "data"))
    book.completeness = completeness(data_by_key)
    book.updated_at = now
    PersonalBook.objects.filter(pk=book.pk).update(completeness=book.completeness, updated_at=now)
    school_data_changed(school_id=book.school_id)


@transaction.atomic
def personal_book_section_save(
    *, section: PersonalBookSection, data: dict[str, Any], version: int, user: User
) -> PersonalBookSection:
    """Save a whole section if nobody saved it since `version` was read; else SectionConflict.

    The UPDATE itself carries the condition (WHERE version = the version the editor loaded), so
    two saves racing each other cannot both succeed, on any database."""
    spec = SECTIONS_BY_KEY[section.key]
    # Saves of the same book take turns, so that its completeness counts every section's save.
    book = PersonalBook.objects.select_for_update().get(pk=section.book_id)
    clean = {name: value for name, value in data.items() if name in spec.field_names}
    now = timezone.now()
    updated = PersonalBookSection.objects.filter(pk=section.pk, version=version).update(
        data=clean, version=version + 1, updated_by=user, updated_at=now
    )
    if not updated:
        raise SectionConflict(
            PersonalBookSection.objects.select_related("updated_by").get(pk=section.pk)
        )
    _recompute_completeness(book, now)
    section.data, section.version, section.updated_by, section.updated_at = (
        clean,
        version + 1,
        user,
        now,
    )
    return section


def section_differences(
    spec: SectionSpec, theirs: dict[str, Any], yours: dict[str, Any]
) -> list[dict[str, str]]:
    """The fields where the saved section and the refused entry differ, as readers see them."""
    rows = []
    for spec_field in spec.fields:
        their_value = display_value(spec_field, theirs.get(spec_field.name))
        your_value = display_value(spec_field, yours.get(spec_field.name))
        if their_value != your_value:
            label = str(spec_field.label)
            if spec_field.group:
                label = f"{spec_field.group}: {label}"
            rows.append({"label": label, "theirs": their_value, "yours": your_value})
    return rows


# Filling books from the Dapodik import.

_EDUCATION_WORDS = (
    # Checked in order against the lower-cased value without spaces or punctuation.
    ("tidaksekolah", "none"),
    ("putussd", "none"),
    ("paketa", "sd"),
    ("paketb", "smp"),
    ("paketc", "sma"),
    ("sd", "sd"),
    ("smp", "smp"),
    ("sma", "sma"),
    ("smk", "sma"),
    ("slta", "sma"),
    ("sltp", "smp"),
    ("d1", "diploma"),
    ("d2", "diploma"),
    ("d3", "diploma"),
    ("d4", "bachelor"),
    ("s1", "bachelor"),
    ("s2", "master"),
    ("s3", "doctorate"),
)
_RELIGION_WORDS = (
    ("islam", "islam"),
    ("kristen", "protestant"),
    ("protestan", "protestant"),
    ("katolik", "catholic"),
    ("katholik", "catholic"),
    ("hindu", "hindu"),
    ("buddha", "buddhist"),
    ("budha", "buddhist"),
    ("konghucu", "confucian"),
    ("khonghucu", "confucian"),
    ("konghuchu", "confucian"),
)
_LIVING_WORDS = (
    ("orangtua", "parents"),
    ("wali", "guardian"),
    ("kos", "boarding_house"),
    ("asrama", "dormitory"),
    ("pesantren", "dormitory"),
    ("panti", "orphanage"),
    ("lainnya", "other"),
)
_TRANSPORT_WORDS = (
    ("jalankaki", "walking"),
    ("sepedamotor", "motorcycle"),
    ("motor", "motorcycle"),
    ("sepeda", "bicycle"),
    ("mobil", "car"),
    ("antarjemput", "school_shuttle"),
    ("jemputan", "school_shuttle"),
    ("angkutan", "public_transport"),
    ("bus", "public_transport"),
    ("keretaapi", "public_transport"),
    ("ojek", "ojek"),
    ("perahu", "boat"),
    ("kapal", "boat"),
    ("rakit", "boat"),
    ("lainnya", "other"),
    ("andong", "other"),
    ("delman", "other"),
    ("becak", "other"),
    ("kuda", "other"),
    ("kendaraanpribadi", "other"),
)
_INCOME_LIMITS = (
    # (code, lowest amount, highest amount) per month, in rupiah
    ("lt_500k", 1, 499_999),
    ("500k_1m", 500_000, 999_999),
    ("1m_2m", 1_000_000, 1_999_999),
    ("2m_5m", 2_000_000, 4_999_999),
    ("5m_20m", 5_000_000, 20_000_000),
    ("gt_20m", 20_000_001, None),
)
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(juta|jt|ribu|rb)?")
_MISSING = {"", "-", "0", "tidakada", "tidakdiisi", "none"}


def _key(value: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(value or "").lower())


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text[1:] if text.startswith("'") else text


def _by_words(value: Any, words: tuple[tuple[str, str], ...]) -> str:
    key = _key(value)
    if key in _MISSING:
        return ""
    return next((code for word, code in words if word in key), "")


def _amount(number: str, unit: str | None) -> float:
    # "500,000" and "1.000.000" group thousands; "1,5" (before "juta") is a decimal.
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", number):
        value = float(re.sub(r"[.,]", "", number))
    else:
        value = float(number.replace(",", "."))
    return value * {"juta": 1e6, "jt": 1e6, "ribu": 1e3, "rb": 1e3}.get(unit or "", 1)


def income_band(value: Any) -> str:
    """A Dapodik income ("Rp. 1,000,000 - Rp. 1,999,999", "Kurang dari Rp. 500,000",
    "Rp. 2-5 juta", "Tidak Berpenghasilan") as one of INCOME_BANDS; "" when it does not fit
    exactly one band (an old "less than Rp1,000,000" spans two)."""
    text = _plain(value).lower()
    if not text or _key(text) in _MISSING:
        return ""
    if "tidak" in text:
        return "none"
    found = _AMOUNT.findall(text)
    if not found:
        return ""
    # "2-5 juta": the unit written once applies to the small numbers before it.
    last_unit = next((unit for _n, unit in reversed(found) if unit), None)
    amounts = []
    for number, unit in found:
        amount = _amount(number, unit)
        if not unit and last_unit and amount < 1000:
            amount = _amount(number, last_unit)
        amounts.append(amount)
    if "kurang" in text or "<" in text or "bawah" in text:
        low, high = 1, max(amounts) - 1
    elif "lebih" in text or ">" in text or "atas" in text:
        low, high = min(amounts) + 1, None
    else:
        low, high = min(amounts), max(amounts)
    for code, lowest, highest in _INCOME_LIMITS:
        if low < lowest or (highest is not None and low > highest):
            continue
        # A range written "2-5 juta" ends where the next band starts.
        if highest is None or (high is not None and high <= highest + 1):
            return code
        return ""
    return ""


def _number(value: Any, spec_field: FieldSpec) -> Any:
    text = _plain(value).replace(",", ".")
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    if spec_field.min_value is not None and number < spec_field.min_value:
        return ""
    if spec_field.max_value is not None and number > spec_field.max_value:
        return ""
    if spec_field.kind == Kind.INTEGER:
        return int(number) if number == number.to_integral_value() else ""
    return format(round(number, spec_field.decimal_places).normalize(), "f")


def _checked(spec_field: FieldSpec, value: Any) -> Any:
    """A value from the file in the stored form, or "" when the form would refuse it."""
    if spec_field.kind in (Kind.INTEGER, Kind.DECIMAL):
        return _number(value, spec_field)
    text = _plain(value)
    if not _key(text):  # empty, or only "-"
        return ""
    if spec_field.kind == Kind.PHONE:
        try:
            return clean_phone(text)
        except ValidationError:
            return ""
    if spec_field.kind == Kind.DIGITS:
        digits = text.replace(" ", "")
        if not (digits.isascii() and digits.isdigit()) or not digits.strip("0"):
            return ""
        return digits if spec_field.min_value <= len(digits) <= spec_field.max_value else ""
    if spec_field.kind == Kind.EMAIL:
        try:
            EmailValidator()(text)
        except ValidationError:
            return ""
    if spec_field.kind == Kind.CHOICE and text not in dict(spec_field.choices):
        return ""
    return text[: spec_field.max_length]


def _parent_value(values: dict, parents: dict, group: str, column: str) -> Any:
    # A Dapodik file nests the parent columns under "Data Ayah"…; a plain file spells them out.
    nested = (parents.get(group) or {}).get(column)
    return nested if nested is not None else values.get(f"data{group}{column}")


_PARENTS = {"father": "ayah", "mother": "ibu", "guardian": "wali"}
_IDENTITY_PHONE = SECTIONS_BY_KEY[Key.IDENTITY].field("phone")


def book_data_from_import(values: dict[str, Any], parents: dict[str, dict[str, Any]]) -> dict:
    """What one row of the Dapodik file says for the personal book: {section key: {field: value}},
    only the fields it fills, each checked as the form would."""
    raw: dict[str, dict[str, Any]] = {
        Key.IDENTITY: {
            "religion": _by_words(values.get("agama"), _RELIGION_WORDS),
            "nik": values.get("nik"),
            "phone": _checked(_IDENTITY_PHONE, values.get("hp"))
            or _checked(_IDENTITY_PHONE, values.get("telepon")),
            "email": values.get("email"),
            "child_order": values.get("anakkeberapa"),
            "siblings": values.get("jmlsaudarakandung"),
        },
        Key.FAMILY: {},
        Key.RESIDENCE: {
            "address": values.get("alamat"),
            "rt": values.get("rt"),
            "rw": values.get("rw"),
            "hamlet": values.get("dusun"),
            "village": values.get("kelurahan"),
            "district": values.get("kecamatan"),
            "postal_code": values.get("kodepos"),
            "lives_with": _by_words(values.get("jenistinggal"), _LIVING_WORDS),
            "transport": _by_words(values.get("alattransportasi"), _TRANSPORT_WORDS),
            "distance_km": values.get("jarakrumahkesekolahkm"),
        },
        Key.HEALTH: {
            "height_cm": values.get("tinggibadan"),
            "weight_kg": values.get("beratbadan"),
            "head_circumference_cm": values.get("lingkarkepala"),
            "special_needs": values.get("kebutuhankhusus"),
        },
        Key.EDUCATION: {"previous_school": values.get("sekolahasal")},
    }
    for prefix, group in _PARENTS.items():
        raw[Key.FAMILY].update(
            {
                f"{prefix}_name": _parent_value(values, parents, group, "nama"),
                f"{prefix}_education": _by_words(
                    _parent_value(values, parents, group, "jenjangpendidikan"), _EDUCATION_WORDS
                ),
                f"{prefix}_occupation": _parent_value(values, parents, group, "pekerjaan"),
                f"{prefix}_income": income_band(
                    _parent_value(values, parents, group, "penghasilan")
                ),
            }
        )
    result: dict[str, dict[str, Any]] = {}
    for key, fields in raw.items():
        spec = SECTIONS_BY_KEY[key]
        checked = {name: _checked(spec.field(name), value) for name, value in fields.items()}
        checked = {name: value for name, value in checked.items() if value != ""}
        if checked:
            result[key] = checked
    return result


def personal_books_fill_from_import(
    *, school: School, user: User, students_and_data: list[tuple[Student, dict]]
) -> int:
    """Fill the personal books of imported students with what the file says, field by field,
    only where the book is still empty: what a counselor wrote is never overwritten.

    Runs inside the import's transaction, with a fixed number of statements whatever the
    number of students (SQLite splits long ones into batches): read the books, read their
    sections, insert new books, insert new sections, update changed sections and books.
    Sections the file says nothing about are created when the book is first opened.
    Returns the number of books that changed."""
    wanted = [(student, data) for student, data in students_and_data if data]
    if not wanted:
        return 0
    books = {
        book.student_id: book
        for book in PersonalBook.objects.select_for_update().filter(
            student_id__in=[student.pk for student, _data in wanted]
        )
    }
    sections = {
        (section.book_id, section.key): section
        for section in PersonalBookSection.objects.select_for_update().filter(
            book_id__in=[book.pk for book in books.values()]
        )
    }
    now = timezone.now()
    new_books, new_sections, changed_sections, changed_books = [], [], [], []
    for student, data in wanted:
        book = books.get(student.pk)
        is_new = book is None
        if is_new:
            book = PersonalBook(student_id=student.pk, school=school)
            new_books.append(book)
        book_data = {
            key: sections[book.pk, key].data
            for key in Key.values
            if not is_new and (book.pk, key) in sections
        }
        changed = False
        for key, values in data.items():
            section = None if is_new else sections.get((book.pk, key))
            current = section.data if section is not None else {}
            additions = {
                name: value
                for name, value in values.items()
                if not SECTIONS_BY_KEY[key].field(name).is_filled(current.get(name))
            }
            if not additions:
                continue
            changed = True
            book_data[key] = {**current, **additions}
            if section is None:
                new_sections.append(
                    PersonalBookSection(book=book, key=key, data=book_data[key], updated_by=user)
                )
                continue
            section.data = book_data[key]
            section.updated_by = user
            # Someone who loaded the section before the import is told so on saving.
            section.version += 1
            section.updated_at = now
            changed_sections.append(section)
        if changed:
            book.completeness = completeness(book_data)
            if not is_new:
                book.updated_at = now
                changed_books.append(book)
    PersonalBook.objects.bulk_create(new_books)
    PersonalBookSection.objects.bulk_create(new_sections)
    PersonalBookSection.objects.bulk_update(
        changed_sections, ["data", "version", "updated_by", "updated_at"]
    )
    PersonalBook.objects.bulk_update(changed_books, ["completeness", "updated_at"])
    school_data_changed(school_id=school.pk)
    return len(changed_books) + len(new_books)


# The card on the student's page.


@dataclass
class BookCard:
    completeness: int
    started: bool
    may_write: bool
    is_partial: bool


def book_card(student: Student, access: int) -> BookCard | None:
    """What the student's page says about the personal book, or None for someone who may not
    read it. Expects the student fetched with select_related("personal_book"); creates nothing."""
    if not may_read(access):
        return None
    try:
        personal_book = student.personal_book
    except PersonalBook.DoesNotExist:
        personal_book = None
    return BookCard(
        completeness=personal_book.completeness if personal_book else 0,
        started=personal_book is not None,
        may_write=may_write(access),
        is_partial=access < BookAccess.FULL,
    )
