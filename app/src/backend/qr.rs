//! QR codes as inline SVG (server-side, no script), for the authenticator app's
//! `otpauth://` link and the links to help pages.

use qrcode::{render::svg, EcLevel, QrCode};

/// An SVG QR code for `data`, hidden from screen readers (the page around it gives the
/// image its translated name), or `None` if the data is too long.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(176, 176)
        .dark_color(svg::Color("#0b0c0c"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // Drop the XML prolog; the wrapper carries role and name.
    let body = image.trim_start_matches(|c| c != '<').split_once("<svg")?.1;
    Some(format!("<svg aria-hidden=\"true\" focusable=\"false\"{body}"))
}

#[cfg(test)]
mod tests {
    use super::svg;

    #[test]
    fn renders_an_inline_svg() {
        let image = svg("otpauth://totp/Jobcenter:a@b.de?secret=ABC").expect("svg");
        assert!(image.starts_with("<svg aria-hidden=\"true\""), "{}", &image[..80]);
        assert!(image.contains("<path") || image.contains("<rect"));
        assert!(!image.contains("<?xml"));
    }
}
