-- Long exports run as jobs: any app server claims a queued job, reports its progress, and
-- stores the file like evidence (by SHA-256), so the download works from every server.
CREATE TABLE export_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL,
    message TEXT NOT NULL,
    file_sha256 TEXT,
    file_name TEXT,
    content_type TEXT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    claimed_by TEXT,
    heartbeat_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX export_jobs_status ON export_jobs (status, id);
CREATE INDEX export_jobs_account ON export_jobs (account_id, id);
