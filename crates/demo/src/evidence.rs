//! Evidence files made by the product itself: a 签到表 (PDF, printed by
//! taizhang from the session's attendance) and the 研讨材料 of every
//! 中心组 session, the 课件 of every 党课 and the file of every report,
//! attached to the records as a unit would after scanning them.

use crate::org::SHUILI;
use crate::plan::d;
use sha2::{Digest, Sha256};
use taizhang_core::attachment::{FileKind, FileType};
use taizhang_core::period::chinese_date;
use taizhang_core::record::{BranchMeetingType, Record, RecordData};
use taizhang_docs::pdf;
use taizhang_store::{Actor, NewAttachment, StoreError, WriteTx, OWNER_RECORD};

/// GAP (县水利局党委): the sign-in sheet of the 中心组 session of 22
/// September 2026 was never uploaded.
fn sheet_missing(unit: &str, record: &Record) -> bool {
    unit == SHUILI && record.occurred_on == d(2026, 9, 22)
}

/// The files to attach to `record` of the Party group `unit`.
fn files_for(unit: &str, record: &Record) -> Vec<(FileKind, String, Vec<u8>)> {
    let when = chinese_date(record.occurred_on);
    match &record.data {
        RecordData::Study(s) => {
            let mut files = Vec::new();
            if !sheet_missing(unit, record) {
                let mut people: Vec<&str> = s.attendees.iter().map(String::as_str).collect();
                people.extend(s.absentees.iter().map(|a| a.name.as_str()));
                let sheet = pdf::sign_in_sheet(unit, &format!("中心组学习（{}）", s.title), &when, &s.host, &people);
                files.push((FileKind::SignInSheet, format!("{}签到表.pdf", record.occurred_on), sheet));
            }
            if !s.discussion.trim().is_empty() {
                let note = pdf::note(&format!("{}研讨发言摘要", s.title), &[&s.discussion, &s.summary]);
                files.push((FileKind::StudyMaterial, format!("{}研讨材料.pdf", record.occurred_on), note));
            }
            files
        }
        RecordData::BranchMeeting(m) if m.meeting_type == BranchMeetingType::Lecture => {
            let slides =
                pdf::note(&format!("党课：{}", m.topic), &[&format!("主讲：{}，{when}。", m.host), &m.minutes]);
            vec![(FileKind::Courseware, format!("{}党课课件.pdf", record.occurred_on), slides)]
        }
        RecordData::Report(r) => {
            let text = pdf::note(&r.title, &[&format!("{unit}{}。", r.title), &r.receipt]);
            vec![(FileKind::ReportFile, format!("{}.pdf", r.title), text)]
        }
        _ => Vec::new(),
    }
}

/// Attaches the evidence of one record; the number of files.
pub(crate) async fn attach(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    unit: &str,
    record: &Record,
) -> Result<usize, StoreError> {
    let files = files_for(unit, record);
    for (kind, name, bytes) in &files {
        let sha256 = hex::encode(Sha256::digest(bytes));
        w.put_blob(&sha256, bytes.len() as u64, bytes.as_slice()).await?;
        let new = NewAttachment {
            owner: OWNER_RECORD,
            owner_id: record.id,
            unit_id: record.unit_id,
            kind: *kind,
            name: name.clone(),
            file_type: FileType::Pdf,
            size: bytes.len() as u64,
            sha256,
        };
        w.create_attachment(actor, &new).await?;
    }
    Ok(files.len())
}
