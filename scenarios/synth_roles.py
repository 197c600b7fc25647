"""Vacancies: the vacant board seats plus manager posts (8a-9) spread over the organisations."""

from dataclasses import dataclass

import numpy as np

from models.common import RoleKind
from scenarios.draws import BoolArray, FloatArray, IntArray
from scenarios.synth_organisations import OrganisationTable, SeatTable
from scenarios.workforce import (
    BOARD_POSTS,
    DESIRED_SKILL_MIN_MEAN,
    DESIRED_WEIGHTS,
    DIFFICULT_POSTS,
    MANAGER_FUNCTIONS,
    MANAGER_POST_BAND_SHARES,
    MANAGER_PRIMARY_REQUIRED,
    MANAGER_SECONDARY_REQUIRED,
    SKILL_INDEX,
    SKILLS,
    VSM_RANK,
    BoardPost,
    manager_title,
)

NO_BAND = -1
NOT_A_BOARD_POST = -1

PRIMARY_MASK = np.array(
    [[skill in function.primary for skill in SKILLS] for function in MANAGER_FUNCTIONS]
)
SECONDARY_MASK = np.array(
    [[skill in function.secondary for skill in SKILLS] for function in MANAGER_FUNCTIONS]
)


@dataclass(frozen=True)
class RoleTable:
    """The vacancies of one problem, ordered by organisation (board posts first).

    Attributes:
        org: Index of the role's organisation.
        kind: Role kind.
        title: Job title.
        band_rank: Band rank (models.common.BAND_RANKS), NO_BAND for NED and chair.
        required: Minimum level per skill (0 = not required), one row per role.
        desired: Weight per desired skill (0 = not desired), one row per role.
        difficult: Difficult to recruit.
        post: Index into BOARD_POSTS, or NOT_A_BOARD_POST for manager posts.
    """

    org: IntArray
    kind: tuple[RoleKind, ...]
    title: tuple[str, ...]
    band_rank: IntArray
    required: IntArray
    desired: FloatArray
    difficult: BoolArray
    post: IntArray

    def __len__(self) -> int:
        return len(self.org)

    @property
    def board_level(self) -> BoolArray:
        """Executive, NED and chair roles sit on the board; manager posts do not."""
        return self.post != NOT_A_BOARD_POST


def _board_requirements(rng: np.random.Generator, post: BoardPost) -> tuple[list[int], list[float]]:
    """Required levels (drawn within the post's ranges) and desired-skill weights of a vacancy."""
    required = [0] * len(SKILLS)
    for skill, (low, high) in post.required.items():
        required[SKILL_INDEX[skill]] = int(rng.integers(low, high + 1))
    desired = [0.0] * len(SKILLS)
    for skill, mean in post.skill_means.items():
        if mean >= DESIRED_SKILL_MIN_MEAN and skill not in post.required:
            desired[SKILL_INDEX[skill]] = float(rng.choice(DESIRED_WEIGHTS))
    return required, desired


def board_roles(
    rng: np.random.Generator, seats: SeatTable, vacant: BoolArray, orgs: OrganisationTable
) -> RoleTable:
    """One role per vacant seat; difficult at challenged or rural orgs and for hard posts."""
    chosen = np.flatnonzero(vacant)
    posts = [BOARD_POSTS[p] for p in seats.post[chosen]]
    drawn = [_board_requirements(rng, post) for post in posts]
    org = seats.org[chosen]
    hard_post = np.array([post.key in DIFFICULT_POSTS for post in posts], dtype=bool)
    return RoleTable(
        org=org,
        kind=tuple(post.kind for post in posts),
        title=tuple(post.title for post in posts),
        band_rank=np.array(
            [VSM_RANK if post.kind == RoleKind.EXECUTIVE else NO_BAND for post in posts],
            dtype=np.int64,
        ),
        required=np.array([req for req, _ in drawn], dtype=np.int64).reshape(-1, len(SKILLS)),
        desired=np.array([des for _, des in drawn], dtype=np.float64).reshape(-1, len(SKILLS)),
        difficult=orgs.challenged[org] | orgs.rural_or_coastal[org] | hard_post,
        post=seats.post[chosen],
    )


def _one_secondary_skill(rng: np.random.Generator, function: IntArray) -> BoolArray:
    """For each post, a mask of one of its function's secondary skills, drawn at random."""
    secondary = SECONDARY_MASK[function]
    pick = rng.random(secondary.shape) * secondary
    return secondary & (pick == pick.max(axis=1, keepdims=True))


def manager_roles(rng: np.random.Generator, orgs: OrganisationTable, count: int) -> RoleTable:
    """`count` manager posts, more at large organisations and in weak segments."""
    weight = orgs.size_weight * orgs.vacancy_rate
    org = np.sort(rng.choice(len(orgs), size=count, p=weight / weight.sum()))
    function = rng.choice(
        len(MANAGER_FUNCTIONS), size=count, p=[f.share for f in MANAGER_FUNCTIONS]
    )
    band_rank = rng.choice(len(MANAGER_POST_BAND_SHARES), size=count, p=MANAGER_POST_BAND_SHARES)
    weights = rng.choice(DESIRED_WEIGHTS, size=(count, len(SKILLS)))
    required_secondary = _one_secondary_skill(rng, function)
    return RoleTable(
        org=org,
        kind=(RoleKind.MANAGER,) * count,
        title=tuple(
            manager_title(MANAGER_FUNCTIONS[f], int(b))
            for f, b in zip(function, band_rank, strict=True)
        ),
        band_rank=band_rank.astype(np.int64),
        required=(
            PRIMARY_MASK[function] * np.array(MANAGER_PRIMARY_REQUIRED)[band_rank, None]
            + required_secondary * np.array(MANAGER_SECONDARY_REQUIRED)[band_rank, None]
        ).astype(np.int64),
        desired=np.where(SECONDARY_MASK[function] & ~required_secondary, weights, 0.0),
        difficult=orgs.challenged[org] | orgs.rural_or_coastal[org],
        post=np.full(count, NOT_A_BOARD_POST, dtype=np.int64),
    )


def combine_roles(board: RoleTable, managers: RoleTable) -> RoleTable:
    """All roles ordered by organisation, board posts before manager posts within each."""
    org = np.concatenate([board.org, managers.org])
    order = np.argsort(org, kind="stable")
    kind = board.kind + managers.kind
    title = board.title + managers.title
    return RoleTable(
        org=org[order],
        kind=tuple(kind[i] for i in order),
        title=tuple(title[i] for i in order),
        band_rank=np.concatenate([board.band_rank, managers.band_rank])[order],
        required=np.concatenate([board.required, managers.required])[order],
        desired=np.concatenate([board.desired, managers.desired])[order],
        difficult=np.concatenate([board.difficult, managers.difficult])[order],
        post=np.concatenate([board.post, managers.post])[order],
    )
