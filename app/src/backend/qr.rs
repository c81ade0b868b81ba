//! QR codes as inline SVG (server-side, no script), for the authenticator app's
//! `otpauth://` link and the links to help pages.

use qrcode::{render::svg, EcLevel, QrCode};

/// An SVG QR code for `data` with an accessible name, or `None` if the data is too long.
pub fn svg(data: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(176, 176)
        .dark_color(svg::Color("#0b0c0c"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // Give the image a role and name for screen readers; drop the XML prolog.
    let body = image.trim_start_matches(|c| c != '<').splitn(2, "<svg").nth(1)?;
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    Some(format!("<svg role=\"img\" aria-label=\"{label}\" focusable=\"false\"{body}"))
}

#[cfg(test)]
mod tests {
    use super::svg;

    #[test]
    fn renders_an_svg_with_a_name() {
        let image = svg("otpauth://totp/Jobcenter:a@b.de?secret=ABC", "QR-Code <TOTP>").expect("svg");
        assert!(image.starts_with("<svg role=\"img\" aria-label=\"QR-Code &lt;TOTP>\""), "{}", &image[..80]);
        assert!(image.contains("<path") || image.contains("<rect"));
        assert!(!image.contains("<?xml"));
    }
}
