//! The inspection bundle: round trip, tamper detection, Chinese names.

use std::io::{Cursor, Read, Write};

use chrono::{TimeZone, Utc};
use taizhang_docs::bundle::{build_bundle, verify_bundle, BundleMeta, MANIFEST};
use taizhang_docs::{sample, BundleProblem, DocsError};
use zip::write::SimpleFileOptions;

const REPORT: &str = "报告/2026年上半年落实意识形态工作责任制情况的报告.docx";
const LEDGER: &str = "台账/中心组学习台账.xlsx";

fn meta() -> BundleMeta {
    BundleMeta {
        unit_name: "中共某县民政局党组".into(),
        period_label: "2026年上半年".into(),
        generated_at: Utc.with_ymd_and_hms(2026, 7, 5, 2, 30, 0).unwrap(),
        audit_chain_head: "9f".repeat(32),
        audit_entries: 1234,
    }
}

fn files() -> Vec<(String, Vec<u8>)> {
    vec![
        (REPORT.into(), sample::report(0).to_docx().unwrap()),
        (LEDGER.into(), taizhang_docs::ledger::write_xlsx(&sample::ledger(10)).unwrap()),
        ("说明.txt".into(), "本材料包由系统导出。".as_bytes().to_vec()),
    ]
}

/// Every entry of `bundle`, as (name, content).
fn entries(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bundle)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// A zip of `entries` as they are, manifest included: what someone who
/// edits a bundle by hand would produce.
fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn problems(bundle: &[u8]) -> Vec<BundleProblem> {
    match verify_bundle(bundle) {
        Err(DocsError::BundleInvalid(problems)) => problems,
        other => panic!("expected verification to fail, got {other:?}"),
    }
}

#[test]
fn round_trip_verifies_and_reports_the_manifest() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let report = verify_bundle(&bundle).unwrap();
    assert_eq!(report.meta, meta());
    let listed: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(listed, [REPORT, LEDGER, "说明.txt"]);
    let readme = &report.files[2];
    assert_eq!(readme.size, "本材料包由系统导出。".len() as u64);
    assert_eq!(readme.sha256.len(), 64);
    // The manifest is plain JSON an inspector can read.
    let manifest: serde_json::Value = serde_json::from_slice(&entries(&bundle)[0].1).unwrap();
    assert_eq!(entries(&bundle)[0].0, MANIFEST);
    assert_eq!(manifest["meta"]["audit_entries"], 1234);
    assert_eq!(manifest["meta"]["generated_at"], "2026-07-05T02:30:00Z");
    assert_eq!(bundle, build_bundle(&files(), &meta()).unwrap(), "deterministic");
}

#[test]
fn chinese_names_are_flagged_utf8() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    // Walk the local file headers: signature, then flags at +6, name length
    // at +26, extra length at +28, name at +30.
    let mut flagged = Vec::new();
    let mut at = 0;
    while let Some(offset) = bundle[at..].windows(4).position(|w| w == b"PK\x03\x04") {
        let h = at + offset;
        let flags = u16::from_le_bytes([bundle[h + 6], bundle[h + 7]]);
        let name_len = u16::from_le_bytes([bundle[h + 26], bundle[h + 27]]) as usize;
        let name = String::from_utf8(bundle[h + 30..h + 30 + name_len].to_vec()).unwrap();
        flagged.push((name, flags & (1 << 11) != 0));
        at = h + 4;
    }
    assert!(flagged.contains(&(REPORT.to_string(), true)), "{flagged:?}");
    assert!(flagged.contains(&("说明.txt".to_string(), true)));
}

#[test]
fn a_changed_byte_names_the_file() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let mut edited = entries(&bundle);
    let ledger = edited.iter_mut().find(|(name, _)| name == LEDGER).unwrap();
    ledger.1[100] ^= 0x01;
    assert_eq!(problems(&rezip(&edited)), [BundleProblem::Altered(LEDGER.into())]);
}

#[test]
fn corrupt_compressed_data_names_the_file() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let start = {
        let mut zip = zip::ZipArchive::new(Cursor::new(&bundle[..])).unwrap();
        let file = zip.by_name(REPORT).unwrap();
        file.data_start().unwrap() as usize
    };
    let mut corrupt = bundle.clone();
    corrupt[start + 50] ^= 0xFF;
    let problems = problems(&corrupt);
    assert_eq!(problems, [BundleProblem::Altered(REPORT.into())]);
    assert!(DocsError::BundleInvalid(problems).to_string().contains(REPORT));
}

#[test]
fn an_added_file_or_a_removed_one_fails() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let mut added = entries(&bundle);
    added.push(("补充材料.docx".into(), b"later".to_vec()));
    assert_eq!(problems(&rezip(&added)), [BundleProblem::Unlisted("补充材料.docx".into())]);

    let mut removed = entries(&bundle);
    removed.retain(|(name, _)| name != "说明.txt");
    assert_eq!(problems(&rezip(&removed)), [BundleProblem::Missing("说明.txt".into())]);
}

#[test]
fn unreadable_bundles_are_errors() {
    assert!(matches!(verify_bundle(b"not a zip"), Err(DocsError::UnreadableBundle(_))));
    let no_manifest = rezip(&[("a.txt".into(), b"a".to_vec())]);
    assert!(matches!(verify_bundle(&no_manifest), Err(DocsError::UnreadableBundle(_))));
    let bad_manifest = rezip(&[(MANIFEST.into(), b"{}".to_vec())]);
    assert!(matches!(verify_bundle(&bad_manifest), Err(DocsError::UnreadableBundle(_))));
}

#[test]
fn unsafe_or_duplicate_paths_are_refused() {
    for path in ["", "/etc/passwd", "../x", "a//b", "a/./b", MANIFEST, "a:b", "a\\b", "a\u{0}b"] {
        let result = build_bundle(&[(path.into(), vec![])], &meta());
        assert!(matches!(result, Err(DocsError::InvalidBundlePath(_))), "{path:?} accepted");
    }
    let twice = vec![("a.txt".into(), vec![]), ("a.txt".into(), vec![1])];
    assert!(matches!(build_bundle(&twice, &meta()), Err(DocsError::InvalidBundlePath(_))));
}

/// A zip bomb put in place of a listed file, or beside them, is reported
/// as a changed or an unlisted file: `verify` reads a listed file no
/// further than its listed size and never inflates an unlisted one.
#[test]
fn a_zip_bomb_in_a_bundle_is_reported_not_inflated() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let bomb = vec![0u8; 64 * 1024 * 1024];
    let mut swapped = entries(&bundle);
    swapped.iter_mut().filter(|(name, _)| name == "说明.txt").for_each(|(_, bytes)| *bytes = bomb.clone());
    swapped.push(("炸弹.bin".into(), bomb));
    let zipped = rezip(&swapped);
    assert!(zipped.len() < 1024 * 1024, "deflated bomb is small: {}", zipped.len());
    assert_eq!(
        problems(&zipped),
        [BundleProblem::Altered("说明.txt".into()), BundleProblem::Unlisted("炸弹.bin".into())]
    );
}

#[test]
fn a_manifest_admitting_more_than_the_cap_is_refused() {
    let bundle = build_bundle(&files(), &meta()).unwrap();
    let mut edited = entries(&bundle);
    for (name, bytes) in edited.iter_mut().filter(|(name, _)| name == MANIFEST) {
        let mut manifest: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        manifest["files"][0]["size"] = serde_json::json!(5u64 << 30);
        *bytes = serde_json::to_vec(&manifest).unwrap();
        assert_eq!(name, MANIFEST);
    }
    match verify_bundle(&rezip(&edited)) {
        Err(DocsError::UnreadableBundle(why)) => assert!(why.contains("合计超过4GB"), "{why}"),
        other => panic!("expected the bundle to be refused, got {other:?}"),
    }
}
