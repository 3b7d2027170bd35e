#!/usr/bin/env bash
# Synthesizes the deployment the LIVORA_* variables name and applies its stacks in order
# with plain Terraform (no CDKTF CLI at apply time). Variables come as TF_VAR_*.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run synth
prefix="livora-${LIVORA_CLIENT}-${LIVORA_ENV}"
stacks=(core data)
if [ "${LIVORA_PATTERN:-A}" = "A" ]; then stacks+=(frontend crm); fi
stacks+=(analytics campaigns)
for stack in "${stacks[@]}"; do
  echo "deploy: ${prefix}-${stack}"
  (cd "cdktf.out/stacks/${prefix}-${stack}" && terraform init -input=false && terraform apply -input=false -auto-approve)
done
