//! Which records a rule counts (filters) and what evidence they carry.

use crate::duty::{Evidence, Filter};
use crate::record::{Absence, Record, RecordData};

fn absences_explained(absentees: &[Absence]) -> bool {
    absentees.iter().all(|a| !a.reason.trim().is_empty())
}

/// Attendance for counted meetings: present/due numbers, and a named reason
/// for everyone absent.
fn counted_attendance(due: u32, present: u32, absentees: &[Absence]) -> bool {
    due > 0 && present > 0 && absentees.len() as u32 >= due.saturating_sub(present) && absences_explained(absentees)
}

fn filled(text: &str) -> bool {
    !text.trim().is_empty()
}

/// Whether `record` carries `evidence`: in its fields, or for `files`
/// evidence among its attached files. Evidence in fields that does not
/// apply to a kind of record counts as present.
pub fn has_evidence(record: &Record, evidence: Evidence) -> bool {
    use RecordData as R;
    match (evidence, &record.data) {
        (Evidence::Files(kinds), _) => record.files.meets(kinds),
        (Evidence::Attendance, R::Study(s)) => !s.attendees.is_empty() && absences_explained(&s.absentees),
        (Evidence::Attendance, R::PartyGroupMeeting(m)) => !m.attendees.is_empty() && absences_explained(&m.absentees),
        (Evidence::Attendance, R::BranchMeeting(m)) => counted_attendance(m.due, m.present, &m.absentees),
        (Evidence::Attendance, R::LifeMeeting(m)) => counted_attendance(m.due, m.present, &m.absentees),
        (Evidence::Attendance, R::Analysis(a)) => !a.attendees.is_empty(),
        (Evidence::Discussion, R::Study(s)) => filled(&s.discussion),
        (Evidence::Summary, R::Study(s)) => filled(&s.summary),
        (Evidence::Minutes, R::PartyGroupMeeting(m)) => filled(&m.minutes),
        (Evidence::Minutes, R::BranchMeeting(m)) => filled(&m.minutes),
        (Evidence::Minutes, R::LifeMeeting(m)) => filled(&m.minutes),
        (Evidence::Minutes, R::Analysis(a)) => filled(&a.conclusion),
        (Evidence::FirstTopic, R::PartyGroupMeeting(m)) => m.agenda.first().is_some_and(|a| a.first_topic),
        (Evidence::Receipt, R::Report(r)) => filled(&r.receipt),
        (Evidence::AnalysisReport, R::Analysis(a)) => filled(&a.report),
        _ => true,
    }
}

/// Whether `data` passes a rule's filter. `secretary` is the name of the
/// Party group's secretary, for `by_secretary`.
pub fn passes_filter(data: &RecordData, filter: Filter, secretary: Option<&str>) -> bool {
    match (filter, data) {
        (Filter::Ideology, RecordData::Study(s)) => s.on_ideology,
        (Filter::Ideology, RecordData::PartyGroupMeeting(m)) => m.agenda.iter().any(|a| a.ideology),
        (Filter::Ideology, RecordData::Analysis(_)) => true,
        (Filter::BySecretary, RecordData::BranchMeeting(m)) => secretary.is_some_and(|s| m.host.trim() == s),
        (Filter::BySecretary, RecordData::Study(s)) => secretary.is_some_and(|n| s.host.trim() == n),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachment::{FileKind, FileKinds};
    use crate::record::*;

    fn record(data: RecordData) -> Record {
        Record {
            id: 1,
            unit_id: 1,
            occurred_on: Default::default(),
            entered_at: Default::default(),
            revision: 1,
            data,
            files: FileKinds::default(),
        }
    }

    #[test]
    fn attendance_needs_reasons_for_every_absentee() {
        let mut m = BranchMeeting { due: 10, present: 8, ..Default::default() };
        let data = |m: &BranchMeeting| record(RecordData::BranchMeeting(m.clone()));
        assert!(!has_evidence(&data(&m), Evidence::Attendance), "two absent, none named");
        m.absentees = vec![Absence { name: "甲".into(), reason: "出差".into() }];
        assert!(!has_evidence(&data(&m), Evidence::Attendance), "one absentee unexplained");
        m.absentees.push(Absence { name: "乙".into(), reason: "病假".into() });
        assert!(has_evidence(&data(&m), Evidence::Attendance));
        m.absentees[1].reason.clear();
        assert!(!has_evidence(&data(&m), Evidence::Attendance), "blank reason");
    }

    #[test]
    fn first_topic_must_be_the_first_item() {
        let item = |first: bool| AgendaItem { title: "x".into(), first_topic: first, ideology: false };
        let m = |agenda| record(RecordData::PartyGroupMeeting(PartyGroupMeeting { agenda, ..Default::default() }));
        assert!(has_evidence(&m(vec![item(true), item(false)]), Evidence::FirstTopic));
        assert!(!has_evidence(&m(vec![item(false), item(true)]), Evidence::FirstTopic));
        assert!(!has_evidence(&m(vec![]), Evidence::FirstTopic));
    }

    #[test]
    fn files_evidence_is_met_by_any_of_its_kinds() {
        let either = Evidence::Files([FileKind::Courseware, FileKind::Photo].into_iter().collect());
        let mut lecture = record(RecordData::BranchMeeting(BranchMeeting::default()));
        assert!(!has_evidence(&lecture, either), "no files");
        lecture.files.insert(FileKind::SignInSheet);
        assert!(!has_evidence(&lecture, either), "a sign-in sheet is neither");
        lecture.files.insert(FileKind::Photo);
        assert!(has_evidence(&lecture, either));
        assert_eq!(either.label(), "课件或照片");
    }

    #[test]
    fn filters() {
        let study =
            |on| RecordData::Study(StudySession { on_ideology: on, host: "王书记".into(), ..Default::default() });
        assert!(passes_filter(&study(true), Filter::Ideology, None));
        assert!(!passes_filter(&study(false), Filter::Ideology, None));
        let lecture = RecordData::BranchMeeting(BranchMeeting { host: "王书记".into(), ..Default::default() });
        assert!(passes_filter(&lecture, Filter::BySecretary, Some("王书记")));
        assert!(!passes_filter(&lecture, Filter::BySecretary, Some("李书记")));
        assert!(!passes_filter(&lecture, Filter::BySecretary, None));
    }
}
