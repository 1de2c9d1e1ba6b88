//! Unit tests of the content policy and the fetcher: roots, symlinks, schemes, hosts and bounded reads.

use super::*;

fn policy(roots: Vec<PathBuf>, hosts: &[&str]) -> Policy {
    let settings = PolicySettings {
        roots,
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
        // `[content]`'s defaults.
        max_bytes: 256 * 1024 * 1024,
        timeout: Duration::from_secs(10),
    };
    Policy::new(&settings, None)
}

#[test]
fn files_only_inside_the_roots() {
    let dir = std::env::temp_dir().join(format!("vitrine-fetch-{}", std::process::id()));
    let inside = dir.join("root");
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::write(inside.join("a.txt"), b"hello").unwrap();
    std::fs::write(dir.join("secret.txt"), b"no").unwrap();
    let p = policy(vec![inside.clone()], &[]);
    let ok = Url::from_file_path(inside.join("a.txt")).unwrap();
    assert_eq!(p.fetch(ok.as_str()).unwrap().2, b"hello");
    // `..` out of the root is caught after resolving.
    let sneaky = format!("file://{}/../secret.txt", inside.display());
    assert!(
        matches!(p.fetch(&sneaky), Err(FetchError::Forbidden(_))),
        "{:?}",
        p.fetch(&sneaky)
    );
    assert!(matches!(
        p.fetch("file:///etc/passwd"),
        Err(FetchError::Forbidden(_))
    ));
    let missing = Url::from_file_path(inside.join("nope.txt")).unwrap();
    assert!(matches!(
        p.fetch(missing.as_str()),
        Err(FetchError::NotFound(_))
    ));
}

/// Outside the roots, every file answers the same, so the policy is no
/// oracle for which files exist.
#[test]
fn outside_the_roots_is_forbidden_whatever_exists() {
    let dir = std::env::temp_dir().join(format!("vitrine-oracle-{}", std::process::id()));
    let inside = dir.join("root");
    let locked = dir.join("locked");
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(dir.join("exists.txt"), b"x").unwrap();
    let p = policy(vec![inside.clone()], &[]);
    let outside = [
        dir.join("exists.txt"),
        dir.join("nope.txt"),
        locked.join("deeper/nope.txt"),
        PathBuf::from("/etc/shadow"),
        PathBuf::from("/etc/nope"),
        PathBuf::from("/root/x"),
    ];
    for path in outside {
        let url = Url::from_file_path(&path).unwrap();
        let result = p.fetch(url.as_str());
        assert!(
            matches!(&result, Err(FetchError::Forbidden(m)) if m.ends_with("is outside content.roots")),
            "{}: {:?}",
            path.display(),
            result.map(|_| ())
        );
    }
    // `..` that climbs back into the root is still inside.
    std::fs::write(inside.join("a.txt"), b"hello").unwrap();
    let back = format!("file://{}/../root/a.txt", inside.display());
    assert_eq!(p.fetch(&back).unwrap().2, b"hello");
}

#[test]
fn hosts_and_schemes() {
    let p = policy(vec![], &["example.com", "*.cdn.test"]);
    let ok = |u: &str| p.check(&Url::parse(u).unwrap());
    assert!(ok("https://example.com/x").is_ok());
    assert!(ok("https://img.cdn.test/x").is_ok());
    assert!(ok("https://cdn.test/x").is_ok());
    assert!(matches!(
        ok("https://evil.com/x"),
        Err(FetchError::Forbidden(_))
    ));
    assert!(matches!(
        ok("ftp://example.com/x"),
        Err(FetchError::UnsupportedScheme(_))
    ));
    assert!(matches!(p.fetch("not a url"), Err(FetchError::BadUrl(_))));
    let any = policy(vec![], &[]);
    assert!(
        any.check(&Url::parse("http://anything.local/").unwrap())
            .is_ok()
    );
}
