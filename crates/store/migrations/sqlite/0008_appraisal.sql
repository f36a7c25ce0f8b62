-- Appraisal (two rounds), the unit's answers between them, the final scores, carry-over from
-- last year's round, and the in-app inbox.

-- One row per item and appraisal round; `version` refuses stale saves as for self entries.
CREATE TABLE appraisals (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    stage BIGINT NOT NULL CHECK (stage IN (1, 2)),
    points_scaled BIGINT,
    corrected TEXT,
    reason TEXT NOT NULL,
    ask TEXT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code, stage)
);

CREATE TABLE explanations (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    answer TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code)
);

-- Written when round 2 concludes for a unit; changed afterwards only by an administrator's
-- correction (with its ledger entry).
CREATE TABLE final_scores (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    points_scaled BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code)
);

ALTER TABLE rounds ADD COLUMN previous_round_id INTEGER REFERENCES rounds (id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    link TEXT NOT NULL,
    -- Set for reminders so that each is sent once, whichever server notices first.
    dedupe_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    emailed_at BIGINT
);
CREATE INDEX notifications_account ON notifications (account_id, created_at);
