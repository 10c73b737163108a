#!/usr/bin/env bash
# Build with the CUDA backend when an NVIDIA GPU is visible, else with the CPU backend.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  backend=cuda
else
  backend=cpu
fi
echo "devcontainer: building with TorchBackend=$backend"
dotnet build Workbench.sln -c Release -p:TorchBackend=$backend
dotnet run --project lib/ColorTrack.Cli -c Release --no-build -p:TorchBackend=$backend -- doctor || true
