"""Organisation-level findings: quotas applied by rank, and the checks that change no score.

Quotas (名额) move members above a share to the fallback grade or star count, never
breaking a tie at the cut silently; checks report shares below a total, group bonuses,
rankings of units and members, flags and grade summaries (``checks`` of the result).
"""
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .matching import compile_condition
from .reader import ZERO, round_points

def scored_results(results):
    return [r for r in results if not r.excluded]


def _limit(share, n):
    """Whole places for a share of n people, rounded down (15% of 6 members is 0 places)."""
    return int((share * n).to_integral_value(rounding=ROUND_FLOOR))


def apply_quotas(scheme, results, checks):
    """Move the members above each quota's share to its fallback (by rank; a tie at the cut is left
    to the branch and reported in ``checks``). Returns the results moved, in the order moved (a
    member moved by two quotas appears once)."""
    scored = scored_results(results)
    n = len(scored)
    changed = {}
    for quota in scheme.quotas:
        if quota.grade is not None:
            target_label = quota.grade
            holders = [r for r in scored if r.grade == quota.grade and not r.overridden]
        else:
            target_label = f"{quota.stars}星"
            holders = [r for r in scored if r.stars == quota.stars]
        if quota.max_share is not None:
            places = _limit(quota.max_share, n)
            if len(holders) > places:
                ranked = sorted(holders, key=lambda r: r.total, reverse=True)
                keep = ranked[:places]
                if places > 0 and ranked[places].total == ranked[places - 1].total:
                    cut = ranked[places - 1].total
                    tied = [r for r in ranked if r.total == cut]
                    keep = [r for r in ranked if r.total > cut]
                    checks.append({
                        "type": "quota_tie",
                        "target": target_label,
                        "total": cut,
                        "members": [r.id for r in tied],
                        "places_left": places - len(keep),
                        "message": f"{target_label}名额在 {cut} 分处并列：{len(tied)} 人争 {places - len(keep)} 个名额，"
                                   f"须由支部研究决定，系统未作取舍 (tie at the quota cut; not broken automatically)",
                    })
                kept = {id(r) for r in keep}
                moved = [r for r in ranked if id(r) not in kept]
                for r in moved:
                    if quota.grade is not None:
                        r.grade = quota.fallback
                    else:
                        r.stars = quota.fallback_stars
                    changed[id(r)] = r
                checks.append({
                    "type": "quota",
                    "target": target_label,
                    "limit": places,
                    "candidates": len(holders),
                    "moved": [r.id for r in moved],
                    "to": quota.fallback if quota.grade is not None else quota.fallback_stars,
                    "message": f"{target_label}名额上限 {places} 人（{len(holders)} 人达到分数线），"
                               f"{len(moved)} 人按排名未入选 (quota applied by rank)",
                })
        if quota.min_share is not None:
            if quota.grade is not None:
                count = sum(1 for r in scored if r.grade == quota.grade)
            else:
                count = sum(1 for r in scored if r.stars is not None and r.stars >= quota.stars)
            required = (quota.min_share * n).to_integral_value(rounding=ROUND_CEILING)
            if count < required:
                checks.append({
                    "type": "quota_minimum",
                    "target": target_label,
                    "count": count,
                    "required": int(required),
                    "message": f"{target_label}及以上应不少于 {quota.min_share * 100:.0f}%（{int(required)} 人），"
                               f"实际 {count} 人 (minimum share not reached)",
                })
        if quota.per_branch_min is not None:
            branches = {}
            for r in scored:
                branches.setdefault(r.branch, 0)
                if (r.grade == quota.grade) if quota.grade is not None else (r.stars == quota.stars):
                    branches[r.branch] += 1
            for branch, count in sorted(branches.items()):
                if count < quota.per_branch_min:
                    checks.append({
                        "type": "quota_branch_minimum",
                        "target": target_label,
                        "branch": branch,
                        "count": count,
                        "required": quota.per_branch_min,
                        "message": f"支部 {branch} 的{target_label}人数为 {count}，原则上至少 {quota.per_branch_min} 人 "
                                   f"(branch below its minimum)",
                    })
    return list(changed.values())


def org_checks(scheme, results, contexts, checks):
    scored = scored_results(results)
    for check in scheme.checks:
        if check.type == "share_below":
            if check.scope == "branch":
                groups = {}
                for r in scored:
                    groups.setdefault(r.branch, []).append(r)
            else:
                groups = {None: scored}  # the whole organisation is one group: nothing to sort out
            for branch, members in sorted(groups.items(), key=lambda item: item[0] or ""):
                n = len(members)
                below = [r for r in members if r.total < check.threshold]
                where = f"支部 {branch}" if branch is not None else "本组织"
                low = _limit(check.min_share, n) if check.min_share is not None else None
                high = _limit(check.max_share, n) if check.max_share is not None else None
                if (low is not None and len(below) < low) or (high is not None and len(below) > high):
                    checks.append({
                        "type": "share_below",
                        "branch": branch,
                        "threshold": check.threshold,
                        "count": len(below),
                        "members_scored": n,
                        "required_min": low,
                        "required_max": high,
                        "message": f"{where}：{n} 人中 {len(below)} 人低于 {check.threshold} 分，"
                                   f"方案要求 {low if low is not None else 0}–{high if high is not None else n} 人 "
                                   f"(share below threshold outside the required band)",
                    })
        elif check.type == "group_bonus":
            by_branch = {}
            for r in scored:
                by_branch.setdefault(r.branch, []).append(r.total)
            for branch, totals in sorted(by_branch.items()):
                average = sum(totals, ZERO) / len(totals)
                if average >= check.per_capita:
                    steps = ((average - check.per_capita) / check.step).to_integral_value(rounding=ROUND_FLOOR)
                    points = check.base_points + steps * check.step_points
                    checks.append({
                        "type": "group_bonus",
                        "branch": branch,
                        "per_capita": round_points(average),
                        "points": points,
                        "message": f"{branch} 人均 {round_points(average)} 分，集体加 {points} 分 (group bonus earned)",
                    })
        elif check.type == "branch_ranking":
            maximum = scheme.stars.maximum if scheme.stars else 0
            rows = []
            by_branch = {}
            for r in scored:
                by_branch.setdefault(r.branch, []).append(r)
            for branch, members in by_branch.items():
                stars = sum(r.stars or 0 for r in members)
                share = Decimal(stars) / (len(members) * maximum) if maximum else ZERO
                rows.append({"branch": branch, "star_share": round_points(share),
                             "total": sum((r.total for r in members), ZERO)})
            rows.sort(key=lambda row: (-row["star_share"], -row["total"], row["branch"]))
            checks.append({"type": "branch_ranking", "ranking": rows,
                           "message": "单元排名：先看得星百分比，再看总分 (units ranked by star share, then total)"})
        elif check.type == "member_ranking":
            ranked = sorted(scored, key=lambda r: (-(r.stars or 0), -r.total, r.id))
            checks.append({
                "type": "member_ranking",
                "ranking": [{"member": r.id, "stars": r.stars, "total": r.total} for r in ranked],
                "message": check.message or "个人排名：先看得星数量，再看各星分数之和 (members ranked by stars, then total)",
            })
        elif check.type == "top_ranked":
            pool = [r for r in scored if check.grade is None or r.grade == check.grade]
            ranked = sorted(pool, key=lambda r: -r.total)
            chosen = ranked[:check.count]
            tied = []
            if len(ranked) > check.count and ranked[check.count].total == chosen[-1].total:
                cut = chosen[-1].total
                tied = [r.id for r in ranked if r.total == cut]
                chosen = [r for r in chosen if r.total > cut]
            checks.append({
                "type": "top_ranked",
                "members": [r.id for r in chosen],
                "tied": tied,
                "message": check.message + ("；名次线上并列，须由支部研究决定 (tie at the cut)" if tied else ""),
            })
        elif check.type == "grade_summary":
            counts = {label: 0 for label in check.per_grade}
            for r in scored:
                if r.grade in counts:
                    counts[r.grade] += 1
            checks.append({
                "type": "grade_summary",
                "counts": counts,
                "per_grade": dict(check.per_grade),
                "sum": sum((check.per_grade[g] * n for g, n in counts.items()), ZERO),
                "message": check.message,
            })
        elif check.type == "member_flag":
            flagged = compile_condition(check.when)  # once for all members
            for r, ctx in zip(results, contexts):
                if ctx is not None and flagged(ctx):
                    checks.append({"type": "member_flag", "member": r.id, "message": check.message})
