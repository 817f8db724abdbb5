"""Alerts: rules over the store, their history, and messages to the people on call.

- `warroom.alerts.rules`: the rule file (data/alerts.toml, WARROOM_ALERTS) and one
  evaluator per kind, each asking the area's own rule (covid, cctv, freshness, kinerja,
  ringkasan queries) rather than re-deriving it;
- `warroom.alerts.store`: the alert_events / alert_deliveries tables (firing, resolved,
  acknowledged, what was already announced);
- `warroom.alerts.deliver`: webhook messages (generic JSON, Telegram sendMessage), grouped
  per rule, with retries and a silence window, sent through the one guarded fetcher;
- `warroom.alerts.service`: the thread in the app's process that evaluates after every
  accepted write and every minute.
No Streamlit here (see warroom/ui/panels/peringatan.py and pages/peringatan.py).
"""
