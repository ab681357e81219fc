#!/usr/bin/env bash
# Packs what a bare GPU machine needs to run squad-albert-train: the .NET runtime, the training tool without
# its CPU libtorch (the machine's PyTorch provides libtorch), and SQuAD v1.1 train/dev. Writes .gpu/ (git-ignored
# via .git/info/exclude), about 35 MB xz-compressed.
# Usage: scripts/gpu/make-bundle.sh   (needs SQUADALBERT_DATA or ../shared/data/squad)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SQUADALBERT_DATA:-$(realpath ../shared/data/squad)}
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
dotnet build SquadAlbert.Training -c Release -v q -nologo
BIN=SquadAlbert.Training/bin/Release/net10.0/linux-x64
STAGE=$(mktemp -d)
mkdir -p "$STAGE/app" "$STAGE/dotnet/shared" .gpu
cp "$BIN"/*.dll "$BIN"/*.json "$BIN"/libLibTorchSharp.so "$STAGE/app/"
# Without deps.json the host loads every assembly beside the app and no missing native asset is looked for.
rm -f "$STAGE/app/onnxruntime"*.dll "$STAGE/app/squad-albert-train.deps.json"
cp -a "$DOTNET_DIR/dotnet" "$DOTNET_DIR/host" "$STAGE/dotnet/"
cp -a "$DOTNET_DIR/shared/Microsoft.NETCore.App" "$STAGE/dotnet/shared/"
tar cf - -C "$STAGE" dotnet app | xz -T0 -6 > .gpu/bundle.tar.xz
tar cf - -C "$DATA" train-v1.1.json dev-v1.1.json | xz -T0 -6 > .gpu/squad.tar.xz
rm -rf "$STAGE"
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
ls -la .gpu
