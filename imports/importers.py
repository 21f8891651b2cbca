"""One importer per kind of record: the columns it reads, how a row is matched to what is already on file, and how
a confirmed plan is written.

A plan is made first and stores nothing: each row is new, an update of a record on file, a duplicate (of a record on
file or of an earlier line), or an error with its line number. Writing happens only for a plan without errors, in
one transaction, through the same normalisers and duplicate keys the admin and the API use.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from candidates.models import (
    MATCH_KEY_SOURCES,
    Candidate,
    CandidateSkill,
    CandidateStatus,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    RightToWork,
    SkillLevel,
    Source,
)
from candidates.selectors import candidates_matching_keys
from candidates.services import candidates_insert_many
from clients.models import Client, ClientStatus, CompanySize, Contact, Industry
from roles.models import (
    Clearance,
    Currency,
    EmploymentType,
    Pillar,
    RemotePolicy,
    Role,
    RoleStatus,
    Seniority,
    Skill,
)
from roles.services import role_set_status
from sonitec.bulk import history_rows_record, rows_insert, rows_update
from sonitec.normalise import company_key, domain_from_url, email_identity, phone_key, profile_key

from . import columns as c

Progress = Callable[[int, int], None]
BATCH = 1000


def _no_progress(done: int, total: int) -> None:
    return None


def _user_id(user) -> int | None:
    return user.pk if user is not None else None


@dataclass
class Row:
    line: int
    action: str = ""  # "new", "update", "duplicate" or "error"
    message: str = ""
    target_id: int | None = None  # the record on file this row updates or duplicates
    first_line: int | None = None  # the earlier line this row repeats
    values: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)  # many-valued columns (skills, other pillars)
    keys: list[str] = field(default_factory=list)  # how the row is recognised (Importer.keys_for)

    def report(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "message": self.message,
            "target_id": self.target_id,
            "first_line": self.first_line,
        }


@dataclass
class Plan:
    kind: str
    rows: list[Row]
    file_errors: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "duplicates": 0, "errors": len(self.file_errors)}
        names = {"new": "created", "update": "updated", "duplicate": "duplicates", "error": "errors"}
        for row in self.rows:
            counts[names[row.action]] += 1
        return counts

    @property
    def ok(self) -> bool:
        return self.counts["errors"] == 0

    def errors(self) -> list[tuple[int, str]]:
        return [(1, message) for message in self.file_errors] + [
            (row.line, row.message) for row in self.rows if row.action == "error"
        ]


def _lookup_by_name_and_slug(queryset: Iterable[Any]) -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for item in queryset:
        lookup[item.name.lower()] = item
        lookup[item.slug.lower()] = item
    return lookup


def _fill_empty(target: dict[str, Any], source: dict[str, Any]) -> None:
    for name, value in source.items():
        if value not in (None, "") and target.get(name) in (None, ""):
            target[name] = value


def _union(target: dict[str, list[Any]], source: dict[str, list[Any]]) -> None:
    for name, items in source.items():
        existing = target.setdefault(name, [])
        existing.extend(item for item in items if item not in existing)


class Importer:
    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    required: ClassVar[list[str]] = []
    list_columns: ClassVar[list[str]] = []  # many-valued columns, kept apart from the model's field values
    needs_source: ClassVar[bool] = False
    column_names: ClassVar[list[str]]  # the columns a file may have, in the order the docs list them

    def __init__(self) -> None:
        self.columns = self.build_columns()

    def build_columns(self) -> dict[str, c.Converter]:
        raise NotImplementedError

    # -- planning ---------------------------------------------------------------------------------------------------
    def clean(self, row: Row, raw: dict[str, str]) -> None:
        problems = []
        for name, converter in self.columns.items():
            if name not in raw and name not in self.required:
                continue  # a column the file does not have: the model's default
            value = (raw.get(name) or "").strip()
            if not value and name in self.required:
                problems.append(f"{name} is required")
                continue
            try:
                converted = converter(value)
            except ValidationError as error:
                problems.append(f"{name}: {'; '.join(error.messages)}")
                continue
            if name in self.list_columns:
                row.lists[name] = converted
            else:
                row.values[name] = converted
        if not problems:
            problems = self.check(row)
        if problems:
            row.action, row.message = "error", "; ".join(problems)

    def check(self, row: Row) -> list[str]:
        """Rules across columns of one row."""
        return []

    def keys_for(self, row: Row) -> list[str]:
        """How a row is recognised, surest first: two rows sharing any key are one record."""
        raise NotImplementedError

    def find_existing(self, rows: list[Row]) -> dict[str, int]:
        """{key: id of the record on file} for the keys of these rows."""
        raise NotImplementedError

    def is_update(self, row: Row, key: str) -> bool:
        """A match on this key is the same record (update) rather than a likely duplicate of it."""
        return key == row.keys[0]

    def plan(self, raw_rows: list[tuple[int, dict[str, str]]], progress: Progress = _no_progress) -> Plan:
        rows = []
        for index, (line, raw) in enumerate(raw_rows, 1):
            row = Row(line=line)
            self.clean(row, raw)
            rows.append(row)
            if index % BATCH == 0:
                progress(index, len(raw_rows))
        valid = [row for row in rows if row.action != "error"]
        for row in valid:
            row.keys = self.keys_for(row)
        existing = self.find_existing(valid)
        seen: dict[str, Row] = {}
        for row in valid:
            keys = row.keys
            earlier = next((seen[key] for key in keys if key in seen), None)
            if earlier is not None:
                # A person listed twice in the file is one person: the first line carries both lines' details.
                row.action, row.first_line = "duplicate", earlier.line
                row.target_id = earlier.target_id
                row.message = f"same as line {earlier.line}"
                _fill_empty(earlier.values, row.values)
                _union(earlier.lists, row.lists)
            else:
                match = next(((key, existing[key]) for key in keys if key in existing), None)
                if match is None:
                    row.action = "new"
                elif self.is_update(row, match[0]):
                    row.action, row.target_id, row.message = "update", match[1], "on file: empty fields filled in"
                else:
                    row.action, row.target_id = "duplicate", match[1]
                    row.message = f"likely the {self.model._meta.verbose_name} on file (#{match[1]}): linked to it"
            for key in keys:
                seen.setdefault(key, row)
        progress(len(raw_rows), len(raw_rows))
        return Plan(kind=self.kind, rows=rows)

    # -- writing ----------------------------------------------------------------------------------------------------
    def apply(self, plan: Plan, *, source: str, by=None, progress: Progress = _no_progress) -> None:
        raise NotImplementedError

    def _fill_targets(self, plan: Plan, *, by, reason: str) -> list[models.Model]:
        """Records on file named by update and duplicate rows: fill their empty fields, in line order."""
        by_target: dict[int, list[Row]] = {}
        for row in plan.rows:
            if row.action in ("update", "duplicate") and row.target_id is not None and row.first_line is None:
                by_target.setdefault(row.target_id, []).append(row)
        targets = list(self.model._default_manager.filter(pk__in=list(by_target)))
        changed, fields = [], set()
        for target in targets:
            dirty = False
            for row in by_target[target.pk]:
                for name, value in self.writable(row).items():
                    model_field: Any = self.model._meta.get_field(name)
                    attname = model_field.attname
                    if value not in (None, "") and getattr(target, attname) in (None, ""):
                        setattr(target, name, value)
                        fields.add(name)
                        dirty = True
            if dirty:
                if isinstance(target, Candidate):
                    target.set_match_keys()
                    fields.update(MATCH_KEY_SOURCES)
                changed.append(target)
        rows_update(changed, sorted(fields))
        history_rows_record(
            self.model, [target.pk for target in changed], history_type="~", reason=reason, user_id=_user_id(by)
        )
        return targets

    def writable(self, row: Row) -> dict[str, Any]:
        """The row's non-empty values as model field values (foreign keys as objects); empty cells leave the
        model's defaults in place."""
        return {name: value for name, value in row.values.items() if value not in (None, "")}


# --- candidates -----------------------------------------------------------------------------------------------------


class CandidateImporter(Importer):
    kind = "candidates"
    column_names = [
        "name",
        "email",
        "phone",
        "location",
        "linkedin_url",
        "github_url",
        "current_title",
        "current_company",
        "seniority",
        "primary_pillar",
        "other_pillars",
        "skills",
        "notice_period_days",
        "available_from",
        "currency",
        "desired_salary",
        "desired_day_rate",
        "right_to_work",
        "security_clearance",
        "remote_preference",
        "status",
        "notes",
    ]
    model = Candidate
    required = ["name"]
    list_columns = ["skills", "other_pillars"]
    needs_source = True

    def build_columns(self) -> dict[str, c.Converter]:
        pillars = _lookup_by_name_and_slug(Pillar.objects.all())
        skills = _lookup_by_name_and_slug(Skill.objects.all())
        return {
            "name": c.text(200),
            "email": c.email,
            "phone": c.phone,
            "location": c.text(120),
            "linkedin_url": c.url,
            "github_url": c.url,
            "current_title": c.text(200),
            "current_company": c.text(200),
            "seniority": c.choice(Seniority.choices),
            "primary_pillar": c.named(pillars, "pillar"),
            "other_pillars": c.named_list(pillars, "pillars"),
            "skills": c.named_list(skills, "skills"),
            "notice_period_days": c.whole_number,
            "available_from": c.date,
            "currency": c.choice(Currency.choices),
            "desired_salary": c.decimal,
            "desired_day_rate": c.decimal,
            "right_to_work": c.choice(RightToWork.choices),
            "security_clearance": c.choice(Clearance.choices),
            "remote_preference": c.choice(RemotePolicy.choices),
            "status": c.choice(CandidateStatus.choices),
            "notes": c.text(10000),
        }

    def check(self, row: Row) -> list[str]:
        if not (row.values.get("email") or row.values.get("phone") or row.values.get("linkedin_url")):
            return ["a person needs an email, a phone or a LinkedIn address to be told apart from others"]
        return []

    def keys_for(self, row: Row) -> list[str]:
        values = row.values
        keys = []
        if key := email_identity(values.get("email", "")):
            keys.append(f"email:{key}")
        if key := profile_key(values.get("linkedin_url", "")):
            keys.append(f"linkedin:{key}")
        if key := profile_key(values.get("github_url", "")):
            keys.append(f"github:{key}")
        if key := phone_key(values.get("phone", "")):
            keys.append(f"phone:{key}")
        return keys

    def is_update(self, row: Row, key: str) -> bool:
        # The same address in any letter case is the same record; a gmail-style variant or a shared phone is
        # "probably the same person", linked but reported as a duplicate.
        return key.startswith("email:") and self._emails.get(key) == row.values.get("email")

    def find_existing(self, rows: list[Row]) -> dict[str, int]:
        wanted: dict[str, list[str]] = {"email": [], "phone": [], "linkedin": [], "github": []}
        for row in rows:
            for key in row.keys:
                prefix, _, value = key.partition(":")
                wanted[prefix].append(value)
        found: dict[str, int] = {}
        self._emails: dict[str, str] = {}
        for prefix, values in wanted.items():
            key_field = f"{prefix}_key"
            # PostgreSQL takes each kind of key as one array; elsewhere a chunk of keys is a list of parameters.
            step = max(len(values), 1) if connection.vendor == "postgresql" else 2000
            for start in range(0, len(values), step):
                queryset = candidates_matching_keys(**{f"{prefix}_keys": values[start : start + step]})
                for pk, value, email in queryset.order_by("id").values_list("pk", key_field, "email"):
                    found.setdefault(f"{prefix}:{value}", pk)
                    if prefix == "email":
                        self._emails.setdefault(f"email:{value}", email.lower())
        return found

    def apply(self, plan: Plan, *, source: str, by=None, progress: Progress = _no_progress) -> None:
        """Set-based: new people with their skills and pillars in a few statements (candidates_insert_many), known
        ones filled in by one UPDATE, their new skills and pillars, consents and history rows in bulk.
        """
        reason = f"Imported: {source}"[:100]
        new_rows = [row for row in plan.rows if row.action == "new"]
        created = []
        for row in new_rows:
            candidate = Candidate(**self.writable(row), source=Source.IMPORT)
            candidate.set_match_keys()
            created.append(candidate)
        candidates_insert_many(
            created,
            skills=[
                [(skill.pk, SkillLevel.WORKING, Decimal(0)) for skill in row.lists.get("skills", [])]
                for row in new_rows
            ],
            other_pillars=[[pillar.pk for pillar in row.lists.get("other_pillars", [])] for row in new_rows],
        )
        history_rows_record(
            Candidate, [candidate.pk for candidate in created], history_type="+", reason=reason, user_id=_user_id(by)
        )
        progress(len(new_rows), len(plan.rows))
        targets = {target.pk: target for target in self._fill_targets(plan, by=by, reason=reason)}
        known = [
            (row, targets[row.target_id])
            for row in plan.rows
            if row.action in ("update", "duplicate") and row.first_line is None and row.target_id in targets
        ]
        self._write_lists(known)
        now = timezone.now()
        consents = [
            Consent(
                candidate_id=candidate_id,
                purpose=ConsentPurpose.DATA_PROCESSING,
                method=ConsentMethod.IMPORT,
                given_at=now,
                recorded_by_id=_user_id(by),
                note=source[:255],
            )
            for candidate_id in dict.fromkeys(
                [*(candidate.pk for candidate in created), *(candidate.pk for _, candidate in known)]
            )
        ]
        rows_insert(consents)
        progress(len(plan.rows), len(plan.rows))

    def _write_lists(self, known: list[tuple[Row, Any]]) -> None:
        """Skills and other pillars of people on file, without repeating what they already hold."""
        ids = [candidate.pk for _, candidate in known]
        held_skills: set[tuple[int, int]] = set()
        held_pillars: set[tuple[int, int]] = set()
        through = Candidate.other_pillars.through
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            held_skills.update(
                CandidateSkill.objects.filter(candidate_id__in=chunk).values_list("candidate_id", "skill_id")
            )
            held_pillars.update(through.objects.filter(candidate_id__in=chunk).values_list("candidate_id", "pillar_id"))
        skills, pillars = [], []
        for row, candidate in known:
            for skill in row.lists.get("skills", []):
                if (candidate.pk, skill.pk) not in held_skills:
                    held_skills.add((candidate.pk, skill.pk))
                    skills.append(
                        CandidateSkill(
                            candidate_id=candidate.pk, skill_id=skill.pk, level=SkillLevel.WORKING, years=Decimal(0)
                        )
                    )
            for pillar in row.lists.get("other_pillars", []):
                if (candidate.pk, pillar.pk) not in held_pillars:
                    held_pillars.add((candidate.pk, pillar.pk))
                    pillars.append(through(candidate_id=candidate.pk, pillar_id=pillar.pk))
        rows_insert(skills)
        rows_insert(pillars)


# --- clients and contacts -------------------------------------------------------------------------------------------


def _client_lookup() -> dict[str, Client]:
    lookup: dict[str, Client] = {}
    for client in Client.objects.all():
        lookup.setdefault(company_key(client.name), client)
        if client.domain:
            lookup.setdefault(client.domain, client)
    return lookup


def _client_column(lookup: dict[str, Client]) -> c.Converter:
    def convert(value: str) -> Client | None:
        if not value:
            return None
        client = lookup.get(company_key(value)) or lookup.get(domain_from_url(value))
        if client is None:
            raise ValidationError(f"unknown client “{value}” (give its name or website as on file)")
        return client

    return convert


class ClientImporter(Importer):
    kind = "clients"
    column_names = [
        "name",
        "website",
        "industry",
        "size",
        "location",
        "status",
        "default_fee_percent",
        "default_guarantee_days",
        "notes",
    ]
    model = Client
    required = ["name"]

    def build_columns(self) -> dict[str, c.Converter]:
        return {
            "name": c.text(200),
            "website": c.url,
            "industry": c.choice(Industry.choices),
            "size": c.choice(CompanySize.choices),
            "location": c.text(120),
            "status": c.choice(ClientStatus.choices),
            "default_fee_percent": c.decimal,
            "default_guarantee_days": c.whole_number,
            "notes": c.text(10000),
        }

    def check(self, row: Row) -> list[str]:
        fee = row.values.get("default_fee_percent")
        return ["default_fee_percent must be between 0 and 100"] if fee is not None and fee > 100 else []

    def keys_for(self, row: Row) -> list[str]:
        keys = []
        if domain := domain_from_url(row.values.get("website", "")):
            keys.append(f"domain:{domain}")
        keys.append(f"name:{company_key(row.values['name'])}")
        return keys

    def is_update(self, row: Row, key: str) -> bool:
        return key.startswith("domain:")

    def find_existing(self, rows: list[Row]) -> dict[str, int]:
        found: dict[str, int] = {}
        for client in Client.objects.order_by("id").only("id", "name", "domain"):
            if client.domain:
                found.setdefault(f"domain:{client.domain}", client.pk)
            found.setdefault(f"name:{company_key(client.name)}", client.pk)
        return found

    def apply(self, plan: Plan, *, source: str, by=None, progress: Progress = _no_progress) -> None:
        reason = f"Imported: {source}"[:100] if source else "Imported"
        batch = []
        for row in plan.rows:
            if row.action == "new":
                client = Client(**self.writable(row))
                client.domain = domain_from_url(client.website)
                batch.append(client)
        rows_insert(batch)
        history_rows_record(Client, [row.pk for row in batch], history_type="+", reason=reason, user_id=_user_id(by))
        self._fill_targets(plan, by=by, reason=reason)
        progress(len(plan.rows), len(plan.rows))


class ContactImporter(Importer):
    kind = "contacts"
    column_names = ["client", "name", "email", "phone", "job_title", "do_not_contact"]
    model = Contact
    required = ["client", "name"]

    def build_columns(self) -> dict[str, c.Converter]:
        return {
            "client": _client_column(_client_lookup()),
            "name": c.text(200),
            "email": c.email,
            "phone": c.phone,
            "job_title": c.text(120),
            "do_not_contact": c.boolean,
        }

    def check(self, row: Row) -> list[str]:
        if not (row.values.get("email") or row.values.get("phone")):
            return ["a contact needs an email or a phone"]
        return []

    def keys_for(self, row: Row) -> list[str]:
        keys = []
        if email := row.values.get("email"):
            keys.append(f"email:{email}")
        if phone := row.values.get("phone"):
            keys.append(f"phone:{phone}")
        return keys

    def is_update(self, row: Row, key: str) -> bool:
        return key.startswith("email:")

    def find_existing(self, rows: list[Row]) -> dict[str, int]:
        emails = [row.values["email"] for row in rows if row.values.get("email")]
        phones = [row.values["phone"] for row in rows if row.values.get("phone")]
        found: dict[str, int] = {}
        for start in range(0, max(len(emails), len(phones)), 2000):
            email_chunk, phone_chunk = emails[start : start + 2000], phones[start : start + 2000]
            matches = Contact.objects.annotate(email_lower=models.functions.Lower("email")).filter(
                models.Q(email_lower__in=email_chunk) | models.Q(phone__in=phone_chunk)
            )
            for pk, email, phone in matches.order_by("id").values_list("pk", "email_lower", "phone"):
                if email:
                    found.setdefault(f"email:{email}", pk)
                if phone:
                    found.setdefault(f"phone:{phone}", pk)
        return found

    def apply(self, plan: Plan, *, source: str, by=None, progress: Progress = _no_progress) -> None:
        reason = f"Imported: {source}"[:100] if source else "Imported"
        batch = [Contact(**self.writable(row)) for row in plan.rows if row.action == "new"]
        rows_insert(batch)
        history_rows_record(Contact, [row.pk for row in batch], history_type="+", reason=reason, user_id=_user_id(by))
        self._fill_targets(plan, by=by, reason=reason)
        progress(len(plan.rows), len(plan.rows))


# --- roles ----------------------------------------------------------------------------------------------------------


class RoleImporter(Importer):
    kind = "roles"
    column_names = [
        "client",
        "title",
        "pillar",
        "description",
        "seniority",
        "employment_type",
        "location",
        "remote_policy",
        "currency",
        "salary_min",
        "salary_max",
        "day_rate_min",
        "day_rate_max",
        "required_skills",
        "nice_to_have_skills",
        "security_clearance",
        "headcount",
        "status",
        "target_date",
    ]
    model = Role
    required = ["client", "title", "pillar"]
    list_columns = ["required_skills", "nice_to_have_skills"]

    def build_columns(self) -> dict[str, c.Converter]:
        pillars = _lookup_by_name_and_slug(Pillar.objects.all())
        skills = _lookup_by_name_and_slug(Skill.objects.all())
        return {
            "client": _client_column(_client_lookup()),
            "title": c.text(200),
            "pillar": c.named(pillars, "pillar"),
            "description": c.text(20000),
            "seniority": c.choice(Seniority.choices),
            "employment_type": c.choice(EmploymentType.choices),
            "location": c.text(120),
            "remote_policy": c.choice(RemotePolicy.choices),
            "currency": c.choice(Currency.choices),
            "salary_min": c.decimal,
            "salary_max": c.decimal,
            "day_rate_min": c.decimal,
            "day_rate_max": c.decimal,
            "required_skills": c.named_list(skills, "skills"),
            "nice_to_have_skills": c.named_list(skills, "skills"),
            "security_clearance": c.choice(Clearance.choices),
            "headcount": c.whole_number,
            "status": c.choice(RoleStatus.choices),
            "target_date": c.date,
        }

    def check(self, row: Row) -> list[str]:
        problems = []
        for low, high in (("salary_min", "salary_max"), ("day_rate_min", "day_rate_max")):
            if row.values.get(low) is not None and row.values.get(high) is not None:
                if row.values[low] > row.values[high]:
                    problems.append(f"{low} ({row.values[low]}) is more than {high} ({row.values[high]})")
        if row.values.get("headcount") == 0:
            problems.append("headcount must be at least 1")
        return problems

    def keys_for(self, row: Row) -> list[str]:
        return [f"{row.values['client'].pk}:{row.values['title'].lower()}"]

    def find_existing(self, rows: list[Row]) -> dict[str, int]:
        client_ids = {row.values["client"].pk for row in rows}
        found: dict[str, int] = {}
        for pk, client_id, title in Role.objects.filter(client_id__in=client_ids).values_list(
            "pk", "client_id", "title"
        ):
            found.setdefault(f"{client_id}:{title.lower()}", pk)
        return found

    def writable(self, row: Row) -> dict[str, Any]:
        return {name: value for name, value in row.values.items() if value not in (None, "") and name != "status"}

    def apply(self, plan: Plan, *, source: str, by=None, progress: Progress = _no_progress) -> None:
        reason = f"Imported: {source}"[:100] if source else "Imported"
        for row in plan.rows:
            if row.action != "new":
                continue
            role = Role(**self.writable(row), owner=by)
            role._change_reason = reason  # type: ignore[attr-defined]
            role.save()
            role.required_skills.set(row.lists.get("required_skills", []))
            role.nice_to_have_skills.set(row.lists.get("nice_to_have_skills", []))
            status = row.values.get("status")
            if status and status != RoleStatus.DRAFT:
                role_set_status(role=role, status=status, by=by)
        for target in self._fill_targets(plan, by=by, reason=reason):
            for row in plan.rows:
                if row.target_id == target.pk and row.first_line is None and isinstance(target, Role):
                    target.required_skills.add(*row.lists.get("required_skills", []))
                    target.nice_to_have_skills.add(*row.lists.get("nice_to_have_skills", []))
        progress(len(plan.rows), len(plan.rows))


IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer for importer in (CandidateImporter, ClientImporter, ContactImporter, RoleImporter)
}
KINDS = list(IMPORTERS)
