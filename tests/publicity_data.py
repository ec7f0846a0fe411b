"""Set-ups the objection and public-page tests share: a published batch and the form an
objector fills in."""

from datetime import date

from publicity.models import BatchKind
from publicity.services import create_batch, publish_batch
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory

#: A valid resident identity number (check character X) and another one.
VALID_ID = "11010519491231002X"
OTHER_ID = "430402198001010018"
#: A Monday after the 2021 National Day holiday: a batch published that day is open.
TODAY = date(2021, 11, 1)


def approved_applications(programme, n=3, **fields):
    """`n` approved applications of the programme, ready for publicity."""
    apps = [ApplicationFactory(programme=programme, approved_amount=1000 + i,
                               title=f"公示项目{i}", **fields) for i in range(n)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return apps


def published_batch(programme, city, apps=None, start=TODAY, workdays=5, n=3):
    """A batch of `apps` (approved first), else of `n` new ones, published on `start`
    (publishing a period that has begun already is refused: travel there first)."""
    if apps:
        Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    else:
        apps = approved_applications(programme, n)
    batch = create_batch(city, programme, BatchKind.APPROVAL, "2021年度拟资助名单公示", start,
                         workdays, [a.pk for a in apps])
    publish_batch(city, batch)
    batch.refresh_from_db()
    return batch, apps


def objection_data(app, **changes):
    """What an objector types into the public form against `app`."""
    return {"application": str(app.pk), "name": "张三", "identity": VALID_ID,
            "contact": "13800000000", "reasons": "该单位申报的专利与本人专利相同，存在争议。",
            **changes}
