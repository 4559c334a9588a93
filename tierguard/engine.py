"""Drive a CrossGuard policy pack the way the Pulumi engine does, without the engine.

The pack runs in its own process, started as the language host starts it (with
``PULUMI_PROJECT``, ``PULUMI_STACK``, ``PULUMI_DRY_RUN`` and ``PULUMI_CONFIG`` set),
prints its port, and is spoken to over the Analyzer gRPC service:
``GetAnalyzerInfo``, ``ConfigureStack``, ``Configure``, ``Analyze`` per resource,
then ``AnalyzeStack``. ``tierguard check`` and the tests both use this.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tierguard.declared import Resource
from tierguard.errors import InputError, PackError

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's sentinel for a value unknown at preview
LEVELS = {0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate"}
LEVEL_IDS = {v: k for k, v in LEVELS.items()}
SEVERITIES = {0: "", 1: "low", 2: "medium", 3: "high", 4: "critical"}
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    pack: str
    message: str
    enforcement: str  # "mandatory" blocks
    severity: str
    urn: str
    resource: str | None  # "type: name" of the resource, None for stack policies


def wire(value: Any) -> Any:
    """A property value as the engine sends it: unknowns become the sentinel string."""
    from pulumi.output import Unknown

    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire(v) for v in value]
    return value


def urn(stack: str, project: str, r: Resource) -> str:
    return r.urn or f"urn:pulumi:{stack}::{project}::{r.type}::{r.name}"


def _from_urn(u: str) -> str | None:
    """``type: name`` from ``urn:pulumi:stack::project::type::name``, as the CLI prints it."""
    parts = u.split("::")
    return f"{parts[-2]}: {parts[-1]}" if len(parts) >= 4 else None


def engine_config(flat: dict[str, Any]) -> dict[str, str]:
    """Config values as strings, objects JSON-encoded: the form ``PULUMI_CONFIG`` has."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in flat.items()}


class PackProcess:
    """A policy pack in its own process, started like the engine starts it."""

    def __init__(self, pack_dir: Path, project: str, stack: str, config: dict[str, str],
                 secret_keys: list[str], extra_env: dict[str, str] | None = None, python: str = sys.executable):
        env = {**os.environ, **(extra_env or {}),
               "PULUMI_PROJECT": project, "PULUMI_STACK": stack, "PULUMI_DRY_RUN": "true",
               "PULUMI_CONFIG": json.dumps(config), "PULUMI_CONFIG_SECRET_KEYS": json.dumps(secret_keys)}
        self.project, self.stack, self.config, self.secret_keys = project, stack, config, secret_keys
        self.proc = subprocess.Popen(
            [python, "-u", str(Path(pack_dir) / "__main__.py"), "127.0.0.1:0"],
            cwd=str(pack_dir), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.port = self._read_port()
        import grpc
        from pulumi.runtime.proto import analyzer_pb2_grpc

        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def _read_port(self) -> int:
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        text = line[0].decode().strip() if line else ""
        if not text.isdigit():
            self.proc.kill()
            err = self.proc.stderr.read().decode(errors="replace").strip().splitlines()
            raise PackError(f"policy pack did not start: {err[-1] if err else 'no port printed'}")
        return int(text)

    def info(self):
        from google.protobuf import empty_pb2

        return self.stub.GetAnalyzerInfo(empty_pb2.Empty())

    def configure_stack(self) -> None:
        from pulumi.runtime.proto import analyzer_pb2 as pb

        self.stub.ConfigureStack(pb.AnalyzerStackConfigureRequest(
            stack=self.stack, project=self.project, organization="organization", dry_run=True,
            config=self.config, config_secret_keys=self.secret_keys))

    def configure(self, info, policy_config: dict[str, Any]) -> None:
        """Send each configured policy its level (its own default unless overridden) and properties."""
        from google.protobuf import struct_pb2
        from pulumi.runtime.proto import analyzer_pb2 as pb

        defaults = {p.name: p.enforcementLevel for p in info.policies}
        req = pb.ConfigureAnalyzerRequest()
        for name, cfg in policy_config.items():
            level, props = (cfg, {}) if isinstance(cfg, str) else (
                cfg.get("enforcementLevel"), {k: v for k, v in cfg.items() if k != "enforcementLevel"})
            st = struct_pb2.Struct()
            st.update(props)
            req.policyConfig[name].CopyFrom(pb.PolicyConfig(
                enforcementLevel=LEVEL_IDS[level] if level else defaults[name], properties=st))
        self.stub.Configure(req)

    def _resource(self, r: Resource, cls):
        from google.protobuf import struct_pb2
        from pulumi.runtime.proto import analyzer_pb2 as pb

        st = struct_pb2.Struct()
        st.update(wire(r.props))
        return cls(type=r.type, properties=st, urn=urn(self.stack, self.project, r), name=r.name,
                   options=pb.AnalyzerResourceOptions(), provider=pb.AnalyzerProviderResource())

    def analyze(self, r: Resource) -> list[Diagnostic]:
        from pulumi.runtime.proto import analyzer_pb2 as pb

        return self._diagnostics(self.stub.Analyze(self._resource(r, pb.AnalyzeRequest)), f"{r.type}: {r.name}")

    def analyze_stack(self, resources: list[Resource]) -> list[Diagnostic]:
        from pulumi.runtime.proto import analyzer_pb2 as pb

        req = pb.AnalyzeStackRequest(resources=[self._resource(r, pb.AnalyzerResource) for r in resources])
        return self._diagnostics(self.stub.AnalyzeStack(req), None)

    @staticmethod
    def _diagnostics(resp, resource: str | None) -> list[Diagnostic]:
        return [Diagnostic(policy=d.policyName, pack=d.policyPackName, message=d.message,
                           enforcement=LEVELS[d.enforcementLevel], severity=SEVERITIES[d.severity],
                           urn=d.urn, resource=resource or _from_urn(d.urn)) for d in resp.diagnostics]

    def close(self) -> None:
        self.channel.close()
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def __enter__(self) -> "PackProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_policy_config(info, policy_config: dict[str, Any], file: str) -> None:
    """Validate ``--policy-pack-config`` against each policy's schema, as the engine does."""
    import jsonschema

    schemas = {p.name: json.loads(_schema_json(p)) for p in info.policies}
    for name, cfg in policy_config.items():
        if name == "all":
            if cfg not in LEVEL_IDS:
                raise InputError(file, "all", f"an enforcement level ({', '.join(LEVEL_IDS)})", cfg)
            continue
        if name not in schemas:
            raise InputError(file, name, f"a policy name, one of: {', '.join(schemas)}")
        if isinstance(cfg, str):
            cfg = {"enforcementLevel": cfg}
        level = cfg.get("enforcementLevel")
        if level is not None and level not in LEVEL_IDS:
            raise InputError(file, f"{name}.enforcementLevel", f"one of {', '.join(LEVEL_IDS)}", level)
        props = {k: v for k, v in cfg.items() if k != "enforcementLevel"}
        schema = {"type": "object", "additionalProperties": False, **schemas[name]}
        try:
            jsonschema.validate(props, schema)
        except jsonschema.ValidationError as err:
            path = ".".join([name, *(str(p) for p in err.absolute_path)])
            if err.validator == "additionalProperties":
                extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
                raise InputError(file, f"{path}.{extra[0]}", "no such key (typo?)") from None
            raise InputError(file, path, f"a value the policy accepts: {err.message}") from None


def _schema_json(policy) -> str:
    from google.protobuf import json_format

    return json.dumps(json_format.MessageToDict(policy.configSchema))


def expand_all(info, policy_config: dict[str, Any]) -> dict[str, Any]:
    """``{"all": level}`` sets every policy's level; a policy's own entry wins."""
    level = policy_config.get("all")
    out = {p.name: level for p in info.policies} if level else {}
    for name, cfg in policy_config.items():
        if name != "all":
            out[name] = cfg
    return out


def run_pack(pack_dir: Path, project: str, stack: str, flat_config: dict[str, Any], secret_keys: list[str],
             resources: list[Resource], policy_config: dict[str, Any] | None = None,
             policy_config_file: str = "policy config", extra_env: dict[str, str] | None = None) -> list[Diagnostic]:
    """One preview's worth of policy analysis: every resource, then the stack."""
    with PackProcess(pack_dir, project, stack, engine_config(flat_config), secret_keys, extra_env) as pack:
        info = pack.info()
        pack.configure_stack()
        if policy_config:
            check_policy_config(info, policy_config, policy_config_file)
            pack.configure(info, expand_all(info, policy_config))
        out: list[Diagnostic] = []
        for r in resources:
            out += pack.analyze(r)
        out += pack.analyze_stack(resources)
        return out
