"""Historical balances moved to the city's pooled fund at pooling, and the yearly top-up.

* Shaoxing (`shaoxing_share`, 000 附件 §3.4–3.5): "上划比例=满足全市3个月支付能力的基金额度/
  暂存各区（县、市）基金累计结余的总和" — every county transfers the same share of its retained
  balance; 3 months for the employee scheme, 1 for the resident scheme. "每年年初职工医保归集
  基金支付能力不足3个月时…按上述方式上划补足": the amount is what brings the pooled fund up to
  N months, so the pooled fund's current balance is deducted (0 at pooling, apart from the
  old adjustment fund merged into it; for the resident scheme, the year's income and first
  subsidy quarter already moved up, §3.5). N months of payment capacity = N × the citywide
  spending of the last 12 months ÷ 12, the same measure as reserve months (domain.md). The
  share is capped at 100 %: a county cannot transfer more than it holds.
* Jining (`fixed_share`, 004 §4.5): 30 % of each county's historical balance by the end of
  January; the other 70 % stays in the county's account, frozen. "活期存款不足30%的，待定期
  存款到期后补足": a county whose demand deposits fall short transfers them now and the rest
  when its time deposits mature.

Rounding: Shaoxing's total is split over the counties by `allocate` (largest remainder), so
the transfers add up to the total exactly and each is within one fen of the common share;
Jining's 30 % is rounded half-up per county.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.catalog.profile import Profile
from mibdesk.core.catalog.values import Sourced
from mibdesk.core.i18n import _
from mibdesk.core.rules.outliers import round_half_up
from mibdesk.core.rules.settlement.inputs import require_fen
from mibdesk.core.rules.settlement.terms import Share, allocate
from mibdesk.core.rules.working import Step, ratio, yuan


@dataclass(frozen=True)
class RetainedBalance:
    """A county's retained balance in the scheme (int fen); `demand_deposits`, where given,
    is how much of it is in demand deposits that can move at once (Jining)."""

    code: str
    name: str
    balance: int
    demand_deposits: int | None = None

    def __post_init__(self) -> None:
        require_fen("balance", self.balance)
        if self.demand_deposits is not None:
            require_fen("demand deposits", self.demand_deposits)


@dataclass(frozen=True)
class TransferInput:
    """One scheme's transfer: every county's retained balance; for Shaoxing, what the pooled
    fund holds now and the citywide spending of the 12 months before (int fen)."""

    year: int
    scheme: str
    balances: tuple[RetainedBalance, ...]
    pooled_fund: int = 0
    citywide_spending: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "balances", tuple(self.balances))
        require_fen("pooled fund", self.pooled_fund)
        require_fen("citywide spending", self.citywide_spending)
        codes = [county.code for county in self.balances]
        if len(set(codes)) != len(codes):
            raise ValueError(f"a county appears twice: {sorted(codes)}")


@dataclass(frozen=True)
class CountyTransfer:
    """What one county transfers: `transfer` = `now` + `deferred`; `remaining` stays with it."""

    code: str
    name: str
    balance: int
    transfer: int
    now: int
    deferred: int
    remaining: int
    working: tuple[Step, ...]


@dataclass(frozen=True)
class TransferResult:
    """A scheme's transfer: the total, every county's part (by code), and the working."""

    year: int
    scheme: str
    method: str
    total: int
    counties: tuple[CountyTransfer, ...]
    working: tuple[Step, ...]


def balance_transfer(inputs: TransferInput, profile: Profile) -> TransferResult:
    """The transfer `profile` asks of every county for `inputs.scheme`.

    ValueError when the profile has no transfer rule for the scheme.
    """
    rule = profile.balance_transfer
    scheme = inputs.scheme
    if rule.method == "shaoxing_share" and rule.months and rule.yearly_top_up:
        months = {str(code): months for code, months in rule.months.items()}
        if scheme in months:
            return _shaoxing(inputs, rule.source, months[scheme], rule.yearly_top_up.source)
    if (
        rule.method == "fixed_share"
        and rule.share
        and rule.schemes
        and scheme in rule.schemes.value
    ):
        return _fixed_share(inputs, Share.of_param(rule.share), rule.method)
    raise ValueError(f"{profile.id} has no balance transfer rule for {scheme}")


def _shaoxing(
    inputs: TransferInput, source: str, months: Sourced[Decimal], top_up_source: str
) -> TransferResult:
    target = round_half_up(Fraction(months.value) * inputs.citywide_spending / 12)
    needed = max(target - inputs.pooled_fund, 0)
    held = sum(county.balance for county in inputs.balances)
    total = min(needed, held)
    share = Fraction(total, held) if held else Fraction(0)
    share_text = ratio(share * 100, 4) + "%"
    working = [
        Step(
            _("Citywide spending, last 12 months"),
            inputs.citywide_spending,
            _("all counties' expenditure totals of the 12 months before the transfer"),
            months.source,
        ),
        Step(
            _("Amount that pays {months} months").format(months=_months(months.value)),
            target,
            _("{months} × spending ÷ 12").format(months=_months(months.value)),
            months.source,
        ),
        Step(_("Pooled fund now"), inputs.pooled_fund, _("what it holds"), months.source),
        Step(
            _("To be transferred"),
            needed,
            _("amount needed − pooled fund, not below zero (topped up yearly)"),
            top_up_source,
        ),
        Step(
            _("Retained balances of all counties"),
            held,
            _("sum of the counties' retained balances"),
            months.source,
        ),
        Step(
            _("Transfer share: {share}").format(share=share_text),
            total,
            _("to be transferred ÷ retained balances, at most 100%; the same for every county"),
            source,
        ),
    ]
    parts = allocate(total, {county.code: county.balance for county in inputs.balances})
    counties = []
    for county in sorted(inputs.balances, key=lambda item: item.code):
        part = parts[county.code]
        steps = (
            Step(
                _("Transfer to the pooled fund"),
                part,
                _("{share} of the retained balance {balance}").format(
                    share=share_text, balance=yuan(county.balance)
                ),
                source,
            ),
            Step(
                _("Retained by the county"),
                county.balance - part,
                _("balance − transfer"),
                source,
            ),
        )
        counties.append(
            CountyTransfer(
                county.code,
                county.name,
                county.balance,
                part,
                part,
                0,
                county.balance - part,
                steps,
            )
        )
    return TransferResult(
        inputs.year, inputs.scheme, "shaoxing_share", total, tuple(counties), tuple(working)
    )


def _fixed_share(inputs: TransferInput, share: Share, method: str) -> TransferResult:
    counties = []
    for county in sorted(inputs.balances, key=lambda item: item.code):
        due = share.of(county.balance)
        steps = [
            Step(
                _("Transfer to the city"),
                due,
                _("{share} of the historical balance {balance}").format(
                    share=share.text, balance=yuan(county.balance)
                ),
                share.source,
            )
        ]
        now = due
        if county.demand_deposits is not None and county.demand_deposits < due:
            now = county.demand_deposits
            steps.append(
                Step(
                    _("Transferred when time deposits mature"),
                    due - now,
                    _("demand deposits {held} fall short of the transfer; the rest follows").format(
                        held=yuan(county.demand_deposits)
                    ),
                    share.source,
                )
            )
        steps.append(
            Step(
                _("Kept frozen in the county's account"),
                county.balance - due,
                _("balance − transfer; not to be used without approval"),
                share.source,
            )
        )
        counties.append(
            CountyTransfer(
                county.code,
                county.name,
                county.balance,
                due,
                now,
                due - now,
                county.balance - due,
                tuple(steps),
            )
        )
    total = sum(county.transfer for county in counties)
    working = (
        Step(
            _("Transferred by all counties"),
            total,
            _("{share} of every county's historical balance").format(share=share.text),
            share.source,
        ),
    )
    return TransferResult(inputs.year, inputs.scheme, method, total, tuple(counties), working)


def _months(value: Decimal) -> str:
    return format(value.normalize(), "f")
