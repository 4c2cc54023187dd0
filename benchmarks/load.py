"""Nothing lost under load: simulated RHI workers saving interview pages against gunicorn on PostgreSQL.

Each worker signs in, then saves pages of its own interview back to back with a one-second pause for
DURATION seconds; a few also submit. Afterwards every acknowledged save (a redirect) is checked
against the database: the last value each worker was told was saved must be the stored one.
Reports 5xx count, lost or overwritten saves, and save times (median, p95) as the clients saw them
and as the server logged them, with a trivial route (/healthz) timed in the same run as the floor.
The workers run as threads spread over several client processes (one per ten workers). Talks only to
127.0.0.1. Not part of the test suite.

    .venv/bin/python benchmarks/load.py [--workers 50] [--duration 60] [--gunicorn-workers 4] [--gunicorn-threads 1] [--client-processes N]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from html import unescape as html_unescape
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-otter-lantern"
TEXT_KINDS = {"text", "long_text"}


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True)


def prepare(database_url: str, workers: int, env: dict) -> tuple[list[dict], list[tuple[str, str]]]:
    os.environ.update(env)
    from rhi_service import create_app
    from rhi_service.extensions import db
    from rhi_service.forms.schema import get
    from rhi_service.models.organisations import Organisation, User
    from rhi_service.passwords import hash_password
    from tests import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        home = Organisation(name="Load Test Council", kind="local_authority", is_home=True)
        db.session.add(home)
        db.session.flush()
        password_hash = hash_password(PASSWORD)
        people = []
        for number in range(workers):
            user = User(username=f"worker{number}", full_name=f"Load Worker {number}", role="interviewer",
                        organisation_id=home.id, password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            child = factories.child(home, "Loadchild", f"Number{number}")
            rhi = factories.rhi(child, interviewer=user, status="interview_arranged")
            people.append({"username": user.username, "rhi_id": str(rhi.id)})
        db.session.commit()
        definition = get("interview")
        pages = [(section.code, page.code) for section in definition.sections for page in section.pages
                 if not page.list_question and all(q.kind in TEXT_KINDS for q in page.questions)]
        db.engine.dispose()
    return people, pages


FORM = re.compile(r'<main\b.*?(<form\b[^>]*method="post".*?</form>)', re.S | re.I)
FIELD = re.compile(r'<(input|textarea)\b([^>]*)>', re.I)
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def form_fields(html: str) -> tuple[dict, list[str]]:
    """The page's form: hidden values to send back and the names of its text boxes. A regular
    expression rather than an HTML parser, since 50 clients parsing in one process would take the
    CPU the server is being measured on (these are the app's own templates, so the shape is known)."""
    form = FORM.search(html).group(1)
    data, texts = {}, []
    for tag, attributes in FIELD.findall(form):
        attrs = dict(ATTRIBUTE.findall(attributes))
        name = attrs.get("name")
        if not name:
            continue
        if tag.lower() == "textarea" or attrs.get("type", "text") == "text":
            texts.append(name)
        elif attrs.get("type") == "hidden":
            data[name] = html_unescape(attrs.get("value", ""))
    return data, texts


class Worker(threading.Thread):
    def __init__(self, number, base, person, pages, deadline, submit, results):
        super().__init__(daemon=True)
        self.number, self.base, self.person, self.pages = number, base, person, pages
        self.deadline, self.submit, self.results = deadline, submit, results
        self.acknowledged: dict[str, str] = {}

    def run(self):
        client = httpx.Client(base_url=self.base, follow_redirects=False, timeout=30)
        page = client.get("/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        response = client.post("/sign-in", data={"csrf_token": token.group(1), "username": self.person["username"], "password": PASSWORD})
        if response.status_code != 302:
            self.results["errors"].append(f"worker {self.number} could not sign in: {response.status_code}")
            return
        rhi = self.person["rhi_id"]
        saves = 0
        warm = False
        while time.monotonic() < self.deadline:
            section, page_code = self.pages[(self.number + saves) % len(self.pages)]
            url = f"/rhis/{rhi}/interview/{section}/{page_code}"
            got = client.get(url)
            self.results["statuses"].append(got.status_code)
            if got.status_code != 200:
                time.sleep(1)
                continue
            data, texts = form_fields(got.text)
            values = {name: f"worker {self.number} save {saves} {name} {secrets.token_hex(4)}" for name in texts}
            data.update(values)
            data["action"] = "later"
            started = time.monotonic()
            # the first save loads the tagger in its server process: neither side counts it
            posted = client.post(url, data=data, headers={"X-Load-Timed": "yes" if warm else "no"})
            elapsed = time.monotonic() - started
            self.results["statuses"].append(posted.status_code)
            if posted.status_code == 302:
                if warm:
                    self.results["save_seconds"].append(elapsed)
                warm = True
                self.acknowledged.update(values)
            saves += 1
            time.sleep(1)
        if self.submit:
            self.complete_and_submit(client, rhi)
        client.close()

    def post_form(self, client, url: str, answers: dict, kept: tuple = ()):
        """GET the page and send its hidden fields back with `answers`; the `kept` answers a redirect
        acknowledges are what the database must hold afterwards."""
        got = client.get(url)
        self.results["statuses"].append(got.status_code)
        if got.status_code != 200:
            return None
        data, texts = form_fields(got.text)
        data.update(answers)
        posted = client.post(url, data=data)
        self.results["statuses"].append(posted.status_code)
        if posted.status_code == 302:
            self.acknowledged.update({name: data[name] for name in kept if name in data})
        return posted

    def complete_and_submit(self, client, rhi: str) -> None:
        """Answer every page (the worker's last saved text kept), complete each section, then submit:
        untimed, once, after the timed saves."""
        from tests.integration.test_guided_interview import answers_for, safety_action_for
        from rhi_service.forms.schema import get

        held_at = datetime.now(timezone.utc) - timedelta(hours=1)
        for section in get("interview").sections:
            base = f"/rhis/{rhi}/interview/{section.code}"
            for page in section.pages:
                if page.list_question:
                    self.post_form(client, f"{base}/{page.code}/new", {"item_key": uuid.uuid4().hex, **safety_action_for(held_at)})
                    self.post_form(client, f"{base}/{page.code}", {"add_another": "no"})
                    continue
                answers = {k: v for k, v in answers_for(page, held_at).items() if k != "version"}
                answers.update({k: v for k, v in self.acknowledged.items() if k in answers})
                texts = tuple(q.code for q in page.questions if q.kind in TEXT_KINDS)
                posted = self.post_form(client, f"{base}/{page.code}", answers, kept=texts)
                if posted is None or posted.status_code != 302:
                    self.results["errors"].append(f"worker {self.number}: page {section.code}/{page.code} not saved")
                    return
            self.post_form(client, f"{base}/complete", {"completed": "yes"})
        got = client.get(f"/rhis/{rhi}/check-answers")  # its form posts to submit
        data, _ = form_fields(got.text)
        posted = client.post(f"/rhis/{rhi}/submit", data=data)
        self.results["statuses"].append(posted.status_code)
        if posted.status_code == 302 and "check-answers" not in posted.headers.get("location", ""):
            self.results["submitted"].append(rhi)
        else:
            self.results["errors"].append(f"worker {self.number}: submit answered {posted.status_code}")


def floor(base: str, count: int = 200) -> list[float]:
    times = []
    with httpx.Client(base_url=base) as client:
        for _ in range(count):
            started = time.monotonic()
            client.get("/healthz")
            times.append(time.monotonic() - started)
    return times


def run_clients(base, people, pages, deadline, numbers, queue) -> None:
    """One client process: its share of the workers as threads. The workers are spread over several
    processes so that one client's interpreter lock does not add its own queue to the times measured."""
    results = {"statuses": [], "save_seconds": [], "submitted": [], "errors": []}
    workers = [Worker(n, base, people[n], pages, deadline, submit=n % 10 == 0, results=results) for n in numbers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.monotonic()) + 120)
    queue.put((results, [(worker.person, worker.acknowledged) for worker in workers]))


def server_save_times(log_path: str) -> list[float]:
    """Seconds the server spent on each timed save it acknowledged, from gunicorn's access log."""
    times = []
    for line in Path(log_path).read_text().splitlines():
        method, path, status, micros, timed = line.split()
        if method == "POST" and timed == "yes" and status == "302":
            times.append(int(micros) / 1e6)
    return times


def check(database_url: str, workers: list[tuple[dict, dict]], env: dict, submitted: list[str]) -> tuple[int, int, int]:
    os.environ.update(env)
    from rhi_service import create_app
    from rhi_service.extensions import db
    from rhi_service.forms import engine

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    lost = checked = 0
    with app.app_context():
        for person, acknowledged in workers:
            stored = engine.answers("interview", uuid.UUID(person["rhi_id"]))
            for code, value in acknowledged.items():
                checked += 1
                answer = stored.get(code)
                if answer is None or answer.text_value != value:
                    lost += 1
        from rhi_service.models.interviews import ReturnInterview
        held = sum(1 for rhi_id in submitted
                   if db.session.get(ReturnInterview, uuid.UUID(rhi_id)).status == "submitted")
        db.engine.dispose()
    return checked, lost, held


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=1,
                        help="1, as the README's production run: the work is CPU, so threads only queue on the interpreter lock")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--client-processes", type=int, default=0, help="default: one per 10 workers")
    args = parser.parse_args()

    name = f"rhi_load_{os.getpid()}"
    psql(f"CREATE DATABASE {name}")
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    instance = tempfile.mkdtemp(prefix="rhi-load-")
    from cryptography.fernet import Fernet

    env = {"DATABASE_URL": database_url, "RHI_INSTANCE_PATH": instance, "SECRET_KEY": secrets.token_hex(32),
           "RHI_ENCRYPTION_KEY": Fernet.generate_key().decode(), "RHI_ENV": "development"}
    server = None
    access_log = os.path.join(instance, "access.log")
    try:
        people, pages = prepare(database_url, args.workers, env)
        print(f"prepared {len(people)} workers; {len(pages)} free-text interview pages to save")
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.gunicorn_workers), "--threads", str(args.gunicorn_threads),
             "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
             "--access-logfile", access_log, "--access-logformat", "%(m)s %(U)s %(s)s %(D)s %({x-load-timed}i)s", "rhi_service:create_app()"],
            cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
        )
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        floor_before = floor(base)
        Path(access_log).write_text("")  # the floor's requests are not saves
        results = {"statuses": [], "save_seconds": [], "submitted": [], "errors": []}
        deadline = time.monotonic() + args.duration
        processes = args.client_processes or max(1, (len(people) + 9) // 10)
        fork = multiprocessing.get_context("fork")
        queue = fork.Queue()
        clients = [fork.Process(target=run_clients, args=(base, people, pages, deadline, range(n, len(people), processes), queue))
                   for n in range(processes)]
        for client in clients:
            client.start()
        workers = []
        for _ in clients:
            part, acknowledged = queue.get(timeout=args.duration + 300)
            for key, values in part.items():
                results[key] += values
            workers += acknowledged
        for client in clients:
            client.join()
        floor_after = floor(base)
        server_times = server_save_times(access_log)
        checked, lost, held = check(database_url, workers, env, results["submitted"])
        server_errors = sum(1 for s in results["statuses"] if s >= 500)
        saves = results["save_seconds"]
        floor_times = floor_before + floor_after
        print(f"requests: {len(results['statuses'])}; 5xx: {server_errors}; acknowledged saves: {len(saves)}; "
              f"submitted: {len(results['submitted'])} (stored as submitted: {held})")
        print(f"answers checked against acknowledged saves: {checked}; lost or overwritten: {lost}")
        print(f"save time: median {statistics.median(saves) * 1000:.0f} ms, p95 {percentile(saves, 0.95) * 1000:.0f} ms "
              f"(target p95 100 ms), as the {len(people)} clients saw it")
        print(f"save time in the server: median {statistics.median(server_times) * 1000:.0f} ms, "
              f"p95 {percentile(server_times, 0.95) * 1000:.0f} ms (gunicorn's access log, {len(server_times)} saves)")
        print(f"floor, GET /healthz on the same server: median {statistics.median(floor_times) * 1000:.1f} ms, "
              f"p95 {percentile(floor_times, 0.95) * 1000:.1f} ms")
        for error in results["errors"][:5]:
            print("error:", error)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
