//! Turning every kind of load failure into a failure kind and a message a person can act on.

use crate::content::{FetchError, ImageError};
use crate::html::HtmlError;
use crate::media::Failure;
use crate::outcome::{FailureKind, LoadFailure};

pub fn fetch(e: &FetchError) -> LoadFailure {
    let kind = match e {
        FetchError::BadUrl(_) => FailureKind::Invalid,
        FetchError::UnsupportedScheme(_) => FailureKind::Unsupported,
        FetchError::Forbidden(_) => FailureKind::Forbidden,
        FetchError::NotFound(_) => FailureKind::NotFound,
        FetchError::Timeout(_) => FailureKind::TimedOut,
        FetchError::TooLarge { .. } => FailureKind::TooLarge,
        FetchError::Status(_) | FetchError::Io(_) => FailureKind::Failed,
    };
    LoadFailure::new(kind, e.to_string())
}

pub fn image(e: &ImageError) -> LoadFailure {
    let kind = match e {
        ImageError::UnknownFormat => FailureKind::Unsupported,
        ImageError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            FailureKind::NotFound
        }
        _ => FailureKind::Failed,
    };
    LoadFailure::new(kind, e.to_string())
}

/// A document over its limits is the caller's to fix: an invalid argument.
pub fn html(e: &HtmlError) -> LoadFailure {
    match e {
        HtmlError::TooLarge { .. }
        | HtmlError::TooDeep { .. }
        | HtmlError::TooManyElements { .. }
        | HtmlError::TooComplex { .. } => LoadFailure::new(FailureKind::Invalid, e.to_string()),
        HtmlError::Timeout(_) => LoadFailure::new(FailureKind::TimedOut, e.to_string()),
        HtmlError::Fetch(f) => fetch(f),
        _ => LoadFailure::new(FailureKind::Failed, e.to_string()),
    }
}

pub fn media(failure: Failure, message: &str) -> LoadFailure {
    let kind = match failure {
        Failure::NotFound => FailureKind::NotFound,
        Failure::Unsupported => FailureKind::Unsupported,
        Failure::Other => FailureKind::Failed,
    };
    LoadFailure::new(kind, message)
}
