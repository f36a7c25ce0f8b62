-- Periodic PAR reports: the province's reporting calendar (which report, from which type of
-- unit, by which day) and each unit's submission. The first submission's time is kept, so a
-- later correction never turns a late report into an on-time one.

CREATE TABLE report_calendar (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    unit_type TEXT NOT NULL,
    due_date DATE NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX report_calendar_year ON report_calendar (year);

CREATE TABLE report_submissions (
    calendar_id INTEGER NOT NULL REFERENCES report_calendar (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    summary TEXT NOT NULL,
    file_sha256 TEXT,
    file_name TEXT,
    content_type TEXT,
    submitted_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_by TEXT NOT NULL,
    PRIMARY KEY (calendar_id, unit_id)
);
