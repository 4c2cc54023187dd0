"""Times the coordinator's pages (issue 6) on PostgreSQL at the large demo scale and at a tenth of it.

    python benchmarks/dashboard.py [--scales tenth,large] [--requests 30] [--keep] [--reuse --instance DIR]

For each scale it creates a database of its own (psql -h 127.0.0.1 -U postgres), loads
`flask demo-data --scale <scale>`, then requests each page through the app (the Flask test client,
signed in as the demo coordinator; every request runs its queries, renders and writes its audit
row: nothing is cached) with varied filters, and reports the median and 95th percentile in
milliseconds. /healthz, a trivial route of the same app, is timed in the same run as the floor.
Targets: every page's median within 150 ms, and at full scale no more than twice its median at a
tenth. Not a test: the suite never imports this file.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c"]


def _psql(sql: str) -> None:
    subprocess.run([*PSQL, sql], check=True, capture_output=True)


def _exists(name: str) -> bool:
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc",
                           f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], check=True, capture_output=True, text=True)
    return done.stdout.strip() == "1"


def _prepare(scale: str, instance: str, reuse: bool = False) -> str:
    name = f"rhi_bench_{scale}"
    if reuse and _exists(name):
        print(f"[{scale}] reusing the database {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    env = os.environ | {"DATABASE_URL": url, "RHI_INSTANCE_PATH": instance, "FLASK_APP": "rhi_service"}
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run([flask, "db", "upgrade", "heads"], env=env, cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run([flask, "demo-data", "--scale", scale], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    print(f"[{scale}] loaded in {time.perf_counter() - started:.0f} s")
    print("\n".join("  " + line for line in done.stdout.strip().splitlines()[-4:]))
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-q", "-c", "VACUUM ANALYZE"], check=True)
    return url


def _client(app):
    from sqlalchemy import select

    from rhi_service.extensions import db
    from rhi_service.models.organisations import User

    with app.app_context():
        user = db.session.execute(select(User).where(User.username == "coordinator")).scalar_one()
        user_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
        session["last_active"] = time.time()
    return client


def _samples(app, rng: random.Random) -> dict:
    """Each page with varied filters and ids from this database."""
    from sqlalchemy import func, select

    from rhi_service.extensions import db
    from rhi_service.models.children import Child
    from rhi_service.models.coordination import EntityGroup
    from rhi_service.models.episodes import MissingEpisode

    with app.app_context():
        groups = [str(g) for g in db.session.execute(select(EntityGroup.id).order_by(func.random()).limit(60)).scalars()]
        children = [str(c) for c in db.session.execute(
            select(MissingEpisode.child_id).group_by(MissingEpisode.child_id).order_by(func.random()).limit(60)).scalars()]
        teams = [t for t in db.session.execute(select(Child.team).distinct()).scalars() if t]
    months = [("2024-01-01", "2024-12-31"), ("2025-06-01", "2026-05-31"), ("", ""), ("2023-12-01", "2026-11-01")]

    def themes():
        start, end = rng.choice(months)
        args = {"period": rng.choice(["week", "month"])}
        if start:
            args |= {"from": start, "to": end}
        choice = rng.randrange(5)
        if choice == 1:
            args["team"] = rng.choice(teams)
        elif choice == 2:
            args["sex"] = rng.choice(["female", "male"])
        elif choice == 3:
            args["age_band"] = rng.choice(["12_13", "14_15", "16_17"])
        elif choice == 4:
            args["code"] = rng.choice(["CSE_GIFTS", "CCE_DEALING", "CSE_PARTIES_WITH_ADULTS", "CSE_HOTEL"])
        return "/themes", args

    return {
        "/healthz (floor)": lambda: ("/healthz", {}),
        "/today": lambda: ("/today", {}),
        "/review/tags": lambda: ("/review/tags", {"status": rng.choice(["waiting", "confirmed", "dismissed", "all"]),
                                                  "category": rng.choice(["", "CSE", "CCE", "TRAFFICKING"]),
                                                  "sort": rng.choice(["newest", "oldest"]), "page": rng.randint(1, 4)}),
        "/themes": themes,
        "/people-and-places": lambda: ("/people-and-places", {"label": rng.choice(["", "PERSON", "LOCATION", "SOCIAL"]),
                                                              "sort": rng.choice(["children", "episodes", "recent"]),
                                                              "page": rng.randint(1, 3)}),
        "/people-and-places/<id>": lambda: (f"/people-and-places/{rng.choice(groups)}", {}),
        "/peer-groups": lambda: ("/peer-groups", {"page": rng.randint(1, 5)}),
        "/repeat-missing": lambda: ("/repeat-missing", {"window": rng.choice(["", "0", "1", "2"]),
                                                        "sort": rng.choice(["recent", "most", "name"]), "page": rng.randint(1, 3)}),
        "/daily-report": lambda: ("/daily-report", {}),
        "/children/<id>/timeline": lambda: (f"/children/{rng.choice(children)}/timeline", {}),
    }


def _measure(url: str, instance: str, requests: int) -> dict:
    from rhi_service import create_app

    os.environ["DATABASE_URL"] = url
    os.environ["RHI_INSTANCE_PATH"] = instance
    app = create_app()
    client = _client(app)
    rng = random.Random(11)
    figures = {}
    for name, sample in _samples(app, rng).items():
        timings = []
        for i in range(requests + 3):
            path, args = sample()
            started = time.perf_counter()
            response = client.get(path, query_string=args)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} {args} answered {response.status_code}")
            if i >= 3:  # the first few warm the connection pool and templates
                timings.append(elapsed)
        timings.sort()
        figures[name] = (statistics.median(timings), timings[max(0, int(round(0.95 * len(timings))) - 1)])
    with app.app_context():
        from rhi_service.extensions import db

        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="tenth,large")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="time a database kept by an earlier run (--keep) instead of loading it again; "
                             "needs the same --instance, which holds its encryption key")
    parser.add_argument("--instance", help="instance folder (keys) to use and keep; a temporary one by default")
    options = parser.parse_args()
    if options.reuse and not options.instance:
        parser.error("--reuse needs the --instance folder the databases were loaded with")
    scales = [s.strip() for s in options.scales.split(",") if s.strip()]
    results = {}
    with tempfile.TemporaryDirectory(prefix="rhi-bench-") as scratch:
        instance = options.instance or scratch
        for scale in scales:
            url = _prepare(scale, instance, options.reuse)
            results[scale] = _measure(url, instance, options.requests)
            if not options.keep:
                _psql(f'DROP DATABASE IF EXISTS "rhi_bench_{scale}" WITH (FORCE)')
    names = list(next(iter(results.values())))
    header = f"{'page':28}" + "".join(f"{s + ' median':>15}{s + ' p95':>13}" for s in scales)
    if len(scales) == 2:
        header += f"{'ratio':>8}"
    print(f"\n{options.requests} requests per page after 3 warm-ups; milliseconds\n{header}")
    failures = []
    for name in names:
        line = f"{name:28}" + "".join(f"{results[s][name][0]:15.1f}{results[s][name][1]:13.1f}" for s in scales)
        if len(scales) == 2:
            ratio = results[scales[1]][name][0] / max(results[scales[0]][name][0], 0.001)
            line += f"{ratio:8.2f}"
            if ratio > 2 and "floor" not in name:
                failures.append(f"{name}: {ratio:.2f}x")
        for s in scales:
            if results[s][name][0] > 150:
                failures.append(f"{name} at {s}: median {results[s][name][0]:.0f} ms")
        print(line)
    print("\nall targets met" if not failures else "\nmissed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
