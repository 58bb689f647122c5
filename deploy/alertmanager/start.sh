#!/bin/sh
# Entry point of the compose stack's Alertmanager. Alertmanager does not expand environment variables
# in its configuration, so Slack delivery is switched on by the webhook URL file alone: compose mounts
# ALERTMANAGER_SLACK_WEBHOOK_URL_FILE (default /dev/null, i.e. empty) at /run/secrets/slack-webhook-url.
# Empty: start with the same routing and inhibition but `receiver: none`, and say so in the log.
# The AM_* variables exist for deploy/alertmanager/test.sh, which runs this script outside Docker.
set -eu
config="${AM_CONFIG:-/etc/alertmanager/alertmanager.yml}"
url_file="${AM_SLACK_URL_FILE:-/run/secrets/slack-webhook-url}"
work="${AM_WORK_DIR:-/alertmanager}"

if [ ! -s "$url_file" ]; then
  echo "alertmanager: no Slack webhook URL ($url_file is empty; set ALERTMANAGER_SLACK_WEBHOOK_URL_FILE):" \
    "alerts are grouped, inhibited and listed at http://localhost:9093 but sent to no receiver" \
    "(docs/operations.md#alertmanager)" >&2
  sed 's/^  receiver: slack$/  receiver: none/' "$config" > "$work/alertmanager-no-receiver.yml"
  # Fail rather than page nobody silently if the routing's top line ever changes shape.
  grep -q '^  receiver: none$' "$work/alertmanager-no-receiver.yml" || {
    echo "alertmanager: could not switch $config to receiver none" >&2
    exit 1
  }
  config="$work/alertmanager-no-receiver.yml"
fi
exec "${AM_BIN:-/bin/alertmanager}" --config.file="$config" --storage.path="$work" "$@"
