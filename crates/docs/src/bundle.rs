//! The inspection bundle (检查材料包): the files handed to an inspector in
//! one .zip, with `manifest.json` giving each file's SHA-256 and size and
//! the head of the audit chain at export time. [`verify_bundle`] tells
//! whether a bundle is still exactly what was exported.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Cursor, Read, Write};

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::{BundleProblem, DocsError};

/// Name of the manifest inside the zip.
pub const MANIFEST: &str = "manifest.json";
/// Identifies the manifest layout, so a later version can still read this one.
pub const FORMAT: &str = "taizhang-bundle/1";

/// A manifest larger than this is not ours; refuse rather than inflate it.
const MANIFEST_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// A bundle listing more files than this is not ours (an inspection bundle
/// holds a few dozen).
pub const MAX_ENTRIES: usize = 20_000;
/// The most a bundle's files may add up to, inflated. Each file is read
/// no further than its listed size, so a zip bomb cannot make `verify`
/// inflate more than the manifest admits, and the manifest no more than this.
pub const MAX_INFLATED_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Characters Windows does not allow in file names.
const WINDOWS_FORBIDDEN: [char; 8] = ['\\', '<', '>', ':', '"', '|', '?', '*'];

/// What the bundle is about, recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleMeta {
    pub unit_name: String,
    /// E.g. "2026年上半年".
    pub period_label: String,
    pub generated_at: DateTime<Utc>,
    /// Hash of the last audit entry when the bundle was made.
    pub audit_chain_head: String,
    pub audit_entries: u64,
}

/// One file as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    /// Lower-case hex.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    meta: BundleMeta,
    files: Vec<ManifestEntry>,
}

/// A bundle that verified: what it claims, every claim checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    pub meta: BundleMeta,
    pub files: Vec<ManifestEntry>,
}

/// Writes `files` (path inside the zip, content) and the manifest as a zip.
///
/// Paths may contain Chinese; the zip writer marks such names as UTF-8
/// (general-purpose flag bit 11) so Windows' own zip tool shows them right.
/// Entry times are `generated_at` in China Standard Time, so the same input
/// always gives the same bytes.
pub fn build_bundle(files: &[(String, Vec<u8>)], meta: &BundleMeta) -> Result<Vec<u8>, DocsError> {
    check_paths(files)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        meta: meta.clone(),
        files: files.iter().map(|(path, bytes)| entry_for(path, bytes)).collect(),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(meta.generated_at));
    zip.start_file(MANIFEST, options)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    for (path, bytes) in files {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Checks a bundle against its manifest: every listed file present with the
/// listed hash and size, and no file that is not listed. All differences
/// are reported together, each naming its file.
pub fn verify_bundle(bytes: &[u8]) -> Result<BundleReport, DocsError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocsError::UnreadableBundle(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(DocsError::UnreadableBundle(format!("包含的文件超过{MAX_ENTRIES}个")));
    }
    let manifest = read_manifest(&mut archive)?;
    let mut problems = Vec::new();
    let mut listed: BTreeMap<&str, &ManifestEntry> = BTreeMap::new();
    for entry in &manifest.files {
        if listed.insert(entry.path.as_str(), entry).is_some() {
            problems.push(BundleProblem::Duplicate(entry.path.clone()));
        }
    }
    let mut seen = BTreeSet::new();
    for i in 0..archive.len() {
        let Some(name) = entry_name(&mut archive, i) else {
            continue;
        };
        if name == MANIFEST {
            continue;
        }
        if !seen.insert(name.clone()) {
            problems.push(BundleProblem::Duplicate(name));
            continue;
        }
        // Only listed files are inflated, and only up to their listed size.
        match listed.get(name.as_str()) {
            None => problems.push(BundleProblem::Unlisted(name)),
            Some(expected) if !matches(expected, hash_entry(&mut archive, i, expected.size).as_ref()) => {
                problems.push(BundleProblem::Altered(name))
            }
            Some(_) => {}
        }
    }
    problems.extend(listed.keys().filter(|p| !seen.contains(**p)).map(|p| BundleProblem::Missing(p.to_string())));
    if problems.is_empty() {
        Ok(BundleReport { meta: manifest.meta, files: manifest.files })
    } else {
        Err(DocsError::BundleInvalid(problems))
    }
}

fn matches(expected: &ManifestEntry, actual: Option<&(String, u64)>) -> bool {
    actual.is_some_and(|(sha, size)| sha.eq_ignore_ascii_case(&expected.sha256) && *size == expected.size)
}

fn entry_for(path: &str, bytes: &[u8]) -> ManifestEntry {
    ManifestEntry { path: path.to_string(), sha256: hex::encode(Sha256::digest(bytes)), size: bytes.len() as u64 }
}

/// Paths must be relative, clean and unique, and work as Windows names,
/// since the inspector unpacks the bundle on whatever machine they have.
fn check_paths(files: &[(String, Vec<u8>)]) -> Result<(), DocsError> {
    let mut seen = BTreeSet::new();
    for (path, _) in files {
        let bad = path.is_empty()
            || path == MANIFEST
            || path.starts_with('/')
            || path.split('/').any(|part| part.is_empty() || part == "." || part == "..")
            || path.chars().any(|c| c.is_control() || WINDOWS_FORBIDDEN.contains(&c));
        if bad || !seen.insert(path.as_str()) {
            return Err(DocsError::InvalidBundlePath(path.clone()));
        }
    }
    Ok(())
}

/// Zip times have no zone; China Standard Time is what the people who open
/// the bundle expect. China has no daylight saving, so a fixed offset is exact.
fn zip_time(at: DateTime<Utc>) -> zip::DateTime {
    let Some(cst) = FixedOffset::east_opt(8 * 3600) else {
        return zip::DateTime::default();
    };
    let t = at.with_timezone(&cst);
    let year = u16::try_from(t.year()).unwrap_or(0);
    // Out of the zip format's 1980–2107 range: fall back to its epoch.
    zip::DateTime::from_date_and_time(
        year,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

fn read_manifest(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<Manifest, DocsError> {
    let unreadable = |what: String| DocsError::UnreadableBundle(what);
    let file = archive.by_name(MANIFEST).map_err(|_| unreadable(format!("缺少 {MANIFEST}")))?;
    let mut text = Vec::new();
    file.take(MANIFEST_MAX_BYTES + 1).read_to_end(&mut text)?;
    if text.len() as u64 > MANIFEST_MAX_BYTES {
        return Err(unreadable(format!("{MANIFEST} 过大")));
    }
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| unreadable(format!("{MANIFEST} 格式错误：{e}")))?;
    if manifest.format != FORMAT {
        return Err(unreadable(format!("不支持的清单版本 {}", manifest.format)));
    }
    let listed = manifest.files.iter().try_fold(0u64, |sum, f| sum.checked_add(f.size));
    if listed.is_none_or(|total| total > MAX_INFLATED_BYTES) {
        return Err(unreadable(format!("{MANIFEST} 所列文件合计超过{}GB", MAX_INFLATED_BYTES >> 30)));
    }
    Ok(manifest)
}

/// The entry's name (`#index` when unreadable); `None` for a directory.
fn entry_name(archive: &mut ZipArchive<Cursor<&[u8]>>, index: usize) -> Option<String> {
    match archive.by_index_raw(index) {
        Ok(file) if file.is_dir() => None,
        Ok(file) => Some(file.name().map_or_else(|_| format!("#{index}"), |n| n.to_string())),
        Err(_) => Some(format!("#{index}")),
    }
}

/// (SHA-256, size) of an entry's content, inflating at most one byte more
/// than `listed_size`; `None` when it cannot be read (a corrupt deflate
/// stream or CRC), which is reported as a changed file.
fn hash_entry(archive: &mut ZipArchive<Cursor<&[u8]>>, index: usize, listed_size: u64) -> Option<(String, u64)> {
    let file = archive.by_index(index).ok()?;
    let mut hasher = HashWriter(Sha256::new(), 0);
    io::copy(&mut file.take(listed_size.saturating_add(1)), &mut hasher).ok()?;
    Some((hex::encode(hasher.0.finalize()), hasher.1))
}

/// Hashes and counts what is written to it, so entries stream through.
struct HashWriter(Sha256, u64);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        self.1 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
