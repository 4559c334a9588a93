"""Pull-request integration: the report file, the Markdown comment, SARIF, `tierguard comment`, --all-stacks, the workflow."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from tierguard.annotate import AnnotatedReport, Upgrade, annotate
from tierguard.catalog import Basis, Kind
from tierguard.cli import main
from tierguard.engine import run_pack
from tierguard.findings import CatalogInfo, Cost, CostLine, Finding, Fix, Report, Severity, Status, Verdict, verdict_of
from tierguard.locate import Locator, config_path
from tierguard.offline import flat_config, run_program
from tierguard.output import renderer
from tierguard.output.markdown import LIMIT, bar
from tierguard.recommend import Change
from tierguard.reportfile import project_root, report_path

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
BETA_MD_HEAD = "### ❌ tierguard · `beta` · BLOCK: a hard limit fails. Do not launch as declared."


def annotated(analysis, stack: str, root: Path = ROOT):
    a = analysis(stack)
    return annotate(a.report, root, a.config, a.declared, a.catalog, a.config.settings.thresholds)


def pack_run(root: Path, stack: str, env: dict[str, str], policy_config=None):
    resources = run_program(root, "bassline", stack)
    flat, secrets = flat_config(root, stack)
    return run_pack(root / "policies", "bassline", stack, flat, secrets, resources, policy_config, extra_env=env)


# --- 1. the report file ------------------------------------------------------------------

def test_pack_leaves_report_and_comment_when_blocked(tmp_path):
    out = tmp_path / "out" / "report.json"
    diags = pack_run(ROOT, "beta", {"TIERGUARD_REPORT": str(out)})
    assert any(d.enforcement == "mandatory" for d in diags)  # the preview blocks ...
    doc = json.loads(out.read_text())  # ... and the report is there all the same
    assert doc["verdict"] == "block"
    assert doc["locations"]["render.memory@bassline-api"]["line"] == 10
    md = out.with_suffix(".md").read_text()
    assert md.startswith(BETA_MD_HEAD + "\n")
    assert "-    plan: free # report" in md and "+    computeSize: micro" in md
    assert md.endswith("<!-- tierguard:stack=beta -->\n")


def test_pack_default_is_per_stack_at_the_project_root_and_config_can_move_it(repo_copy):
    env = {"TIERGUARD_REPORT": ""}  # unset for the pack: the default applies
    in_pack = set((repo_copy / "policies").iterdir())
    pack_run(repo_copy, "beta-budget", env)
    assert sorted(p.name for p in repo_copy.glob("tierguard-report*")) == [
        "tierguard-report.beta-budget.json", "tierguard-report.beta-budget.md"]
    assert set((repo_copy / "policies").iterdir()) == in_pack  # nothing lands in the pack's own directory
    pack_run(repo_copy, "beta-budget", env, {"tierguard-summary": {"reportFile": "out/pr.json"}})
    assert json.loads((repo_copy / "out/pr.json").read_text())["verdict"] == "warn"
    pack_run(repo_copy, "beta-budget", {"TIERGUARD_REPORT": "off"}, {"tierguard-summary": {"reportFile": "out/x.json"}})
    assert not (repo_copy / "out/x.json").exists()  # the environment wins over the config


def test_report_path_precedence(tmp_path):
    base = tmp_path
    assert report_path({"PULUMI_STACK": "beta"}, None, base) == base / "tierguard-report.beta.json"
    assert report_path({}, None, None) == Path("tierguard-report.json")
    assert report_path({"PULUMI_STACK": "beta"}, "r/x.json", base) == base / "r/x.json"
    assert report_path({"TIERGUARD_REPORT": "/abs/y.json"}, "r/x.json", base) == Path("/abs/y.json")
    assert report_path({"TIERGUARD_REPORT": "off"}, "r/x.json", base) is None
    assert report_path({}, "off", base) is None


def test_project_root_is_found_from_the_pack_directory():
    assert project_root({"PULUMI_PROJECT": "bassline"}, ROOT / "policies") == ROOT
    assert project_root({"PULUMI_PROJECT": "another"}, ROOT / "policies") is None
    assert project_root({}, ROOT / "policies") is None


def test_check_output_report_is_the_file_the_pack_leaves(tmp_path, capsys):
    pack_file = tmp_path / "pack.json"
    pack_run(ROOT, "beta", {"TIERGUARD_REPORT": str(pack_file)})
    mine = tmp_path / "check.json"
    assert main(["check", "--stack", "beta", "--root", str(ROOT), "--output-report", str(mine)]) == 1
    capsys.readouterr()
    assert mine.with_suffix(".md").read_text() == pack_file.with_suffix(".md").read_text()
    assert json.loads(mine.read_text()) == json.loads(pack_file.read_text())


# --- 2. the Markdown comment -------------------------------------------------------------

def test_bar_is_ten_cells_at_most():
    assert bar(0.8) == "████████░░ 80%"
    assert bar(0.0) == "░░░░░░░░░░ 0%"
    assert bar(1.953) == "██████████ 195%"
    assert bar(None) == "-"


def test_beta_markdown_golden(analysis):
    md = renderer("markdown")(annotated(analysis, "beta"))
    golden = GOLDEN / "beta.md"
    if os.environ.get("TIERGUARD_UPDATE_GOLDEN") == "1":
        golden.write_text(md)
    assert md == golden.read_text(), "regenerate with TIERGUARD_UPDATE_GOLDEN=1 if the change is meant"
    assert md.startswith(BETA_MD_HEAD)
    assert len(md) == 3_669


def test_beta_markdown_parts(analysis):
    md = renderer("markdown")(annotated(analysis, "beta"))
    table = md.split("\n\n")[2].splitlines()
    assert [row.split(" | ")[1] for row in table[2:]] == [
        "Render backend RAM", "Render free instance-hours", "Supabase DB connections", "Internet Archive requests"]
    assert "| ❌ | Supabase DB connections | `free/nano` | 40 connections | 10 connections (assumed) | ██████████ 400% | 25 |" in table
    assert "**Recommended fix** (verdict after: WARN): cost $9.00 → **$46.00/month**" in md
    diff = md.split("```diff\n")[1].split("```")[0]
    assert diff == (
        "--- a/render.yaml\n+++ b/render.yaml\n@@ -10 +10,2 @@\n"
        '-    plan: free # report: "Confirmed from render.yaml: plan: free"\n'
        '+    plan: starter # report: "Confirmed from render.yaml: plan: free"\n'
        "+    numInstances: 3\n"
        "--- a/stacks/Pulumi.beta.yaml\n+++ b/stacks/Pulumi.beta.yaml\n"
        "@@ -8 +8 @@\n-    computeSize: nano\n+    computeSize: micro\n"
        "@@ -14 +14 @@\n-    plan: free\n+    plan: pro\n"
        "@@ -17 +17 @@\n-    netlify: personal\n+    netlify: free\n")
    passing = md.split("<details><summary>14 passing checks</summary>")[1].split("</details>")[0]
    assert passing.count("| ✅ |") == 14 and "❌" not in passing


def test_the_diff_is_what_apply_writes(analysis, repo_copy, capsys):
    """Applying the comment's diff gives the files `tierguard apply` writes."""
    md = renderer("markdown")(annotated(analysis, "beta", ROOT))
    patch = md.split("```diff\n")[1].split("```")[0]
    before = repo_copy / "before"
    shutil.copytree(repo_copy, before, ignore=shutil.ignore_patterns("before"))
    subprocess.run(["git", "apply", "--unidiff-zero"], cwd=before, input=patch, text=True, check=True)
    assert main(["apply", "--stack", "beta", "--root", str(repo_copy)]) == 0
    capsys.readouterr()
    for rel in ("render.yaml", "stacks/Pulumi.beta.yaml"):
        assert (before / rel).read_text() == (repo_copy / rel).read_text()


def synthetic(n: int, stack: str = "huge") -> Report:
    """``n`` findings on ``n // 3`` Render services: a third fail, a third warn, a third pass."""
    statuses = (Status.fail, Status.warn, Status.passed)
    findings = []
    for i in range(n):
        st = statuses[i % 3]
        fix = Fix(component="render", resource=f"svc-{i}", field="plan", before="free", after="standard",
                  monthly_delta_usd=25.0, capacity=2048, text="render plan free → standard (+$25/mo)") if st is Status.fail else None
        findings.append(Finding(
            id="render.memory", component="render", metric="memory", title="Render backend RAM | " + "x" * 200,
            resource=f"svc-{i // 3}", tier="free", demand=1000.0 + i, capacity=512.0, unit="MB",
            utilization=(1000.0 + i) / 512, status=st, severity=Severity.critical if st is Status.fail else Severity.high,
            limit_kind=Kind.hard, source="https://render.com/pricing", as_of=dt.date(2026, 1, 1), basis=Basis.inferred,
            formula="f", message="Render backend RAM on free", overage_usd=1.0, headroom_users=i, fix=fix))
    return Report(stack=stack, verdict=verdict_of(findings), load=dict(default_load()), findings=tuple(findings),
                  cost=Cost(lines=tuple(CostLine(component="render", item=f"svc-{i}: free ×1", usd=1.0, kind="overage")
                                    for i in range(n))),
                  catalog=CatalogInfo(version="t", overlay=None, oldest_as_of=dt.date(2026, 1, 1), stale=(),
                                      not_documented=tuple(f"render.memory{i} (inferred)" for i in range(n))),
                  tiers={})


def default_load() -> dict:
    from tierguard.load import Load

    return Load().model_dump(mode="json", by_alias=True)


def test_comment_of_5000_findings_fits_a_github_comment():
    changes = tuple(Change(component="render", resource=f"svc-{i}", to="standard ×1", monthly_delta_usd=25.0,
                           **{"from": "free ×1"}) for i in range(1_667))
    up = Upgrade(changes=changes, diff="-    plan: free\n+    plan: standard\n" * 1_667, monthly_before=0.0,
                 monthly_after=41_675.0, verdict=Verdict.passed)
    big = AnnotatedReport(**dict(synthetic(5_000)), upgrade=up, policy_output="Policies:\n" * 10_000)
    md = renderer("markdown")(big)
    assert len(md) == 23_097 and len(md) < LIMIT
    assert "… 1,607 more changes" in md and "… 3,274 more lines" in md and "… 9,940 more lines" in md
    assert "… 3,304 more metrics (the JSON report has them all)" in md  # 3,334 failing or warning, 30 shown
    assert "… 1,606 more metrics" in md  # 1,666 passing, 60 shown
    assert "… 4,940 more cost items" in md
    assert md.endswith("<!-- tierguard:stack=huge -->\n")
    assert "Render backend RAM \\| xxx" in md  # a pipe in a cell does not break the table


def test_combined_comment_of_50_stacks_of_5000_findings_fits():
    md = renderer("markdown", many=True)([synthetic(5_000, f"s{i:02}") for i in range(50)])
    assert len(md) < LIMIT
    assert md.startswith("### ❌ tierguard · 50 stacks · BLOCK")
    assert md.count("\n#### ") == 12
    assert "… 38 more stacks not shown here: s12, s13" in md
    assert md.endswith("<!-- tierguard:stack=* -->\n")


# --- 3. SARIF -----------------------------------------------------------------------------

def test_sarif_is_valid_and_points_at_the_tier_lines(analysis):
    doc = json.loads(renderer("sarif")(annotated(analysis, "beta")))
    jsonschema.validate(doc, SCHEMA)
    run = doc["runs"][0]
    where = {r["ruleId"]: (r["level"], r["locations"][0]["physicalLocation"]) for r in run["results"]}
    assert {k: (lvl, loc["artifactLocation"]["uri"], loc["region"]["startLine"]) for k, (lvl, loc) in where.items()} == {
        "render.memory": ("error", "render.yaml", 10),
        "render.instance_hours": ("warning", "render.yaml", 10),
        "supabase.db_connections": ("error", "stacks/Pulumi.beta.yaml", 8),
        "internet_archive.requests": ("warning", "stacks/Pulumi.beta.yaml", 19),
    }
    assert all(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%" for _, loc in where.values())
    assert where["supabase.db_connections"][1]["region"]["startColumn"] == 18  # "nano" in "    computeSize: nano"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["render.memory"]["properties"]["security-severity"] == "9.0"
    assert rules["render.memory"]["properties"]["problem.severity"] == "error"
    assert rules["internet_archive.requests"]["properties"]["security-severity"] == "7.0"
    assert rules["supabase.db_connections"]["shortDescription"]["text"] == "Supabase DB connections"
    memory = next(f for f in analysis("beta").report.findings if f.id == "render.memory")
    assert rules["render.memory"]["helpUri"] == memory.source  # the catalog's source for the figure
    assert "helpUri" not in rules["supabase.db_connections"]  # its figure's source is the report, not a URL
    first = next(r for r in run["results"] if r["ruleId"] == "render.memory")
    assert first["message"]["text"].startswith("[beta] Render backend RAM on free: 1,000 MB needed")
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]][first["ruleIndex"]] == "render.memory"


def test_sarif_of_a_stack_with_its_own_blueprint(analysis):
    doc = json.loads(renderer("sarif")(annotated(analysis, "beta-recommended")))
    jsonschema.validate(doc, SCHEMA)
    uris = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris["internet_archive.requests"] == "stacks/Pulumi.beta-recommended.yaml"
    assert "render.memory" not in uris  # standard carries the RAM


def test_locator_falls_back_to_the_enclosing_key():
    loc = Locator(ROOT).find("render.yaml", config_path("render", "instances", "bassline", "bassline-api")[1])
    assert (loc.line, loc.key, loc.missing, loc.exact) == (4, "services[0]", ("numInstances",), False)
    loc = Locator(ROOT).find("stacks/Pulumi.beta.yaml", config_path("cloudfront", "pricing", "bassline")[1])
    assert (loc.line, loc.key, loc.column) == (11, "bassline:cloudfront.pricing", 13)


# --- 6. --all-stacks -----------------------------------------------------------------------

def test_check_all_stacks_one_exit_code_and_combined_outputs(tmp_path, capsys):
    args = ["check", "--all-stacks", "--root", str(ROOT)]
    assert main([*args, "--format", "json"]) == 1
    docs = json.loads(capsys.readouterr().out)
    assert [(d["stack"], d["exit_code"]) for d in docs] == [
        ("beta", 1), ("beta-budget", 0), ("beta-documented", 1), ("beta-recommended", 0)]
    assert main([*args, "--format", "sarif", "--output", str(tmp_path / "t.sarif")]) == 1
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.validate(sarif, SCHEMA)
    assert len(sarif["runs"]) == 1
    assert sorted({r["properties"]["stack"] for r in sarif["runs"][0]["results"]}) == [
        "beta", "beta-budget", "beta-documented", "beta-recommended"]
    assert main([*args, "--format", "markdown"]) == 1
    md = capsys.readouterr().out
    assert md.startswith("### ❌ tierguard · 4 stacks · BLOCK")
    assert "| `beta-documented` | ❌ BLOCK | render.memory, openai.requests_per_minute | $9.00 |" in md
    assert md.count("\n#### ") == 4 and md.count("Policy output") == 4
    assert len(md) < LIMIT


def test_all_stacks_input_error_is_one_line_exit_2(repo_copy):
    text = (repo_copy / "stacks/Pulumi.beta-budget.yaml").read_text()
    (repo_copy / "stacks/Pulumi.beta-budget.yaml").write_text(text.replace("tierguard:users: 100", "tierguard:users: -1"))
    p = subprocess.run([sys.executable, "-m", "tierguard", "check", "--all-stacks", "--root", str(repo_copy)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2
    assert p.stderr == "tierguard: error: stacks/Pulumi.beta-budget.yaml: tierguard:users: expected greater than 0 (got -1)\n"


def test_report_all_stacks_exit_0(capsys):
    assert main(["report", "--all-stacks", "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert out.count("tierguard report: stack ") == 4


# --- 4. tierguard comment -----------------------------------------------------------------

TOKEN = "ghs_s3cr3tT0kenValue"


class FakeGitHub:
    """The issue-comment endpoints, on 127.0.0.1, paginated by 100 as GitHub is."""

    def __init__(self, others: int = 0, status: int | None = None):
        self.comments = [{"id": i + 1, "body": f"comment {i}", "user": {"login": "someone"}} for i in range(others)]
        self.calls: list[tuple[str, str]] = []
        self.status = status
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, doc, headers=None):
                body = json.dumps(doc).encode()
                self.send_response(code)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self, method):
                fake.calls.append((method, self.path))
                if fake.status or self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(fake.status or 401, {"message": "Bad credentials " + TOKEN})
                n = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(n)) if n else None
                path, _, query = self.path.partition("?")
                if method == "GET" and path == "/repos/o/r/issues/7/comments":
                    page = int(dict(q.split("=") for q in query.split("&")).get("page", 1))
                    chunk = fake.comments[(page - 1) * 100: page * 100]
                    more = len(fake.comments) > page * 100
                    link = {"Link": f'<{fake.url}/repos/o/r/issues/7/comments?per_page=100&page={page + 1}>; rel="next"'} if more else {}
                    return self._send(200, chunk, link)
                if method == "POST" and path == "/repos/o/r/issues/7/comments":
                    c = {"id": 1000 + len(fake.comments), "body": data["body"]}
                    fake.comments.append(c)
                    return self._send(201, c)
                if method == "PATCH" and path.startswith("/repos/o/r/issues/comments/"):
                    c = next(c for c in fake.comments if c["id"] == int(path.rsplit("/", 1)[1]))
                    c["body"] = data["body"]
                    return self._send(200, c)
                return self._send(404, {"message": "Not Found"})

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_PATCH(self):
                self._handle("PATCH")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def github(monkeypatch, tmp_path):
    servers = []

    def start(**kw):
        fake = FakeGitHub(**kw)
        servers.append(fake)
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": 7}}))
        for k, v in {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": str(event),
                     "GITHUB_API_URL": fake.url}.items():
            monkeypatch.setenv(k, v)
        return fake
    yield start
    for s in servers:
        s.close()


def comment_file(tmp_path, stack="beta", text="first"):
    f = tmp_path / f"{stack}-{text}.md"
    f.write_text(f"### tierguard {text}\n\n<!-- tierguard:stack={stack} -->\n")
    return f


def test_comment_creates_then_edits_the_same_one(github, tmp_path, capsys):
    gh = github(others=150)  # the page of the marker's comment is page 2
    assert main(["comment", "--file", str(comment_file(tmp_path))]) == 0
    assert capsys.readouterr().out == "tierguard comment: created comment 1150 on o/r#7 (51 characters)\n"
    assert main(["comment", "--file", str(comment_file(tmp_path, text="second"))]) == 0
    assert capsys.readouterr().out == "tierguard comment: updated comment 1150 on o/r#7 (52 characters)\n"
    ours = [c for c in gh.comments if "tierguard:stack=beta" in c["body"]]
    assert [c["body"].splitlines()[0] for c in ours] == ["### tierguard second"]
    assert gh.calls[-3:] == [("GET", "/repos/o/r/issues/7/comments?per_page=100"),
                             ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=2"),
                             ("PATCH", "/repos/o/r/issues/comments/1150")]
    # another stack's comment is its own
    assert main(["comment", "--file", str(comment_file(tmp_path, stack="*"))]) == 0
    assert "created comment 1151" in capsys.readouterr().out
    assert len(gh.comments) == 152


def test_comment_runs_the_check_without_file(github, capsys):
    gh = github()
    assert main(["comment", "--stack", "beta-budget", "--root", str(ROOT)]) == 0
    assert "created comment 1000" in capsys.readouterr().out
    assert gh.comments[0]["body"].startswith("### ⚠️ tierguard · `beta-budget` · WARN")


def test_comment_401_is_a_clear_error_without_the_token(github, tmp_path):
    github(status=401)
    p = subprocess.run([sys.executable, "-m", "tierguard", "comment", "--file", str(comment_file(tmp_path))],
                       capture_output=True, text=True, timeout=60, env=os.environ)
    assert p.returncode == 2
    assert p.stderr == ("tierguard: error: GitHub API: GET /repos/o/r/issues/7/comments: "
                        "expected success (HTTP 401: Bad credentials ***; check GITHUB_TOKEN)\n")
    assert TOKEN not in p.stdout + p.stderr


@pytest.mark.parametrize("missing, line", [
    ("GITHUB_TOKEN", "environment: GITHUB_TOKEN: expected a token (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})"),
    ("GITHUB_REPOSITORY", "environment: GITHUB_REPOSITORY: expected owner/name (GitHub Actions sets it)"),
    ("GITHUB_EVENT_PATH", "environment: GITHUB_EVENT_PATH: expected the event file GitHub Actions sets (or pass --pr)"),
])
def test_comment_missing_env_is_one_line_exit_2(github, tmp_path, monkeypatch, capsys, missing, line):
    gh = github()
    monkeypatch.delenv(missing)
    assert main(["comment", "--file", str(comment_file(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err == f"tierguard: error: {line}\n" and TOKEN not in err
    assert gh.calls == []


def test_comment_without_marker_is_refused(github, tmp_path, capsys):
    github()
    f = tmp_path / "plain.md"
    f.write_text("hello\n")
    assert main(["comment", "--file", str(f)]) == 2
    assert capsys.readouterr().err == (f"tierguard: error: {f}: expected a tierguard comment with its "
                                       "<!-- tierguard:stack=… --> marker\n")


# --- 5. the workflow ------------------------------------------------------------------------

ACTIONLINT = "v1.7.12"
WORKFLOW = ROOT / ".github" / "workflows" / "tierguard.yml"


def test_workflow_has_what_the_pull_request_needs():
    import yaml

    wf = yaml.safe_load(WORKFLOW.read_text())
    assert wf["permissions"] == {"contents": "read", "pull-requests": "write", "security-events": "write"}
    steps = wf["jobs"]["tierguard"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "tierguard check --all-stacks --format markdown --output tierguard-report.md" in runs
    assert "tierguard check --all-stacks --format sarif --output tierguard.sarif" in runs
    sarif = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@v3"))
    assert sarif["with"] == {"sarif_file": "tierguard.sarif", "category": "tierguard"}
    assert next(s for s in steps if s.get("id") == "check")["continue-on-error"] is True
    assert steps[-1]["if"] == "steps.check.outcome == 'failure' || steps.preview.outcome == 'failure'"


def test_workflow_passes_actionlint():
    go = shutil.which("go")
    if go is None:
        pytest.skip("Go is not installed: actionlint is built from Go modules (go install github.com/rhysd/actionlint)")
    gobin = ROOT / ".cache" / f"actionlint-{ACTIONLINT}"
    exe = gobin / "actionlint"
    if not exe.exists():
        subprocess.run([go, "install", f"github.com/rhysd/actionlint/cmd/actionlint@{ACTIONLINT}"], check=True,
                       env={**os.environ, "GOBIN": str(gobin)}, capture_output=True, timeout=600)
    p = subprocess.run([str(exe), "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
