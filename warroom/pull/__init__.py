"""Pull: the war room fetches each agency's published data by itself, on a schedule,
through the same ingest gate as an upload by that agency.

- `sources`: the registry (table `sources`, created on first use), schedules and when a
  source is due (pure functions of an injected clock);
- `run`: one run of one source: the guarded fetcher (warroom.net) -> bytes (JSON turned into
  CSV) -> unchanged check (sha256 of the last accepted run) -> warroom.ingest.ingest_file;
  every run is an upload-log entry by user `sumber:NAME`;
- `service`: the scheduler thread of the app (warroom.api.lifespan; WARROOM_PULL=0 turns it off);
- `routes`: /api/local/sources/* for the command line while the app holds the database.
"""
