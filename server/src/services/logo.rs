//! The seller's logo, printed at the head of every document.

use app::domain::{Permission, RuleCode, Violation};
use app::model::{CurrentUser, SellerProfile};
use app::problem::Problem;

use super::{ServiceError, Services};
use crate::storage::Logo;

/// A logo is small: it prints about 1.5 cm high.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Neither side may be longer, so a small file cannot decode into gigabytes.
const MAX_LOGO_SIDE_PIXELS: u32 = 4000;

fn unreadable(message: impl Into<String>) -> ServiceError {
    ServiceError::Rules(vec![Violation::new(
        RuleCode::ValidationError,
        Some("file".into()),
        message,
    )])
}

/// The logo if it is a PNG or JPEG, by its content, that decodes and is of a sane size.
fn checked_logo(content: Vec<u8>) -> Result<Logo, ServiceError> {
    if content.is_empty() {
        return Err(unreadable("The file is empty"));
    }
    if content.len() > MAX_LOGO_BYTES {
        return Err(ServiceError::Invalid(Problem::new(
            413,
            "payload_too_large",
            format!("A logo has at most {} MiB", MAX_LOGO_BYTES / (1024 * 1024)),
        )));
    }
    let format = match infer::get(&content).map(|kind| kind.mime_type()) {
        Some("image/png") => image::ImageFormat::Png,
        Some("image/jpeg") => image::ImageFormat::Jpeg,
        _ => {
            return Err(ServiceError::Invalid(Problem::new(
                415,
                "unsupported_media_type",
                "A logo is a PNG or JPEG image, as its content shows (the name and the \
                 declared type do not count)",
            )));
        }
    };
    let reader = || image::ImageReader::with_format(std::io::Cursor::new(&content), format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|error| unreadable(format!("The image cannot be read: {error}")))?;
    if width > MAX_LOGO_SIDE_PIXELS || height > MAX_LOGO_SIDE_PIXELS {
        return Err(unreadable(format!(
            "The image is {width} × {height} pixels; a logo has at most \
             {MAX_LOGO_SIDE_PIXELS} pixels on each side"
        )));
    }
    // Decoded once here, so a damaged file is refused now rather than failing a PDF later.
    reader()
        .decode()
        .map_err(|error| unreadable(format!("The image cannot be read: {error}")))?;
    Ok(Logo {
        media_type: format.to_mime_type().to_string(),
        content,
    })
}

impl Services {
    /// Gives the seller a logo (administrators), replacing any earlier one. The seller's
    /// details come first: a logo alone names no one.
    pub async fn set_seller_logo(
        &self,
        user: &CurrentUser,
        content: Vec<u8>,
    ) -> Result<SellerProfile, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let logo = checked_logo(content)?;
        self.store_logo(Some(&logo)).await
    }

    /// Documents print without a logo again (administrators).
    pub async fn remove_seller_logo(
        &self,
        user: &CurrentUser,
    ) -> Result<SellerProfile, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        self.store_logo(None).await
    }

    /// The logo as uploaded (administrators); 404 when there is none.
    pub async fn seller_logo(&self, user: &CurrentUser) -> Result<Logo, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.read().await?;
        tx.seller_logo()
            .await?
            .ok_or(ServiceError::NotFound("The seller's logo"))
    }

    async fn store_logo(&self, logo: Option<&Logo>) -> Result<SellerProfile, ServiceError> {
        let mut tx = self.storage.write().await?;
        if !tx.set_seller_logo(logo, self.now()).await? {
            return Err(ServiceError::Invalid(Problem::new(
                409,
                "seller_missing",
                "Save the seller's details first: the logo goes with them",
            )));
        }
        let seller = tx.seller().await?.unwrap_or_default();
        tx.commit().await?;
        Ok(seller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([20, 60, 140]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .expect("a PNG encodes");
        bytes
    }

    fn refusal(result: Result<Logo, ServiceError>) -> Problem {
        Problem::from(result.expect_err("the logo is refused"))
    }

    #[test]
    fn a_png_is_kept_with_the_type_its_content_shows() {
        let logo = checked_logo(png(120, 40)).expect("a small PNG is a logo");
        assert_eq!(logo.media_type, "image/png");
    }

    #[test]
    fn text_damaged_images_and_huge_images_are_refused() {
        assert_eq!(refusal(checked_logo(b"<svg/>".to_vec())).status, 415);
        let mut damaged = png(120, 40);
        damaged.truncate(60);
        let problem = refusal(checked_logo(damaged));
        assert_eq!(problem.status, 422);
        assert!(problem.field_message("file").is_some(), "{problem:?}");
        // Refused by its header, before anything is decoded.
        let problem = refusal(checked_logo(png(4001, 1)));
        assert_eq!(problem.status, 422);
        let message = problem.field_message("file").unwrap_or_default();
        assert!(message.contains("4001 × 1 pixels"), "{message}");
        assert_eq!(refusal(checked_logo(Vec::new())).status, 422);
        assert_eq!(
            refusal(checked_logo(vec![0x89; MAX_LOGO_BYTES + 1])).status,
            413
        );
    }
}
