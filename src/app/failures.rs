//! Turning every kind of load failure into a `pushResult` status and a message a person can act on.

use crate::content::{FetchError, ImageError};
use crate::html::HtmlError;
use crate::media::Failure;
use crate::remote::PushResult;
use crate::reply::LoadFailure;

pub fn fetch(e: &FetchError) -> LoadFailure {
    let status = match e {
        FetchError::BadUrl(_) => PushResult::InvalidArgument,
        FetchError::UnsupportedScheme(_) => PushResult::Unsupported,
        FetchError::Forbidden(_) => PushResult::Forbidden,
        FetchError::NotFound(_) => PushResult::NotFound,
        FetchError::Timeout(_) => PushResult::Timeout,
        FetchError::TooLarge { .. } | FetchError::Status(_) | FetchError::Io(_) => {
            PushResult::LoadFailed
        }
    };
    LoadFailure::new(status, e.to_string())
}

pub fn image(e: &ImageError) -> LoadFailure {
    let status = match e {
        ImageError::UnknownFormat => PushResult::Unsupported,
        ImageError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            PushResult::NotFound
        }
        _ => PushResult::LoadFailed,
    };
    LoadFailure::new(status, e.to_string())
}

pub fn html(e: &HtmlError) -> LoadFailure {
    match e {
        HtmlError::TooLarge { .. } | HtmlError::TooDeep { .. } => {
            LoadFailure::new(PushResult::InvalidArgument, e.to_string())
        }
        HtmlError::Timeout(_) => LoadFailure::new(PushResult::Timeout, e.to_string()),
        HtmlError::Fetch(f) => fetch(f),
        _ => LoadFailure::new(PushResult::LoadFailed, e.to_string()),
    }
}

pub fn media(failure: Failure, message: &str) -> LoadFailure {
    let status = match failure {
        Failure::NotFound => PushResult::NotFound,
        Failure::Unsupported => PushResult::Unsupported,
        Failure::Other => PushResult::LoadFailed,
    };
    LoadFailure::new(status, message)
}
