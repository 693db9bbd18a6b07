"""Benchmarks of purecluster against scikit-learn and peers.

Run ``python -m benchmarks --help`` from the repository root; see
``benchmarks/README.md`` for the protocol and for how to add a workload.
"""

from benchmarks.registry import REGISTRY, Impl, Registry, Workload, register, workload

__all__ = ["REGISTRY", "Impl", "Registry", "Workload", "register", "workload"]
