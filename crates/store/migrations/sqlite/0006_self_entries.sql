-- What units enter per sub-criterion in a round, with the self score computed from it.
-- `version` rises with every save: a save carrying an older version is refused (no lost updates).
CREATE TABLE self_entries (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    entry TEXT NOT NULL,
    self_points_scaled BIGINT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code)
);
