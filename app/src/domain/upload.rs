//! Which files the portal accepts: PDF, JPEG and PNG recognised by their first bytes
//! (never by name), up to 10 MB each and 5 per message.

use serde::{Deserialize, Serialize};

/// Largest file (10 MB).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Most files per message.
pub const MAX_FILES: usize = 5;
/// Bytes needed to recognise a type.
pub const SNIFF_BYTES: usize = 8;

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    /// `application/pdf`.
    Pdf,
    /// `image/jpeg`.
    Jpeg,
    /// `image/png`.
    Png,
}

impl FileType {
    /// The type the content starts like, if accepted.
    pub fn detect(head: &[u8]) -> Option<FileType> {
        if head.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else {
            None
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    /// The extension a download gets.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    /// Not a PDF, JPEG or PNG (whatever its name says).
    Type,
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// Empty.
    Empty,
    /// More than [`MAX_FILES`].
    TooMany,
    /// Only PDF is allowed here (documents from the job centre).
    PdfOnly,
}

/// A file name safe to show and to put into `Content-Disposition`: the last path part,
/// a single line ([`super::text::single_line`]: no control or bidirectional formatting
/// characters, so "rechnung\u{202E}fdp.exe" cannot pose as a PDF), without quotes, at
/// most 120 characters, with the extension of its real type.
pub fn safe_filename(name: &str, file_type: FileType) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = super::text::single_line(last).chars().filter(|c| !matches!(c, '"' | ';')).collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) => stem.trim(),
        None => cleaned.trim(),
    };
    let stem: String = if stem.is_empty() { "dokument" } else { stem }.chars().take(110).collect();
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(FileType::detect(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(FileType::detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some(FileType::Png));
        assert_eq!(FileType::detect(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(FileType::detect(b"MZ\x90\x00"), None, "a Windows program");
        assert_eq!(FileType::detect(b""), None);
    }

    #[test]
    fn names_are_cleaned_and_follow_the_real_type() {
        assert_eq!(safe_filename("C:\\Users\\x\\Bescheid 2026.PDF", FileType::Pdf), "Bescheid 2026.pdf");
        assert_eq!(safe_filename("../../etc/passwd", FileType::Png), "passwd.png");
        assert_eq!(safe_filename("a\"b;c.exe", FileType::Pdf), "abc.pdf");
        assert_eq!(safe_filename("", FileType::Jpeg), "dokument.jpg");
        assert_eq!(safe_filename(".pdf", FileType::Pdf), "dokument.pdf");
    }

    proptest! {
        #[test]
        fn a_safe_name_has_no_quote_slash_or_control(name in ".{0,300}") {
            let safe = safe_filename(&name, FileType::Pdf);
            prop_assert!(!safe.contains(['"', ';', '/', '\\']));
            prop_assert!(!safe.chars().any(crate::domain::text::is_forbidden_in_line));
            prop_assert!(safe.ends_with(".pdf"));
            prop_assert!(safe.chars().count() <= 120);
        }
    }
}
