"""Incentive packages: relocation support and premia, paid from the budget."""

from pydantic import Field, NonNegativeInt

from models.common import PackageId, Record

NO_PACKAGE_ID: PackageId = "none"


class Package(Record):
    """An incentive package offered with a placement."""

    id: PackageId = Field(description="Unique package id.")
    name: str = Field(default="", description="Package name.")
    cost: NonNegativeInt = Field(description="Cost in whole pounds, charged to the budget (H9).")
    relocation_support: bool = Field(
        default=False, description="Includes relocation support (needed for a relocation, H5)."
    )
    challenged_only: bool = Field(
        default=False, description="Only offered at challenged organisations (H9)."
    )


NO_PACKAGE = Package(id=NO_PACKAGE_ID, name="No package", cost=0)
