-- Surveys (điều tra xã hội học): versioned questionnaires, a campaign per round with its
-- questionnaires, quotas and respondents (each with a token for the public answer page),
-- responses from the web, paper forms and imported files, paper forms entered twice, and the
-- respondent list the Ministry asks for each year.

CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    group_code TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE survey_campaigns (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    double_entry BOOLEAN NOT NULL,
    group_weights TEXT NOT NULL,
    closes_on DATE,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE campaign_questionnaires (
    campaign_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires (id),
    group_code TEXT NOT NULL,
    PRIMARY KEY (campaign_id, group_code)
);

CREATE TABLE campaign_quotas (
    campaign_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    group_code TEXT NOT NULL,
    quota BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, group_code)
);

CREATE TABLE survey_respondents (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    group_code TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    invited_at BIGINT,
    submitted_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX survey_respondents_campaign ON survey_respondents (campaign_id);

-- A respondent's answers saved before submitting (the page keeps partial answers).
CREATE TABLE survey_drafts (
    respondent_id INTEGER PRIMARY KEY REFERENCES survey_respondents (id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A response: answers by question code. respondent_id is null for anonymous campaigns and for
-- paper and imported forms, which carry their own reference (form number, import row id).
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    group_code TEXT NOT NULL,
    respondent_id INTEGER REFERENCES survey_respondents (id),
    reference TEXT,
    answers TEXT NOT NULL,
    source TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    entered_by TEXT NOT NULL,
    UNIQUE (campaign_id, respondent_id),
    UNIQUE (campaign_id, group_code, reference)
);
CREATE INDEX survey_responses_campaign ON survey_responses (campaign_id);

-- Paper forms waiting for their second entry (when the campaign asks for double entry).
CREATE TABLE paper_entries (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    group_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    reference TEXT NOT NULL,
    answers TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    UNIQUE (campaign_id, group_code, reference)
);

-- The respondent list the Ministry asks provinces for (deputies, department and division
-- leaders, commune leaders), kept per year.
CREATE TABLE survey_contacts (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    category TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    full_name TEXT NOT NULL,
    position TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX survey_contacts_year ON survey_contacts (year);
