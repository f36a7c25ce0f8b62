-- The department that leads each field of a framework, when the administrator changed it from
-- the framework file's default (`lead_unit`). Framework versions themselves never change.
CREATE TABLE framework_field_leads (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    field_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (framework_id, field_code)
);
