-- A job whose server stops while running it is taken over when its claim goes stale; after
-- three attempts it is marked failed instead, so one export that kills its server cannot stop
-- every server in turn.
ALTER TABLE export_jobs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
