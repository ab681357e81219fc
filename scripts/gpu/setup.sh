# Sourced by the GPU scripts: unpacks the bundle made by make-bundle.sh into $W and points the .NET host and
# TorchSharp at it and at the machine's libtorch (PyTorch's torch/lib). TorchSharp 0.107 is built against
# libtorch 2.10; it ran unchanged against PyTorch 2.11's libtorch (CUDA 13) on an H100.
G=$PWD/.gpu
mkdir -p "$W/data" "$W/runs" "$W/export" "$OUT"
tar xJf "$G/bundle.tar.xz" -C "$W" && tar xJf "$G/squad.tar.xz" -C "$W/data" || { echo "unpack failed" >&2; exit 1; }
export DOTNET_ROOT=$W/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export LD_LIBRARY_PATH=${TORCH_LIB:-$(python3 -c "import torch,os;print(os.path.join(os.path.dirname(torch.__file__),'lib'))")}
APP="$DOTNET_ROOT/dotnet $W/app/squad-albert-train.dll"
TOK=models/tokenizer/spiece.model
LOG=$OUT/logs.txt
say() { echo "[$(( $(date +%s) - T0 ))s] $*" | tee -a "$LOG"; }
