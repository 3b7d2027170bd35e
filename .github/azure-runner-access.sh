#!/usr/bin/env bash
# `add` or `remove` this runner's public address on the deployment's key vaults and storage
# accounts, outside Terraform: their firewalls admit only the deployers, and Terraform must
# read them (a plan refreshes keys, secrets and the console's website) before an apply
# could change their rules. `add` also hands the address to Terraform (deployer_ip_ranges),
# so the apply keeps it. Storage IP rules do not apply to callers in the account's own
# Azure region: there, run the deploy from a runner inside the network instead.
set -euo pipefail
action="$1"
ip="$(curl -fsS https://api.ipify.org)"
if [[ ! "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
  echo "azure-runner-access: no public IPv4 address for this runner (got '$ip')" >&2
  exit 1
fi
mine="[?tags.\"livora:client\"=='${LIVORA_CLIENT}' && tags.\"livora:env\"=='${LIVORA_ENV}'].name"
for vault in $(az keyvault list --query "$mine" -o tsv); do
  az keyvault network-rule "$action" --name "$vault" --ip-address "$ip" --output none
done
for account in $(az storage account list --query "$mine" -o tsv); do
  az storage account network-rule "$action" --account-name "$account" --ip-address "$ip" --output none
done
if [ "$action" = add ]; then
  echo "TF_VAR_deployer_ip_ranges=[\"$ip\"]" >> "$GITHUB_ENV"
  sleep 30 # firewall rules take a few seconds to apply
fi
