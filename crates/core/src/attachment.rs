//! Evidence files (佐证材料): which types are accepted, told from the
//! content and never from the name, and the kinds of evidence a duty item
//! can require of a record's files (签到表, 课件 …).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The default largest file, in bytes (20 MB).
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// How many leading bytes [`sniff`] needs.
pub const SNIFF_BYTES: usize = 8;

/// The longest file name kept, in characters.
pub const NAME_MAX_CHARS: usize = 120;

/// What the refusal of an unknown type says.
pub const UNKNOWN_TYPE_MESSAGE: &str =
    "不支持该文件类型：佐证材料只接受 PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx）和 OFD 文件";

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Docx,
    Xlsx,
    Ofd,
}

impl FileType {
    pub const ALL: [FileType; 6] =
        [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Docx, FileType::Xlsx, FileType::Ofd];

    pub fn code(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpeg",
            FileType::Png => "png",
            FileType::Docx => "docx",
            FileType::Xlsx => "xlsx",
            FileType::Ofd => "ofd",
        }
    }

    pub fn from_code(code: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPEG 图片",
            FileType::Png => "PNG 图片",
            FileType::Docx => "Word 文档",
            FileType::Xlsx => "Excel 表格",
            FileType::Ofd => "OFD 版式文件",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Ofd => "application/ofd",
        }
    }

    /// The extension a file of this type is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            other => other.code(),
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png)
    }

    /// Whether a browser may show it inline (under a restrictive CSP).
    pub fn inline_safe(self) -> bool {
        matches!(self, FileType::Pdf | FileType::Jpeg | FileType::Png)
    }
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Type(FileType),
    /// A zip archive: DOCX, XLSX or OFD, told by its members ([`zip_type`]).
    Zip,
    Unknown,
}

/// Tells a file's type from its first bytes (at least [`SNIFF_BYTES`]).
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"%PDF-") {
        Sniffed::Type(FileType::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Type(FileType::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Type(FileType::Png)
    } else if head.starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else {
        Sniffed::Unknown
    }
}

/// The type of a zip archive from the names of its members: an OFD
/// package has `OFD.xml` at its root (GB/T 33190); Office Open XML
/// packages have `[Content_Types].xml` and their main part.
pub fn zip_type<'a>(members: impl IntoIterator<Item = &'a str>) -> Option<FileType> {
    let (mut ofd, mut types, mut word, mut excel) = (false, false, false, false);
    for name in members {
        match name {
            "OFD.xml" => ofd = true,
            "[Content_Types].xml" => types = true,
            "word/document.xml" => word = true,
            "xl/workbook.xml" => excel = true,
            _ => {}
        }
    }
    match (ofd, types, word, excel) {
        (true, _, _, _) => Some(FileType::Ofd),
        (_, true, true, false) => Some(FileType::Docx),
        (_, true, false, true) => Some(FileType::Xlsx),
        _ => None,
    }
}

/// A file name as kept: the last path component, without control
/// characters, at most [`NAME_MAX_CHARS`]; its extension made to match
/// the type, so a download never carries a misleading one.
pub fn clean_name(raw: &str, file_type: FileType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let base: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | ':' | '*' | '?')).collect();
    let base = base.trim().trim_start_matches('.');
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let stem = if stem.trim().is_empty() { "佐证材料" } else { stem.trim() };
    let ext = file_type.extension();
    let stem: String = stem.chars().take(NAME_MAX_CHARS - ext.len() - 1).collect();
    format!("{stem}.{ext}")
}

/// A kind of evidence file, as a duty item requires it and as the person
/// uploading says what a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// 签到表: the sign-in sheet of a meeting or study session.
    SignInSheet,
    /// 研讨材料: speeches and notes of a 研讨.
    StudyMaterial,
    /// 会议纪要 or minutes as a file.
    Minutes,
    /// 课件: slides or the text of a lecture.
    Courseware,
    /// 照片: photos of the activity.
    Photo,
    /// 报告文件: the report itself.
    ReportFile,
    /// 回执: the superior's receipt.
    Receipt,
    /// 其他材料.
    Other,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::SignInSheet,
        FileKind::StudyMaterial,
        FileKind::Minutes,
        FileKind::Courseware,
        FileKind::Photo,
        FileKind::ReportFile,
        FileKind::Receipt,
        FileKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FileKind::SignInSheet => "签到表",
            FileKind::StudyMaterial => "研讨材料",
            FileKind::Minutes => "会议纪要",
            FileKind::Courseware => "课件",
            FileKind::Photo => "照片",
            FileKind::ReportFile => "报告文件",
            FileKind::Receipt => "回执",
            FileKind::Other => "其他材料",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FileKind::SignInSheet => "sign_in_sheet",
            FileKind::StudyMaterial => "study_material",
            FileKind::Minutes => "minutes",
            FileKind::Courseware => "courseware",
            FileKind::Photo => "photo",
            FileKind::ReportFile => "report_file",
            FileKind::Receipt => "receipt",
            FileKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.code() == code)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of file kinds: what a record holds, or the alternatives a duty
/// item accepts (课件 or 照片).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FileKinds(u16);

impl FileKinds {
    pub fn insert(&mut self, kind: FileKind) {
        self.0 |= kind.bit();
    }

    pub fn contains(self, kind: FileKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// Whether the two sets share a kind.
    pub fn meets(self, required: FileKinds) -> bool {
        self.0 & required.0 != 0
    }

    pub fn iter(self) -> impl Iterator<Item = FileKind> {
        FileKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }

    /// 课件或照片.
    pub fn label(self) -> String {
        self.iter().map(FileKind::label).collect::<Vec<_>>().join("或")
    }
}

impl FromIterator<FileKind> for FileKinds {
    fn from_iter<I: IntoIterator<Item = FileKind>>(iter: I) -> Self {
        let mut set = FileKinds::default();
        for k in iter {
            set.insert(k);
        }
        set
    }
}

impl Serialize for FileKinds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for FileKinds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let kinds = Vec::<FileKind>::deserialize(d)?;
        if kinds.is_empty() {
            return Err(serde::de::Error::custom("佐证材料类别不能为空"));
        }
        Ok(kinds.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Type(FileType::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']), Sniffed::Type(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Sniffed::Type(FileType::Png));
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0"), Sniffed::Zip);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Sniffed::Unknown, "a Windows program");
        assert_eq!(sniff(b"<!DOCTYPE html>"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn zip_members_tell_office_files_from_ofd() {
        assert_eq!(zip_type(["[Content_Types].xml", "word/document.xml"]), Some(FileType::Docx));
        assert_eq!(
            zip_type(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]),
            Some(FileType::Xlsx)
        );
        assert_eq!(zip_type(["OFD.xml", "Doc_0/Document.xml"]), Some(FileType::Ofd));
        assert_eq!(zip_type(["readme.txt"]), None, "a plain zip");
        assert_eq!(zip_type(["word/document.xml"]), None, "no content types");
        assert_eq!(zip_type(["x/OFD.xml"]), None, "OFD.xml must sit at the root");
    }

    #[test]
    fn names_lose_paths_and_take_the_types_extension() {
        assert_eq!(clean_name("C:\\Users\\a\\签到表.PDF", FileType::Pdf), "签到表.pdf");
        assert_eq!(clean_name("../../etc/passwd", FileType::Png), "passwd.png");
        assert_eq!(clean_name("setup.exe", FileType::Pdf), "setup.pdf");
        assert_eq!(clean_name("", FileType::Jpeg), "佐证材料.jpg");
        assert_eq!(clean_name("a\"b\r\n.docx", FileType::Docx), "ab.docx");
        assert!(clean_name(&"长".repeat(500), FileType::Xlsx).chars().count() <= NAME_MAX_CHARS);
    }

    #[test]
    fn kinds_form_sets_of_alternatives() {
        let alternatives: FileKinds = [FileKind::Courseware, FileKind::Photo].into_iter().collect();
        assert_eq!(alternatives.label(), "课件或照片");
        let held: FileKinds = [FileKind::Photo, FileKind::SignInSheet].into_iter().collect();
        assert!(held.meets(alternatives));
        assert!(!FileKinds::default().meets(alternatives));
        let json = serde_json::to_string(&alternatives).unwrap();
        assert_eq!(json, r#"["courseware","photo"]"#);
        assert_eq!(serde_json::from_str::<FileKinds>(&json).unwrap(), alternatives);
        assert!(serde_json::from_str::<FileKinds>("[]").is_err());
        for k in FileKind::ALL {
            assert_eq!(FileKind::from_code(k.code()), Some(k));
        }
    }
}
