-- Assessment rounds, the units in them, and the hash-chained score ledger.

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id),
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    self_assessment_opens DATE NOT NULL,
    submission_due DATE NOT NULL,
    appraisal1_due DATE NOT NULL,
    explanation_due DATE NOT NULL,
    appraisal2_due DATE NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE round_units (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    state TEXT NOT NULL,
    extension_until DATE,
    PRIMARY KEY (round_id, unit_id)
);

-- One row: the last sequence number and hash. Updating it first serialises appends on both
-- backends, so the chain never forks.
CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE score_ledger (
    seq BIGINT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX score_ledger_item ON score_ledger (round_id, unit_id, node_code);

CREATE TRIGGER score_ledger_no_update BEFORE UPDATE ON score_ledger
BEGIN
    SELECT RAISE(ABORT, 'score_ledger is append-only');
END;
CREATE TRIGGER score_ledger_no_delete BEFORE DELETE ON score_ledger
BEGIN
    SELECT RAISE(ABORT, 'score_ledger is append-only');
END;
