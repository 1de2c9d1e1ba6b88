//! The settings each platform crate takes, made from the config: the one place that reads `[content]` and `[html]` for web content, so that crate knows no config file.

use std::path::Path;

use crate::config::{Config, ContentConfig};
use crate::content::{ImageLimits, Policy, PolicySettings};
use crate::html::{HtmlSettings, ResourceBudget};

/// The content policy `[content]` describes; vitrine's own `assets` are
/// always readable.
pub fn policy(c: &ContentConfig, assets: Option<&Path>) -> Policy {
    Policy::new(
        &PolicySettings {
            roots: c.roots.clone(),
            allowed_hosts: c.allowed_hosts.clone(),
            max_bytes: c.max_download_bytes,
            timeout: c.fetch_timeout,
        },
        assets,
    )
}

/// The picture limits of `[content]`.
pub fn image_limits(c: &ContentConfig) -> ImageLimits {
    ImageLimits {
        max_bytes: c.max_download_bytes,
        max_pixels: c.max_image_pixels,
    }
}

/// The HTML limits `[html]` and `[content]` describe.
pub fn html(config: &Config) -> HtmlSettings {
    HtmlSettings {
        render_timeout: config.html.render_timeout,
        max_html_bytes: config.content.max_html_bytes,
        max_depth: config.html.max_depth,
        max_elements: config.html.max_elements,
        max_page_threads: config.html.max_page_threads,
        max_texture_side: HtmlSettings::default().max_texture_side,
        max_scale: config.html.max_scale,
        resources: ResourceBudget {
            count: config.html.max_resources,
            bytes: config.html.max_resource_bytes,
            time: config.html.resource_time,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reaches_its_setting() {
        let mut c = Config::default();
        c.content.max_html_bytes = 123;
        c.content.max_image_pixels = 456;
        c.html.max_resources = 7;
        c.content.allowed_hosts = vec!["shop.example".into()];
        let h = html(&c);
        assert_eq!((h.max_html_bytes, h.resources.count), (123, 7));
        assert_eq!(image_limits(&c.content).max_pixels, 456);
        let other = url::Url::parse("http://elsewhere.example/a.png").unwrap();
        assert!(policy(&c.content, None).check(&other).is_err());
    }
}
