-- Unit attributes that framework applicability depends on (e.g. has_procedures).
-- An attribute with no row is unknown, and then every node applies.
CREATE TABLE unit_attributes (
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value BOOLEAN NOT NULL,
    PRIMARY KEY (unit_id, name)
);
