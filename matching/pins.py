"""Pinned pairs (H10): each must pass every eligibility rule and have a valid package."""

from dataclasses import dataclass

import numpy as np

from matching.arrays import ProblemArrays
from matching.eligibility import (
    ELIGIBILITY_RULES,
    PairContext,
    cheapest_packages,
    pair_distance,
    valid_packages,
)
from models.pairs import PairRef
from models.solution import Conflict


@dataclass(frozen=True)
class PinnedPair:
    """A pinned pair resolved to indices, with the package it will use."""

    cand: int
    role: int
    package: int


def _rule_detail(arrays: ProblemArrays, rule: str, pin: PairRef, distance: float) -> str:
    problem = arrays.problem
    cand = problem.candidates[arrays.cand_index[pin.candidate_id]]
    role = problem.roles[arrays.role_index[pin.role_id]]
    if rule == "H3":
        return f"role kind {role.kind.value} is not among the candidate's kinds"
    if rule == "H4":
        short = [
            f"{s} {cand.skills.get(s, 0)} < {lvl}"
            for s, lvl in role.required_skills.items()
            if cand.skills.get(s, 0) < lvl
        ]
        return "below required skills: " + ", ".join(short)
    if rule == "H5":
        return (
            f"{distance:.1f} km exceeds the {cand.max_commute_km:g} km commute "
            "and the candidate is not willing to relocate"
        )
    if rule == "H6":
        return "conflict of interest, or a NED/chair seat at the candidate's own organisation"
    if rule == "H7":
        return "board-level role and the candidate is not cleared fit and proper"
    return (
        f"role band {role.band.value if role.band else 'none'} against candidate band "
        f"{cand.band.value if cand.band else 'none'} (one step up at most, with accreditation)"
    )


def _package_conflict(
    arrays: ProblemArrays, pin: PairRef, role: int, relocation: bool, label: str
) -> tuple[int | None, Conflict | None]:
    """The package a pin uses, or the H5/H9 conflict that stops every package."""
    roles = np.array([role])
    valid = valid_packages(arrays, roles, np.array([relocation]))[0]
    if pin.package_id is None:
        package, has_package = cheapest_packages(arrays, roles, np.array([relocation]))
        if has_package[0]:
            return int(package[0]), None
    elif valid[arrays.package_index[pin.package_id]]:
        return arrays.package_index[pin.package_id], None
    records = [pin.candidate_id, pin.role_id]
    if pin.package_id is not None:
        records.append(pin.package_id)
    if relocation and valid_packages(arrays, roles, np.array([False]))[0].any():
        return None, Conflict(
            rule="H5",
            records=records,
            message=f"{label}: a relocation needs a package with relocation "
            "support allowed for the role",
        )
    return None, Conflict(
        rule="H9",
        records=records,
        message=f"{label}: the package is not allowed for the role "
        "(allowed_packages or challenged_only)",
    )


def resolve_pins(arrays: ProblemArrays) -> tuple[list[PinnedPair], list[Conflict]]:
    """Check every pinned pair against H3-H9; return the valid ones and the conflicts."""
    problem = arrays.problem
    pinned = {(pin.candidate_id, pin.role_id) for pin in problem.pinned}
    # Only pinned pairs are looked up: a set of every scored pair costs ~1 s at xl.
    scored = (
        pinned.intersection((s.candidate_id, s.role_id) for s in problem.scores)
        if pinned
        else set()
    )
    pins: list[PinnedPair] = []
    conflicts: list[Conflict] = []
    for i, pin in enumerate(problem.pinned):
        label = f"pinned[{i}] ({pin.candidate_id}, {pin.role_id})"
        c, r = arrays.cand_index[pin.candidate_id], arrays.role_index[pin.role_id]
        cand, role = np.array([c]), np.array([r])
        distance = pair_distance(arrays, cand, role)
        ctx = PairContext(cand, role, distance)
        failed = [rule for rule, check in ELIGIBILITY_RULES if not check(arrays, ctx)[0]]
        conflicts.extend(
            Conflict(
                rule=rule,
                records=[pin.candidate_id, pin.role_id],
                message=f"{label}: {_rule_detail(arrays, rule, pin, float(distance[0]))}",
            )
            for rule in failed
        )
        if problem.policy.scored_pairs_only and (pin.candidate_id, pin.role_id) not in scored:
            failed.append("H10")
            conflicts.append(
                Conflict(
                    rule="H10",
                    records=[pin.candidate_id, pin.role_id],
                    message=f"{label}: no scores entry while policy.scored_pairs_only is set",
                )
            )
        if failed:
            continue
        relocation = bool(distance[0] > arrays.cand_commute[c])
        package, conflict = _package_conflict(arrays, pin, r, relocation, label)
        if conflict is not None:
            conflicts.append(conflict)
        else:
            assert package is not None
            pins.append(PinnedPair(c, r, package))
    return pins, conflicts
