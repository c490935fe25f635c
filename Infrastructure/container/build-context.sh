#!/usr/bin/env bash
# Writes the GpuWorker image's build context: DIR/Dockerfile and DIR/publish/ (dotnet publish, Release, linux-x64,
# framework-dependent: the runtime comes from the aspnet image). Then: docker build -t IMAGE DIR
# Usage: Infrastructure/container/build-context.sh DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$1"
rm -rf "$out/publish"
mkdir -p "$out"
dotnet publish "$root/GpuWorker/GpuWorker.csproj" -c Release -r linux-x64 --self-contained false \
  -p:UseAppHost=false -p:GenerateDocumentationFile=false -o "$out/publish" --nologo -v quiet
cp "$here/Dockerfile" "$out/Dockerfile"
echo "build context ready: $out (docker build -t IMAGE $out)"
