#!/usr/bin/env bash
# Checks deploy/alertmanager on a real Alertmanager (Debian: prometheus-alertmanager, which ships amtool):
# the configuration is valid, every alert reaches the Slack receiver, start.sh falls back to no receiver
# without a webhook URL, and the community alerts are inhibited while the pipeline is down, and only then.
# Run from anywhere; .ci/run runs it. Uses 127.0.0.1:${AM_TEST_PORT:-19193}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${AM_TEST_PORT:-19193}"
url="http://127.0.0.1:$port"
bin="$(command -v prometheus-alertmanager || command -v alertmanager)"

amtool check-config "$here/alertmanager.yml"

# Routing: critical and warning alerts, pipeline and community ones, all go to Slack.
for labels in "alertname=PulseStreamsInstanceDown severity=critical" \
              "alertname=PulseCommunityDegraded severity=warning community=forum" \
              "alertname=PulseDeadLettersRising severity=warning application=community-pulse"; do
  # shellcheck disable=SC2086
  out="$(amtool config routes test --config.file="$here/alertmanager.yml" --verify.receivers=slack $labels 2>&1)" \
    || { echo "$out" >&2; echo "alertmanager test: $labels does not reach slack" >&2; exit 1; }
done

work="$(mktemp -d)"
# With a webhook URL, start.sh runs the configuration as it is (echo stands in for Alertmanager).
echo "https://hooks.example.invalid/T000/B000" > "$work/url"
args="$(AM_BIN=echo AM_CONFIG="$here/alertmanager.yml" AM_SLACK_URL_FILE="$work/url" AM_WORK_DIR="$work" sh "$here/start.sh" 2>&1)"
[[ "$args" == "--config.file=$here/alertmanager.yml --storage.path=$work" ]] \
  || { echo "alertmanager test: with a webhook URL start.sh ran: $args" >&2; exit 1; }

log="$work/alertmanager.log"
AM_BIN="$bin" AM_CONFIG="$here/alertmanager.yml" AM_SLACK_URL_FILE=/dev/null AM_WORK_DIR="$work" \
  sh "$here/start.sh" --web.listen-address="127.0.0.1:$port" --cluster.listen-address= >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "alertmanager test: $*" >&2; echo "--- log:" >&2; cat "$log" >&2; exit 1; }
# Polls a command for up to 10 s: Alertmanager applies inhibition sources asynchronously.
eventually() {
  for _ in $(seq 1 50); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  return 1
}
ready() { amtool --alertmanager.url="$url" config show >/dev/null 2>&1; }
eventually ready || fail "not ready on $url"
grep -q "no Slack webhook URL" "$log" || fail "start.sh did not say that nothing is sent"
amtool --alertmanager.url="$url" config show | grep -q '^  receiver: none$' || fail "running without receiver none"

add() { amtool --alertmanager.url="$url" alert add "$@" >/dev/null; }
# Active (neither inhibited nor silenced) alerts with this name.
active() { amtool --alertmanager.url="$url" alert query -a -o json "alertname=$1"; }
inhibited() { amtool --alertmanager.url="$url" alert query -i -o json "alertname=$1"; }
has_alert() { [[ "$("$1" "$2")" == *'"alertname":"'"$2"'"'* ]]; }

add alertname=PulseCommunitySilent severity=critical community=forum condition=NO_ACTIVITY
add alertname=PulseConsumerLagHigh severity=warning application=community-pulse
eventually has_alert active PulseCommunitySilent || fail "PulseCommunitySilent not active before the pipeline is down"

add alertname=PulseStreamsNotRunning severity=critical application=community-pulse instance=streams-2:7070
add alertname=PulseCommunityDegraded severity=warning community=forum condition=BACKLOG_GROWING
eventually has_alert inhibited PulseCommunitySilent || fail "PulseCommunitySilent not inhibited while PulseStreamsNotRunning fires"
eventually has_alert inhibited PulseCommunityDegraded || fail "PulseCommunityDegraded not inhibited while PulseStreamsNotRunning fires"
has_alert active PulseCommunitySilent && fail "PulseCommunitySilent still active while inhibited"
has_alert active PulseStreamsNotRunning || fail "the source alert PulseStreamsNotRunning is not active"
has_alert active PulseConsumerLagHigh || fail "PulseConsumerLagHigh (a pipeline alert) was inhibited"
echo "alertmanager: config valid, routes to slack, inhibition of community alerts while the pipeline is down: OK"
