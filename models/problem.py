"""The Problem: everything one placement round needs, checked across records."""

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import Field, model_validator

from models.candidate import Candidate
from models.common import Record
from models.organisation import Organisation
from models.package import NO_PACKAGE, Package
from models.pairs import PairRef, PairScore
from models.policy import Policy
from models.role import Role


def _duplicate_errors(collection: str, ids: Iterable[str]) -> list[str]:
    counts = Counter(ids)
    return [
        f"{collection}[{record_id}].id: duplicate id (used {n} times)"
        for record_id, n in counts.items()
        if n > 1
    ]


class Problem(Record):
    """Candidates, roles, organisations, packages and the policy of one round."""

    organisations: list[Organisation] = Field(description="Organisations holding roles.")
    roles: list[Role] = Field(description="Vacancies to fill.")
    candidates: list[Candidate] = Field(description="The candidate pool.")
    packages: list[Package] = Field(
        default_factory=list, description="Incentive packages; none given = one free 'none'."
    )
    policy: Policy = Field(default_factory=Policy, description="Budget, weights, targets.")
    pinned: list[PairRef] = Field(default_factory=list, description="Pairs that must be placed.")
    forbidden: list[PairRef] = Field(
        default_factory=list, description="Pairs that must not be placed."
    )
    scores: list[PairScore] = Field(
        default_factory=list, description="External fit scores replacing the built-in score."
    )

    @property
    def effective_packages(self) -> Sequence[Package]:
        """The packages on offer; the implied free package when none is given."""
        return self.packages if self.packages else (NO_PACKAGE,)

    @model_validator(mode="after")
    def validate_cross_references(self) -> "Problem":
        """Run every cross-record check and report all their errors together."""
        errors = (
            self.check_ids_unique()
            + self.check_references_resolve()
            + self.check_pins_consistent()
            + self.check_scores_unique()
        )
        if errors:
            raise ValueError("\n".join(errors))
        return self

    def check_ids_unique(self) -> list[str]:
        """Every record id is unique within its collection."""
        return (
            _duplicate_errors("organisations", (o.id for o in self.organisations))
            + _duplicate_errors("roles", (r.id for r in self.roles))
            + _duplicate_errors("candidates", (c.id for c in self.candidates))
            + _duplicate_errors("packages", (p.id for p in self.packages))
        )

    def check_references_resolve(self) -> list[str]:
        """Every organisation, package, candidate and role a record names exists."""
        orgs = {o.id for o in self.organisations}
        packages = {p.id for p in self.effective_packages}
        errors: list[str] = []
        for role in self.roles:
            if role.organisation_id not in orgs:
                errors.append(
                    f"roles[{role.id}].organisation_id: "
                    f"unknown organisation '{role.organisation_id}'"
                )
            for package_id in role.allowed_packages or ():
                if package_id not in packages:
                    errors.append(
                        f"roles[{role.id}].allowed_packages: unknown package '{package_id}'"
                    )
        for cand in self.candidates:
            if (
                cand.current_organisation_id is not None
                and cand.current_organisation_id not in orgs
            ):
                errors.append(
                    f"candidates[{cand.id}].current_organisation_id: "
                    f"unknown organisation '{cand.current_organisation_id}'"
                )
            errors.extend(
                f"candidates[{cand.id}].conflicts: unknown organisation '{org_id}'"
                for org_id in cand.conflicts
                if org_id not in orgs
            )
        return errors + self._pair_reference_errors(packages)

    def _pair_reference_errors(self, packages: set[str]) -> list[str]:
        candidates = {c.id for c in self.candidates}
        roles = {r.id for r in self.roles}
        errors: list[str] = []
        named: list[tuple[str, Sequence[PairRef | PairScore]]] = [
            ("pinned", self.pinned),
            ("forbidden", self.forbidden),
            ("scores", self.scores),
        ]
        for collection, pairs in named:
            for i, pair in enumerate(pairs):
                if pair.candidate_id not in candidates:
                    errors.append(
                        f"{collection}[{i}].candidate_id: unknown candidate '{pair.candidate_id}'"
                    )
                if pair.role_id not in roles:
                    errors.append(f"{collection}[{i}].role_id: unknown role '{pair.role_id}'")
                package_id = getattr(pair, "package_id", None)
                if package_id is not None and package_id not in packages:
                    errors.append(f"{collection}[{i}].package_id: unknown package '{package_id}'")
        return errors

    def check_pins_consistent(self) -> list[str]:
        """No pair is both pinned and forbidden, and no pair is pinned twice."""
        forbidden = {(f.candidate_id, f.role_id) for f in self.forbidden}
        seen: set[tuple[str, str]] = set()
        errors: list[str] = []
        for i, pin in enumerate(self.pinned):
            key = (pin.candidate_id, pin.role_id)
            if key in forbidden:
                errors.append(
                    f"pinned[{i}]: pair ({pin.candidate_id}, {pin.role_id}) is also forbidden"
                )
            if key in seen:
                errors.append(f"pinned[{i}]: pair ({pin.candidate_id}, {pin.role_id}) pinned twice")
            seen.add(key)
        return errors

    def check_scores_unique(self) -> list[str]:
        """At most one external score per pair."""
        counts = Counter((s.candidate_id, s.role_id) for s in self.scores)
        return [f"scores: pair ({c}, {r}) has {n} scores" for (c, r), n in counts.items() if n > 1]
