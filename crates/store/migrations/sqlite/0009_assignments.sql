-- Who enters and who appraises each field in one round. A field the round names nobody for
-- keeps the default (the unit's own focal points by their field scope, a province's lead
-- departments, appraisers by their field scope): see chiso_core::round::assignment.

CREATE TABLE round_entry_assignments (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    field_code TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (round_id, unit_id, field_code, account_id)
);

CREATE TABLE round_appraisers (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    field_code TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (round_id, field_code, account_id)
);
