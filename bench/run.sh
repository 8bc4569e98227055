#!/usr/bin/env bash
# The ingest benchmark: memory storage, then durable Azure Table storage on Azurite (started here, in memory,
# on its own ports). Extra arguments go to every run, e.g. ./bench/run.sh --batch 1000 --concurrency 32.
# Prints the figures of each run; docs/benchmarks.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/services.sh
trap stop_all EXIT

install_tools
dotnet build bench/Alerts.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet bench/Alerts.Bench/bin/Release/net10.0/Alerts.Bench.dll"
mkdir -p .data/logs
start_azurite memory 20000 20001 20002 .data/logs/bench-azurite.log
AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:20001/devstoreaccount1;TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;"

for ratio in 1.0 0.1; do
  echo; $BENCH --storage memory --reports 400000 --error-ratio $ratio "$@"
  echo; $BENCH --storage azurite --connection-string "$AZURITE" --reports 200000 --error-ratio $ratio "$@"
done
# How batch size drives group commit (reports per storage write) on durable storage.
echo; $BENCH --storage azurite --connection-string "$AZURITE" --error-ratio 0.1 --batch 10 --concurrency 64 --reports 50000 "$@"
echo; $BENCH --storage azurite --connection-string "$AZURITE" --error-ratio 0.1 --batch 100 --concurrency 32 --reports 100000 "$@"
echo; $BENCH --storage azurite --connection-string "$AZURITE" --error-ratio 0.1 --batch 1000 --concurrency 8 --reports 200000 "$@"
