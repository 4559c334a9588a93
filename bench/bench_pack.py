"""Benchmark the tierguard pack against the bare pulumi_policy floor, in the same run.

    python bench/bench_pack.py [--repeat 5] [--resources 1000]

Measures, for both packs, each driven over gRPC exactly as the engine drives it:
  1. start-up: process start until the port is printed;
  2. Analyze per resource: the beta stack's resources, analyzed many times;
  3. a stack of N Render web services: Analyze each, then AnalyzeStack once.
Prints medians and the ratios against the floor. Targets: ≤ 1.2× the floor per
resource, start-up within 0.3 s of the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tierguard.declared import RENDER_WEB, Resource  # noqa: E402
from tierguard.engine import PackProcess, engine_config  # noqa: E402
from tierguard.offline import flat_config, run_program  # noqa: E402

STACK = "beta"
PACKS = {"floor": ROOT / "bench" / "floor_pack", "tierguard": ROOT / "policies"}


def start(pack: Path, config, secrets) -> tuple[PackProcess, float]:
    t = time.perf_counter()
    # No report file: the run measures analysis, not disk writes.
    proc = PackProcess(pack, "bassline", STACK, config, secrets, extra_env={"TIERGUARD_REPORT": "off"})
    return proc, time.perf_counter() - t


def measure(pack: Path, config, secrets, resources, many) -> dict[str, float]:
    """One run of one pack: start-up, Analyze per resource, and the stack of N services."""
    proc, took = start(pack, config, secrets)
    with proc:
        proc.info()
        proc.configure_stack()
        proc.analyze_stack(resources)  # warm: the first call loads the catalog
        rounds = 50
        t = time.perf_counter()
        for _ in range(rounds):
            for r in resources:
                proc.analyze(r)
        per = (time.perf_counter() - t) / (rounds * len(resources))
        t = time.perf_counter()
        for r in many:
            proc.analyze(r)
        proc.analyze_stack(many)
        big = time.perf_counter() - t
    return {"startup_s": took, "analyze_per_resource_ms": per * 1e3, "stack_of_n_s": big}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--resources", type=int, default=1000)
    ap.add_argument("--stack", default="beta", help="beta blocks (2 violations); beta-recommended passes")
    args = ap.parse_args()
    resources = run_program(ROOT, "bassline", args.stack)
    flat, secrets = flat_config(ROOT, args.stack)
    config = engine_config(flat)
    (web,) = [r for r in resources if r.type == RENDER_WEB]
    many = [Resource(web.type, f"api-{i}", web.props) for i in range(args.resources)]
    global STACK
    STACK = args.stack
    print(f"stack {args.stack}: {len(resources)} resources; {args.repeat} runs each, medians")
    # Floor and tierguard alternate, so a busy machine slows both alike; ratios are per pair.
    runs = {name: [] for name in PACKS}
    for _ in range(args.repeat):
        for name, pack in PACKS.items():
            runs[name].append(measure(pack, config, secrets, resources, many))
    keys = runs["floor"][0].keys()
    floor = {k: statistics.median(r[k] for r in runs["floor"]) for k in keys}
    ours = {k: statistics.median(r[k] for r in runs["tierguard"]) for k in keys}
    ratio = {k: statistics.median(t[k] / f[k] for f, t in zip(runs["floor"], runs["tierguard"])) for k in keys}
    print(f"{'metric':<28}{'floor':>12}{'tierguard':>12}{'ratio':>9}  target")
    print(f"{'start-up (s)':<28}{floor['startup_s']:>12.3f}{ours['startup_s']:>12.3f}"
          f"{ratio['startup_s']:>8.2f}×  +{ours['startup_s'] - floor['startup_s']:.3f} s (≤ +0.3 s)")
    print(f"{'Analyze per resource (ms)':<28}{floor['analyze_per_resource_ms']:>12.3f}{ours['analyze_per_resource_ms']:>12.3f}"
          f"{ratio['analyze_per_resource_ms']:>8.2f}×  (≤ 1.2×)")
    print(f"{f'{args.resources} Render services (s)':<28}{floor['stack_of_n_s']:>12.3f}{ours['stack_of_n_s']:>12.3f}"
          f"{ratio['stack_of_n_s']:>8.2f}×")


if __name__ == "__main__":
    main()
