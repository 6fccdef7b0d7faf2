"""Peer for the benchmarks: staff costs per organisation, as an analyst would compute them with
pandas and openpyxl.

Not part of redovisa. `benches/run.sh` times it against `redovisa run` on the same inbox. It reads
every workbook's Uppgifter, Personal, Tidrapport and Frånvaro sheets with `pandas.read_excel`
(engine openpyxl), finds each table's header row, keeps the highest Version per organisation and
month, and sums per organisation and month

    hours × Månadslön × 12 / 1720 × 1.024^(whole years since Startdatum) + on-costs

(fixed-share staff: 1720 × Andel / 12 hours, pro rata for a part month, less Frånvaro), then per
organisation.
It copes with what the partners really type (text numbers such as "48 400 kr" or "7,5", hours as
durations, shares as 50 or 0,5, periods as dates, "2026-04" or "juli 2025"), as such a script
must to get the right figures; it does no other validation and writes no outputs.

    python pandas_openpyxl.py <project folder> [--from YYYY-MM] [--to YYYY-MM] [--jobs N]

Prints one line per organisation and the total, in kronor.
"""

import argparse
import datetime as dt
import os
import re
import sys
import tomllib
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december"]
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def norm(value):
    """A header or sheet name as compared: trimmed, lower case, without a trailing colon."""
    return str(value).strip().rstrip(":").strip().lower()


def blank(value):
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def number(value):
    """A number from a cell: numeric, a duration, a time of day, or Swedish text."""
    if blank(value):
        return None
    if isinstance(value, (dt.timedelta, pd.Timedelta)):
        return value.total_seconds() / 3600
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60 + value.second / 3600
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace("\u00a0", " ").replace("kr", "").replace(" ", "").strip()
    if ":" in text:
        h, m = text.split(":", 1)
        return int(h) + int(m) / 60
    return float(text.replace(",", "."))


def date(value):
    if blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
    return dt.date.fromisoformat(str(value).strip()[:10])


def month(value):
    """The (year, month) of a Period cell."""
    if isinstance(value, str):
        text = value.strip().lower()
        m = re.match(r"(\d{4})-(\d{1,2})", text)
        if m:
            return int(m.group(1)), int(m.group(2))
        name, year = text.split()
        return int(year), MONTHS_SV.index(name) + 1
    d = date(value)
    return d.year, d.month


def org_number(value):
    digits = re.sub(r"\D", "", str(value).split(".")[0])
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    return f"{digits[:6]}-{digits[6:]}"


def share(value):
    """A share of full time: 50 is 50 %, 0.5 is 50 %."""
    x = number(value)
    if x is None:
        return None
    return x / 100 if x > 1 else x


def sheet(book, name):
    for s in book.sheet_names:
        if norm(s) == name:
            return s
    return None


def table(book, name, required):
    """The sheet's table: the first of its first 20 rows that holds all required headers."""
    s = sheet(book, name)
    if s is None:
        return pd.DataFrame(columns=required)
    raw = pd.read_excel(book, sheet_name=s, header=None, dtype=object)
    for i in range(min(20, len(raw))):
        headers = [norm(v) for v in raw.iloc[i]]
        if all(r in headers for r in required):
            body = raw.iloc[i + 1:].copy()
            body.columns = headers
            return body.dropna(how="all")
    return pd.DataFrame(columns=required)


def read_workbook(path):
    """One workbook's organisation, month, version, staff and hours per person."""
    with pd.ExcelFile(path, engine="openpyxl") as book:
        info = pd.read_excel(book, sheet_name=sheet(book, "uppgifter"), header=None, dtype=object)
        fields = {norm(r[0]): r[1] for r in info.itertuples(index=False) if len(r) > 1 and not blank(r[0])}
        staff = table(book, "personal", ["namn", "startdatum", "månadslön", "redovisning"])
        time = table(book, "tidrapport", ["namn", "timmar"])
        absence = table(book, "frånvaro", ["namn", "timmar"])
    hours = defaultdict(float)
    for name, h in zip(time["namn"], time["timmar"]):
        if not blank(name) and number(h) is not None:
            hours[" ".join(str(name).split()).lower()] += number(h)
    away = defaultdict(float)
    for name, h in zip(absence["namn"], absence["timmar"]):
        if not blank(name) and number(h) is not None:
            away[" ".join(str(name).split()).lower()] += number(h)
    people = []
    for row in staff.to_dict("records"):
        if blank(row.get("namn")):
            continue
        people.append({
            "key": " ".join(str(row["namn"]).split()).lower(),
            "start": date(row["startdatum"]),
            "end": date(row.get("slutdatum")),
            "salary": number(row["månadslön"]),
            "fixed": norm(row["redovisning"]) == "fast andel",
            "share": share(row.get("andel")),
        })
    version = number(fields.get("version"))
    return {
        "org": org_number(fields["organisationsnummer"]),
        "month": month(fields["period"]),
        "version": int(version) if version else 1,
        "people": people,
        "hours": hours,
        "away": away,
    }


def whole_years(start, on):
    return max(0, on.year - start.year - ((on.month, on.day) < (start.month, start.day)))


def month_cost(wb, on_cost, project_start, project_end, indexation, hours_per_year):
    year, mon = wb["month"]
    first = dt.date(year, mon, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    total = 0.0
    for p in wb["people"]:
        rate = p["salary"] * 12 / hours_per_year * (1 + indexation) ** whole_years(p["start"], first)
        if p["fixed"]:
            begin = max(first, p["start"], project_start)
            end = min(last, p["end"] or last, project_end)
            days = max(0, (end - begin).days + 1)
            hours = max(0.0, hours_per_year * p["share"] / 12 * days / last.day - wb["away"].get(p["key"], 0.0))
        else:
            hours = wb["hours"].get(p["key"], 0.0)
        pay = round(hours * rate, 2)
        total += pay + round(pay * on_cost, 2)
    return total


def workbooks(inbox):
    for folder, _, files in sorted(os.walk(inbox)):
        for f in sorted(files):
            if f.lower().endswith(".xlsx") and not f.startswith(("~$", ".")):
                yield os.path.join(folder, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("--from", dest="first", default="0000-00")
    ap.add_argument("--to", dest="last", default="9999-99")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    with open(os.path.join(args.project, "project.toml"), "rb") as f:
        project = tomllib.load(f)
    p = project["project"]
    orgs = {o["org_nr"]: o for o in project.get("partner", []) + project.get("cofinancier", [])}
    inbox = os.path.join(args.project, p.get("inbox", "inkorg"))
    paths = list(workbooks(inbox))
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            books = list(pool.map(read_workbook, paths, chunksize=16))
    else:
        books = [read_workbook(path) for path in paths]
    latest = {}
    for wb in books:
        key = (wb["org"], wb["month"])
        if key not in latest or wb["version"] > latest[key]["version"]:
            latest[key] = wb
    first, last = tuple(map(int, args.first.split("-"))), tuple(map(int, args.last.split("-")))
    start, end = date(p["start"]), date(p["end"])
    indexation = float(p.get("indexation", 2.4)) / 100
    hours_per_year = float(p.get("hours_per_year", 1720))
    per_org = defaultdict(float)
    for (org, mon), wb in latest.items():
        if org in orgs and first <= mon <= last:
            per_org[org] += month_cost(wb, float(orgs[org]["on_costs"]) / 100, start, end, indexation, hours_per_year)
    for org, cost in sorted(per_org.items(), key=lambda kv: orgs[kv[0]]["folder"]):
        print(f"{orgs[org]['folder']}\t{cost:.2f}")
    print(f"total\t{sum(per_org.values()):.2f}\t({len(books)} workbooks)")


if __name__ == "__main__":
    sys.exit(main())
