"""The desk's banner while a holiday schedule that is needed by now is missing."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CITY_ROLES

from .models import ScheduleGap
from .schedules import may_enter
from .workdays import missing_years


def schedule_alert(request):
    """`schedule_alert`: for city staff and administrators, a callable the desk's base
    template calls (so other pages pay nothing) giving the missing years, or None."""

    def alert():
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.role in CITY_ROLES):
            return None
        years = missing_years(timezone.localdate())
        if not years:
            return None
        affected = ScheduleGap.objects.filter(year__in=years).aggregate(n=Sum("count"))["n"]
        return {"years": _("、").join(str(y) for y in years), "first": years[0],
                "may_enter": may_enter(user), "gaps": affected or 0}

    return {"schedule_alert": alert}
