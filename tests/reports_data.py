"""Hand-counted applications for the report tests (see the table in `dashboard_set`)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from subsidy.models import Application, Payment
from workflows.models import AuditEntry
from workflows.stages import State

from .factories import ApplicationFactory, OrganisationFactory, category, region
from .helpers import at

SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(*args) -> datetime:
    """A local (Asia/Shanghai) time: moment(2021, 9, 1, 9)."""
    return datetime(*args, tzinfo=SHANGHAI)


def decided(app, transition: str, when: datetime) -> Application:
    """Record that `app` took `transition` at `when` (an audit entry and the times the
    service keeps on the row, as the engine would leave them, without the hash chain:
    set-up only)."""
    app.refresh_from_db()
    seq = app.audit_seq + 1
    AuditEntry.objects.create(subject=app, seq=seq, at=when, transition=transition,
                              source="", target=app.state, hash="test")
    times = {"state_changed_at": when}
    if transition in Application.transition_times:
        times[Application.transition_times[transition]] = when
    Application.objects.filter(pk=app.pk).update(audit_seq=seq, **times)
    app.refresh_from_db()
    return app


def make(programme, code, county, state, requested, **extra):
    """An application in `state`; `paid_amount` and `paid_on` given: paid in one payment."""
    org = OrganisationFactory(region=region(county), org_type=extra.pop("org_type",
                                                                        "enterprise"))
    app = ApplicationFactory(programme=programme, category=category(code), organisation=org,
                             requested_amount=Decimal(requested))
    if extra.get("paid_amount"):
        Payment.objects.create(application=app, amount=extra["paid_amount"],
                               paid_on=extra["paid_on"], reference="测试凭证")
    return at(app, state, **extra)


def dashboard_set(programme) -> dict:
    """Six visible applications and a draft, in two counties and two categories:

    | app | cat | county | state                  | requested | approved | paid   |
    | a1  | 01  | 430405 | city_review            | 100000    |          |        |
    | a2  | 01  | 430405 | approved               | 200000    | 150000   |        |
    | a3  | 01  | 430424 | paid                   |  80000    |  80000   | 80000  |
    | a4  | 21  | 430405 | disbursement_notified  |  30000    |  30000   |        |
    | a5  | 21  | 430424 | rejected               |  50000    |          |        |
    | a6  | 21  | 430424 | returned (from acceptance review, still holds its money) |
    |     |     |        |                        |  30000    |  30000   |        |
    | a7  | 01  | 430405 | draft                  |  99999    |          |        |

    Decisions: a1 recommended to the city 2021-09-01; a3 approved 2021-07-05, notified 08-30,
    paid 09-10; a6 approved 07-10 and returned 09-10; a4 approved 07-20, notified 09-14;
    a2 approved 08-20.
    """
    apps = {
        "a1": make(programme, "01", "430405", State.CITY_REVIEW, "100000"),
        "a2": make(programme, "01", "430405", State.APPROVED, "200000",
                   approved_amount=Decimal("150000")),
        "a3": make(programme, "01", "430424", State.PAID, "80000",
                   approved_amount=Decimal("80000"), paid_amount=Decimal("80000"),
                   paid_on=date(2021, 9, 10)),
        "a4": make(programme, "21", "430405", State.DISBURSEMENT_NOTIFIED, "30000",
                   approved_amount=Decimal("30000")),
        "a5": make(programme, "21", "430424", State.REJECTED, "50000"),
        "a6": make(programme, "21", "430424", State.RETURNED, "30000",
                   approved_amount=Decimal("30000"), returned_from=State.ACCEPTANCE_REVIEW),
        "a7": make(programme, "01", "430405", State.DRAFT, "99999"),
    }
    decided(apps["a1"], "recommend", moment(2021, 9, 1, 9))
    decided(apps["a3"], "approve", moment(2021, 7, 5, 10))
    decided(apps["a3"], "notify_disbursement", moment(2021, 8, 30, 10))
    decided(apps["a3"], "confirm_payment", moment(2021, 9, 10, 10))
    decided(apps["a6"], "approve", moment(2021, 7, 10, 10))
    decided(apps["a6"], "return_for_revision", moment(2021, 9, 10, 10))
    decided(apps["a4"], "approve", moment(2021, 7, 20, 10))
    decided(apps["a4"], "notify_disbursement", moment(2021, 9, 14, 10))
    decided(apps["a2"], "approve", moment(2021, 8, 20, 10))
    return apps
