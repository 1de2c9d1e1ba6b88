//! The offline cache's tests: whole and partial bodies, least recently used eviction, and every file counted in blocks and entries, bodies being written included.

use std::io::Read;

use super::*;

fn meta(url: &str) -> Meta {
    Meta {
        url: url.into(),
        final_url: url.into(),
        content_type: Some("image/png".into()),
        size: 0,
    }
}

fn keep(cache: &Arc<HttpCache>, url: &str, body: &[u8]) {
    let mut r = Tee::new(
        Box::new(std::io::Cursor::new(body.to_vec())),
        cache.writer(meta(url)).unwrap(),
    );
    std::io::copy(&mut r, &mut std::io::sink()).unwrap();
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vitrine-cache-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

#[test]
fn a_whole_body_is_kept_and_a_partial_one_is_not() {
    let cache = HttpCache::open(&temp("whole"), 1 << 20, 100).unwrap();
    keep(&cache, "http://a/x.png", b"hello");
    let hit = cache.lookup("http://a/x.png").unwrap();
    assert_eq!(fs::read(&hit.path).unwrap(), b"hello");
    assert_eq!(hit.meta.size, 5);
    // Read only partly: nothing is kept, and no temporary file stays.
    let mut r = Tee::new(
        Box::new(std::io::Cursor::new(vec![7u8; 100])),
        cache.writer(meta("http://a/y.png")).unwrap(),
    );
    let mut part = [0u8; 10];
    r.read_exact(&mut part).unwrap();
    drop(r);
    assert!(cache.lookup("http://a/y.png").is_none());
    assert_eq!(tmp_files(&cache), 0);
    assert_eq!(cache.usage(), (2 * 4096, 1), "its room was given back");
}

#[test]
fn the_least_recently_used_copy_goes_first() {
    // Each copy takes a block for its body and one for its description:
    // room for two.
    let cache = HttpCache::open(&temp("lru"), 5 * 4096, 100).unwrap();
    keep(&cache, "http://a/1", &[1; 100]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    keep(&cache, "http://a/2", &[2; 100]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    // A use makes 1 the most recent.
    assert!(cache.lookup("http://a/1").is_some());
    std::thread::sleep(std::time::Duration::from_millis(20));
    keep(&cache, "http://a/3", &[3; 100]);
    assert!(cache.lookup("http://a/1").is_some());
    assert!(
        cache.lookup("http://a/2").is_none(),
        "2 was used least recently"
    );
    assert!(cache.lookup("http://a/3").is_some());
    // A body larger than the whole bound is never kept, and gives its
    // room back.
    keep(&cache, "http://a/big", &[9; 5 * 4096]);
    assert!(cache.lookup("http://a/big").is_none());
    assert!(cache.usage().0 <= 5 * 4096);
    assert_eq!(tmp_files(&cache), 0);
}

fn tmp_files(cache: &HttpCache) -> usize {
    fs::read_dir(cache.dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count()
}

/// The files in the cache and the bytes their blocks take.
fn on_disk(cache: &HttpCache) -> (usize, u64) {
    use std::os::unix::fs::MetadataExt;
    let all: Vec<_> = fs::read_dir(cache.dir())
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap())
        .collect();
    (all.len(), all.iter().map(|m| m.blocks() * 512).sum())
}

#[test]
fn empty_bodies_count_in_blocks_and_entries_and_are_evicted() {
    let cache = HttpCache::open(&temp("empty"), 16 * 4096, 5).unwrap();
    for i in 0..100 {
        keep(&cache, &format!("http://a/{i}"), b"");
    }
    // Five entries by count (ten files), each two blocks.
    assert_eq!(cache.usage(), (10 * 4096, 5));
    let (files, bytes) = on_disk(&cache);
    assert_eq!(files, 10);
    assert!(bytes <= 16 * 4096, "{bytes} bytes on disk");
    assert!(cache.lookup("http://a/99").is_some(), "the newest stay");
    assert!(cache.lookup("http://a/0").is_none(), "the oldest went");
    // By bytes: with the count ample, eight entries fill 16 blocks.
    let cache = HttpCache::open(&temp("empty-bytes"), 16 * 4096, 10_000).unwrap();
    for i in 0..100 {
        keep(&cache, &format!("http://a/{i}"), b"");
    }
    assert_eq!(cache.usage(), (16 * 4096, 8));
    assert_eq!(on_disk(&cache).0, 16);
}

#[test]
fn a_body_being_written_holds_its_room_until_it_ends() {
    let cache = HttpCache::open(&temp("pending"), 8 * 4096, 100).unwrap();
    keep(&cache, "http://a/old", &[1; 4096]);
    assert_eq!(cache.usage(), (2 * 4096, 1));
    let mut p = cache.writer(meta("http://a/new")).unwrap();
    // Its description and first block are held before a byte is
    // written, and grow with the body.
    assert_eq!(cache.usage(), (4 * 4096, 2));
    p.write(&[2; 3 * 4096]);
    assert_eq!(cache.usage(), (6 * 4096, 2));
    // Past the bound, the old copy makes room first.
    p.write(&[2; 3 * 4096]);
    assert_eq!(cache.usage(), (7 * 4096, 1));
    assert!(cache.lookup("http://a/old").is_none());
    // A second write cannot have room the first holds.
    assert!(cache.writer(meta("http://a/other")).is_none());
    // Overrunning the bound gives the body up and its room back.
    p.write(&[2; 2 * 4096]);
    assert_eq!(cache.usage(), (0, 0));
    drop(p);
    assert_eq!(on_disk(&cache).0, 0);
}

#[test]
fn reopening_counts_what_is_kept_and_evicts_to_lowered_bounds() {
    let dir = temp("reopen");
    let cache = HttpCache::open(&dir, 1 << 20, 100).unwrap();
    for i in 0..6 {
        keep(&cache, &format!("http://a/{i}"), &[7; 10]);
    }
    fs::write(dir.join("stray.meta"), b"{}").unwrap();
    drop(cache);
    let cache = HttpCache::open(&dir, 1 << 20, 100).unwrap();
    assert_eq!(cache.usage(), (12 * 4096, 6));
    assert_eq!(on_disk(&cache).0, 12, "a description without a body goes");
    let cache = HttpCache::open(&dir, 1 << 20, 2).unwrap();
    assert_eq!(cache.usage(), (4 * 4096, 2));
    assert_eq!(on_disk(&cache).0, 4);
}

#[test]
fn a_torn_or_foreign_copy_is_not_served() {
    let cache = HttpCache::open(&temp("torn"), 1 << 20, 100).unwrap();
    keep(&cache, "http://a/t", b"0123456789");
    let hit = cache.lookup("http://a/t").unwrap();
    fs::write(&hit.path, b"0123").unwrap();
    assert!(cache.lookup("http://a/t").is_none());
    assert!(cache.lookup("http://a/other").is_none());
}
