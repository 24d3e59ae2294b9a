"""Synthetic industry ledgers for `manage.py seed_scale` (reports/scale.py explains the contract).

Per town: a few enterprises kept at the town and one in most villages, each answered for by a township cadre (包企),
visited about once a quarter, some visits raising a problem. Per village: a featured project, about two collective
income entries a month (a quarter of them from the project) and a sale a month. Returns the derived figures of the
rows written.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from branches.models import Assignment
from reports.plugins import add_months, insert, new_ids

from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit

SECTORS = ("粮油加工", "生物科技", "农产品", "建材", "服装", "物流")
CHAINS = ("粮油+", "", "", "果蔬+")
PRODUCTS = ("红薯粉", "红薯片", "芝麻糖", "柴火腊肉", "火龙果", "猕猴桃", "茶油", "土鸡蛋")
PLATFORMS = ("抖音", "拼多多", "淘宝", "微信小店")
SOURCES = [choice for choice, _label in IncomeEntry.Source.choices]
TOWN_ENTERPRISES = 4


def day_in(month, rng):
    return month + timedelta(days=rng.randrange(28))


def money(low, high, rng):
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def seed(villages, months, rng):
    first = months[0]
    today_enterprise = ContentType.objects.get_for_model(Enterprise)
    figures = defaultdict(dict)
    enterprises, assignments, visits, problems = [], [], [], []
    towns = defaultdict(list)
    for village in villages:
        towns[village.town.pk].append(village)

    # Enterprises and 包企: at the town and in two villages of three. Some assignments begin during the period.
    in_force = defaultdict(list)  # town id → [(cadre id, enterprise id, start or None)]
    backlog = defaultdict(list)  # town id → [(problem raised on, resolved on or None)]
    for town_villages in towns.values():
        town = town_villages[0].town
        homes = [town] * TOWN_ENTERPRISES + [village.unit for village in town_villages if village.number % 3]
        for index, (home, pk) in enumerate(zip(homes, new_ids(Enterprise, len(homes)), strict=True)):
            kind = Enterprise.Kind.ABOVE_SCALE if home is town else rng.choice(list(Enterprise.Kind))
            enterprises.append({
                "id": pk, "unit_id": home.pk, "name": f"{home.name}{rng.choice(SECTORS)}企业{index + 1:02d}",
                "kind": kind, "sector": rng.choice(SECTORS), "chain": rng.choice(CHAINS),
                "is_leading": home is town and index == 0, "contact_name": "", "contact_phone": "", "address": "",
                "yearly_tax": money(10, 500, rng), "jobs": rng.randint(5, 120), "note": "",
            })  # fmt: skip
            cadre = town_villages[index % len(town_villages)].cadre_id
            start = None if rng.random() < 0.7 else add_months(first, rng.randrange(len(months)))
            assignments.append({"kind": Assignment.Kind.ENTERPRISE, "unit_id": home.pk, "cadre_id": cadre,
                                "member_id": None, "household_id": None, "target_type_id": today_enterprise.pk,
                                "target_id": pk, "role_title": "包企干部", "start_date": start,
                                "end_date": None})  # fmt: skip
            in_force[town.pk].append((cadre, pk, start))
            for month in months[rng.randrange(3) :: 3]:
                visit, visited = new_ids(ServiceVisit, 1)[0], day_in(month, rng)
                visits.append({"id": visit, "unit_id": home.pk, "enterprise_id": pk, "cadre_id": cadre,
                               "date": visited, "policies": "惠企政策宣讲",
                               "note": "走访了解生产经营情况。"})  # fmt: skip
                if rng.random() < 0.3:
                    deadline = add_months(month, 1) + timedelta(days=14)
                    solved = deadline < add_months(months[-1], -1)
                    resolved = deadline - timedelta(days=3) if solved else None
                    backlog[town.pk].append((visited, resolved))
                    problems.append({
                        "unit_id": home.pk, "visit_id": visit, "enterprise_id": pk, "raised_on": visited,
                        "description": rng.choice(("用工招聘困难", "融资需求", "用电保障", "道路运输")),
                        "status": Problem.Status.SOLVED if solved else Problem.Status.IN_PROGRESS,
                        "responsible": "联村干部", "deadline": deadline,
                        "resolved_on": resolved,
                        "resolution": "已协调解决。" if solved else "",
                    })  # fmt: skip
        for month in months:
            on = add_months(month, 1)
            active = [(cadre, pk) for cadre, pk, start in in_force[town.pk] if start is None or start <= on]
            figures["ind.enterprise_cadres"][(town.pk, month)] = Decimal(len({cadre for cadre, _pk in active}))
            figures["ind.enterprises_assigned"][(town.pk, month)] = Decimal(len({pk for _cadre, pk in active}))
        # The town's 包企 problems (of its enterprises and its villages'): raised, settled and open at month end.
        raised = sorted(day for day, _resolved in backlog[town.pk])
        settled = sorted(resolved for _day, resolved in backlog[town.pk] if resolved is not None)
        for month in months:
            start, end = month, add_months(month, 1)
            key = (town.pk, month)
            figures["ind.problems_raised"][key] = Decimal(bisect_left(raised, end) - bisect_left(raised, start))
            figures["ind.problems_settled"][key] = Decimal(bisect_left(settled, end) - bisect_left(settled, start))
            figures["ind.problems_open"][key] = Decimal(bisect_left(raised, end) - bisect_left(settled, end))
    insert(Enterprise, enterprises)
    insert(Assignment, assignments)
    insert(ServiceVisit, visits)
    insert(Problem, problems)

    # The village collective economy: a featured project, incomes and sales.
    projects, project_households, incomes, sales = [], [], [], []
    for village in villages:
        project = new_ids(FeaturedProject, 1)[0]
        products = rng.sample(PRODUCTS, 2)
        projects.append({"id": project, "unit_id": village.unit.pk, "name": f"{village.unit.name}{products[0]}项目",
                         "cooperative": f"{village.unit.name}种养专业合作社", "products": "、".join(products),
                         "brand": "", "started": first, "note": ""})  # fmt: skip
        for household, _grid in village.households[:: max(1, len(village.households) // 6)][:6]:
            project_households.append({"featuredproject_id": project, "household_id": household})
        key = village.unit.pk
        for month in months:
            total = featured = kg = Decimal(0)
            for _entry in range(rng.randint(1, 3)):
                amount = money(800, 6000, rng)
                from_project = rng.random() < 0.25
                incomes.append({"unit_id": key, "date": day_in(month, rng), "source": rng.choice(SOURCES),
                                "amount": amount, "project_id": project if from_project else None, "note": ""})
                total += amount
                featured += amount if from_project else 0
            if rng.random() < 0.8:
                weight = money(20, 400, rng)
                ecommerce = rng.random() < 0.6
                sales.append({"unit_id": key, "date": day_in(month, rng), "project_id": project,
                              "product": products[0], "channel": "ecommerce" if ecommerce else "offline",
                              "platform": rng.choice(PLATFORMS) if ecommerce else "集市", "kg": weight,
                              "amount": weight * 30})  # fmt: skip
                kg += weight if ecommerce else 0
            figures["ind.collective_income"][(key, month)] = total
            figures["ind.featured_income"][(key, month)] = featured
            figures["ind.ecommerce_kg"][(key, month)] = kg
    insert(FeaturedProject, projects)
    insert(FeaturedProject.households.through, project_households)
    insert(IncomeEntry, incomes)
    insert(SalesRecord, sales)
    return figures
