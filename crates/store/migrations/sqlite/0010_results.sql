-- Survey points of survey-sourced items, and published results.

-- Points of a survey item for one unit: typed from a published decision (the Ministry's survey
-- for the provincial index) or, later, computed from a survey campaign; the sample size behind
-- them feeds the rank-stability check. Every change is also a ledger event.
CREATE TABLE survey_points (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    points_scaled BIGINT NOT NULL,
    sample_size BIGINT,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code)
);

-- A round's results frozen when the decision announcing them is issued: never changed; a
-- correction is a new publication.
CREATE TABLE published_results (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    decision_number TEXT NOT NULL,
    decision_date DATE NOT NULL,
    public BOOLEAN NOT NULL,
    snapshot TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL
);
CREATE INDEX published_results_round ON published_results (round_id);

CREATE TRIGGER published_results_no_update BEFORE UPDATE ON published_results
BEGIN
    SELECT RAISE(ABORT, 'published_results is immutable');
END;
CREATE TRIGGER published_results_no_delete BEFORE DELETE ON published_results
BEGIN
    SELECT RAISE(ABORT, 'published_results is immutable');
END;
