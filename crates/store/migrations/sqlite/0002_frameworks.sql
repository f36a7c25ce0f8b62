-- Criteria frameworks. A version is immutable: a change is a new version.
-- `definition` holds the whole framework (JSON); `framework_nodes` flattens it for queries.

CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_type TEXT NOT NULL,
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    decision TEXT,
    illustrative BOOLEAN NOT NULL,
    max_scaled BIGINT NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (code, year, version)
);

CREATE TABLE framework_nodes (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    parent_code TEXT,
    position BIGINT NOT NULL,
    depth BIGINT NOT NULL,
    name TEXT NOT NULL,
    max_scaled BIGINT,
    rule_type TEXT,
    lead_unit TEXT,
    PRIMARY KEY (framework_id, code)
);
