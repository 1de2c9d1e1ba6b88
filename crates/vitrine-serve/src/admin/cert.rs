//! The admin page's certificate: a configured one (a shop's own CA, a reverse proxy's), or a self-signed one made once, kept in the state folder and reused, and made again only when it nears its end or no longer names the kiosk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};

/// Where in the state folder the self-signed certificate lives.
pub const SELF_SIGNED_DIR: &str = "admin-tls";
const CERT_FILE: &str = "cert.pem";
const KEY_FILE: &str = "key.pem";
/// What the certificate was made for: its names and its end.
const ABOUT_FILE: &str = "cert.json";
/// 825 days: the longest validity Apple's devices accept for a server
/// certificate, even one the user trusts by hand (managers use phones).
const VALIDITY: Duration = Duration::from_secs(825 * 24 * 3600);
/// A certificate this close to its end is made again at start, so a kiosk
/// that restarts now and then never serves an expired one.
const RENEW_BEFORE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Why there is no certificate to serve with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    #[error("cannot read the certificate in admin.tls_cert ({path}): {reason}")]
    Cert { path: PathBuf, reason: String },
    #[error("cannot read the private key in admin.tls_key ({path}): {reason}")]
    Key { path: PathBuf, reason: String },
    #[error(
        "no state folder to keep the admin page's self-signed certificate in: set state.dir, \
         or admin.tls_cert and admin.tls_key"
    )]
    NoStateDir,
    #[error("cannot make the admin page's certificate in {path}: {reason}")]
    Make { path: PathBuf, reason: String },
}

/// A certificate chain and its key, ready to serve.
pub struct Certificate {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// The leaf's SHA-256 fingerprint, as browsers show it (`AB:CD:…`).
    pub fingerprint: String,
    /// The leaf's file.
    pub path: PathBuf,
    /// Whether it was made in this start (a new fingerprint to trust).
    pub made: bool,
}

/// Reads a configured certificate chain and key (PEM).
pub fn configured(cert: &Path, key: &Path) -> Result<Certificate, CertError> {
    let cert_error = |reason: String| CertError::Cert {
        path: cert.to_path_buf(),
        reason,
    };
    let chain = read_chain(cert).map_err(cert_error)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| CertError::Key {
        path: key.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(Certificate {
        fingerprint: fingerprint(&chain[0]),
        chain,
        key,
        path: cert.to_path_buf(),
        made: false,
    })
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let chain = CertificateDer::pem_file_iter(path)
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    if chain.is_empty() {
        return Err("no PEM certificate in it".into());
    }
    Ok(chain)
}

/// What the self-signed certificate was made for.
#[derive(Serialize, Deserialize)]
struct About {
    names: Vec<String>,
    /// Seconds since the Unix epoch.
    not_after: u64,
}

/// The self-signed certificate in `state_dir`, made when there is none,
/// when it ends within [`RENEW_BEFORE`] of `now`, or when it does not name
/// every one of `names`.
pub fn self_signed(
    state_dir: &Path,
    names: &[String],
    now: SystemTime,
) -> Result<Certificate, CertError> {
    let dir = state_dir.join(SELF_SIGNED_DIR);
    if let Some(kept) = reusable(&dir, names, now) {
        return Ok(kept);
    }
    make(&dir, names, now)
}

/// The kept certificate, if it is whole, names everything in `names` and
/// is far enough from its end.
fn reusable(dir: &Path, names: &[String], now: SystemTime) -> Option<Certificate> {
    let about: About = serde_json::from_slice(&std::fs::read(dir.join(ABOUT_FILE)).ok()?).ok()?;
    let ends = SystemTime::UNIX_EPOCH + Duration::from_secs(about.not_after);
    let fresh = ends
        .duration_since(now)
        .is_ok_and(|left| left > RENEW_BEFORE);
    let covered = names.iter().all(|n| about.names.contains(n));
    if !fresh || !covered {
        return None;
    }
    let mut kept = configured(&dir.join(CERT_FILE), &dir.join(KEY_FILE)).ok()?;
    kept.made = false;
    Some(kept)
}

fn make(dir: &Path, names: &[String], now: SystemTime) -> Result<Certificate, CertError> {
    let error = |reason: String| CertError::Make {
        path: dir.to_path_buf(),
        reason,
    };
    let ends = now + VALIDITY;
    let mut params =
        rcgen::CertificateParams::new(names.to_vec()).map_err(|e| error(e.to_string()))?;
    let mut subject = rcgen::DistinguishedName::new();
    subject.push(rcgen::DnType::CommonName, "vitrine admin page");
    subject.push(rcgen::DnType::OrganizationName, "vitrine kiosk");
    params.distinguished_name = subject;
    // A day back, so a clock a little behind the manager's phone still
    // takes it.
    params.not_before = (now - Duration::from_secs(24 * 3600)).into();
    params.not_after = ends.into();
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let key = rcgen::KeyPair::generate().map_err(|e| error(e.to_string()))?;
    let cert = params.self_signed(&key).map_err(|e| error(e.to_string()))?;
    let about = About {
        names: names.to_vec(),
        not_after: ends
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    };
    let about = serde_json::to_vec_pretty(&about).map_err(|e| error(e.to_string()))?;
    std::fs::create_dir_all(dir).map_err(|e| error(e.to_string()))?;
    // The key first and the description last: a crash in between leaves no
    // description, so the next start makes a whole new pair.
    let _ = std::fs::remove_file(dir.join(ABOUT_FILE));
    write_new(&dir.join(KEY_FILE), key.serialize_pem().as_bytes(), 0o600)
        .map_err(|e| error(e.to_string()))?;
    write_new(&dir.join(CERT_FILE), cert.pem().as_bytes(), 0o644)
        .map_err(|e| error(e.to_string()))?;
    write_new(&dir.join(ABOUT_FILE), &about, 0o644).map_err(|e| error(e.to_string()))?;
    let der = cert.der().clone();
    Ok(Certificate {
        fingerprint: fingerprint(&der),
        chain: vec![der],
        key: PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        path: dir.join(CERT_FILE),
        made: true,
    })
}

/// Writes `bytes` to `path` through a temporary file made with `mode`
/// (the key is never readable by others, not even for a moment), synced
/// and renamed into place.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("part");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The SHA-256 fingerprint of a certificate, as browsers show it.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The fingerprint of the certificate in a PEM file, without making one
/// (for `vitrine doctor`).
pub fn fingerprint_of(path: &Path) -> Result<String, String> {
    read_chain(path).map(|chain| fingerprint(&chain[0]))
}

/// The kept self-signed certificate's file in `state_dir`.
pub fn self_signed_path(state_dir: &Path) -> PathBuf {
    state_dir.join(SELF_SIGNED_DIR).join(CERT_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("vitrine-cert-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn the_certificate_is_kept_until_it_nears_its_end_or_misses_a_name() {
        let d = dir("kept");
        let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        let now = SystemTime::now();
        let first = self_signed(&d, &names, now).unwrap();
        assert!(first.made);
        let again = self_signed(&d, &names, now).unwrap();
        assert!(!again.made);
        assert_eq!(again.fingerprint, first.fingerprint);
        // A name it lacks (a new address) makes a new one.
        let more = vec!["10.1.2.3".to_string(), "localhost".to_string()];
        let renamed = self_signed(&d, &more, now).unwrap();
        assert!(renamed.made);
        assert_ne!(renamed.fingerprint, first.fingerprint);
        // Within a month of its end it is made again.
        let late = now + VALIDITY - RENEW_BEFORE + Duration::from_secs(60);
        let renewed = self_signed(&d, &more, late).unwrap();
        assert!(renewed.made);
        assert_ne!(renewed.fingerprint, renamed.fingerprint);
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn the_key_is_readable_by_its_owner_only_and_a_torn_pair_is_made_again() {
        let d = dir("key");
        let names = vec!["localhost".to_string()];
        let first = self_signed(&d, &names, SystemTime::now()).unwrap();
        let key = d.join(SELF_SIGNED_DIR).join(KEY_FILE);
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            fingerprint_of(&self_signed_path(&d)).unwrap(),
            first.fingerprint
        );
        // A key cut short (a full disk) is never served: a new pair is made.
        std::fs::write(&key, b"-----BEGIN PRIVATE KEY-----\nAAAA\n").unwrap();
        let next = self_signed(&d, &names, SystemTime::now()).unwrap();
        assert!(next.made);
        assert_ne!(next.fingerprint, first.fingerprint);
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn a_configured_pair_that_cannot_be_read_names_its_key() {
        let d = dir("configured");
        std::fs::create_dir_all(&d).unwrap();
        let cert = d.join("c.pem");
        std::fs::write(&cert, b"not a certificate").unwrap();
        let Err(e) = configured(&cert, &d.join("k.pem")) else {
            panic!("a file with no certificate was taken");
        };
        assert!(e.to_string().contains("admin.tls_cert"), "{e}");
        let made = self_signed(&d, &["localhost".into()], SystemTime::now()).unwrap();
        let Err(e) = configured(&made.path, &d.join("missing.pem")) else {
            panic!("a missing key was taken");
        };
        assert!(e.to_string().contains("admin.tls_key"), "{e}");
        let _ = std::fs::remove_dir_all(d);
    }
}
