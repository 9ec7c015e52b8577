-- Evidence files on the steps of a feedback entry (核实, 处置, 反馈 …).
-- The steps live inside the entry's JSON and have no id of their own; they
-- are only ever appended, so their position (1 = the first step) names
-- one. The attachment row says the file belongs to the entry
-- (owner 'feedback'); this row, written in the same transaction and
-- audited like it, says with which step. Kept beside `attachments`, not
-- a column of it, so that the audited rows keep their hashes.
CREATE TABLE feedback_step_files (
    id {ID},
    attachment_id BIGINT NOT NULL UNIQUE REFERENCES attachments(id),
    step_no BIGINT NOT NULL
);
