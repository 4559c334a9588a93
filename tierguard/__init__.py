"""tierguard: capacity and cost policy-as-code for Pulumi."""

__version__ = "0.1.0"
