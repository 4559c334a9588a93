"""Stand-in Pulumi resource provider plugin, for tierguard's end-to-end tests only.

The real provider plugins (pulumi-resource-aws, -render, -supabase) are downloaded by
the Pulumi CLI from the internet, which this project's machines cannot reach. For a
`pulumi preview` of *new* resources the engine only needs a provider that loads,
accepts its configuration and checks inputs, so this module serves just that:

- GetPluginInfo: the provider's version (from the installed pulumi_<name> package if any)
- Configure:     accepts any config; says it does not support preview, so the engine
                 never calls Create during a preview
- Check:         echoes the new inputs back unchanged (no defaults, no failures)
- everything else (Handshake, CheckConfig, DiffConfig, Diff, Create, Read, Update,
  Delete, GetSchema, Invoke, Cancel, ...) answers UNIMPLEMENTED, which the engine
  tolerates for Handshake, CheckConfig, DiffConfig, Cancel and GetMapping(s).

Nothing is created anywhere: running `pulumi up` against it fails at Create by design.

Usage (what the launchers beside this file do):
    python3 -u standin.py <package-name> [engine-address] [flags the engine passes]

It listens on 127.0.0.1 on a free port and prints the port on stdout, as every plugin
does. If STANDIN_CALL_LOG is set, each RPC name is appended to that file as
"<package> <Method>" so tests can see what the engine called.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from concurrent import futures

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

# Fallback versions when no pulumi_<name> Python package is installed.
DEFAULT_VERSIONS = {"aws": "7.51.1", "render": "0.6.0", "supabase": "1.0.0"}


def plugin_version(package: str) -> str:
    """The version the SDK package for `package` asks for, so the engine's pick matches."""
    try:
        return importlib.metadata.version(f"pulumi_{package}")
    except importlib.metadata.PackageNotFoundError:
        return DEFAULT_VERSIONS.get(package, "1.0.0")


class StandInProvider(provider_pb2_grpc.ResourceProviderServicer):
    """Answers the few RPCs a preview of new resources needs; the base class's
    methods answer UNIMPLEMENTED for the rest."""

    def __init__(self, package: str, call_log: str | None = None) -> None:
        self.package = package
        self.version = plugin_version(package)
        self.call_log = call_log

    def _record(self, method: str) -> None:
        if self.call_log:
            with open(self.call_log, "a", encoding="utf-8") as fh:
                fh.write(f"{self.package} {method}\n")

    def GetPluginInfo(self, request, context):
        self._record("GetPluginInfo")
        return plugin_pb2.PluginInfo(version=self.version)

    def Configure(self, request, context):
        self._record("Configure")
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True,
            supportsPreview=False,
            acceptResources=True,
            acceptOutputs=False,
        )

    def Check(self, request, context):
        self._record(f"Check {request.type}")
        return provider_pb2.CheckResponse(inputs=request.news)

    def Cancel(self, request, context):
        self._record("Cancel")
        return empty_pb2.Empty()


def _unimplemented_recorder(servicer: StandInProvider, name: str):
    base = getattr(provider_pb2_grpc.ResourceProviderServicer, name)

    def method(request, context):
        servicer._record(name)
        return base(servicer, request, context)

    return method


def serve(package: str) -> None:
    servicer = StandInProvider(package, os.environ.get("STANDIN_CALL_LOG"))
    # Record the RPCs we leave unimplemented too, so a test can see what the engine tried.
    for name in dir(provider_pb2_grpc.ResourceProviderServicer):
        if name[0].isupper() and name not in StandInProvider.__dict__:
            setattr(servicer, name, _unimplemented_recorder(servicer, name))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    server.wait_for_termination()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: standin.py <package-name> [engine-address] [flags]", file=sys.stderr)
        return 2
    serve(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
