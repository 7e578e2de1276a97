//! Folders and files only the user may open: the data folder and logs folder 0700, the
//! ledger, its WAL files, the demo provider's books and log files 0600 (Unix). The ledger
//! holds voucher PINs and eSIM codes; other accounts on the machine must not read it.
//!
//! Permissions are set explicitly on each path, never through the process umask, which a
//! library must not change under the app. Elsewhere the OS defaults apply (a Windows
//! profile folder is already private to its user).

use std::io;
use std::path::Path;

/// Creates `dir` (and missing parents) readable only by the user, and tightens it if it
/// already exists with group or other access.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        tighten_dir(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes sure the file at `path` exists and is readable only by the user, before SQLite
/// opens it: SQLite gives the `-wal` and `-shm` files it creates the main file's mode.
/// An existing file is not opened, only tightened, so its bytes stay as they are.
pub fn create_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => tighten(path, 0o600),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => tighten(path, 0o600),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Tightens a SQLite file and the `-wal`/`-shm`/`-journal` files beside it that exist, as
/// left by an older version that did not set permissions.
pub fn tighten_database(path: &Path) -> io::Result<()> {
    tighten_file(path)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        tighten_file(Path::new(&side))?;
    }
    Ok(())
}

/// Tightens every file directly in `dir` (log files written before this rule).
pub fn tighten_files_in(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            tighten_file(&entry.path())?;
        }
    }
    Ok(())
}

/// Removes group and other access from an existing file; a missing one is fine.
fn tighten_file(path: &Path) -> io::Result<()> {
    match tighten(path, 0o600) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Tightens a folder the user chose, except a shared one: a sticky folder such as /tmp is
/// shared by design (and changing it would break the machine when run as root), and a
/// folder owned by someone else cannot be changed. Either is logged, not refused: the
/// files inside are still created 0600.
#[cfg(unix)]
fn tighten_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o1000 != 0 {
        tracing::warn!(dir = %dir.display(), "the data folder is a shared folder; left as it is");
        return Ok(());
    }
    match tighten(dir, 0o700) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            tracing::warn!(dir = %dir.display(), "cannot make the folder private: {e}");
            Ok(())
        }
        other => other,
    }
}

#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current & 0o077 == 0 {
        return Ok(()); // already private; keep whatever the user chose within that
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn tighten(path: &Path, _mode: u32) -> io::Result<()> {
    std::fs::metadata(path).map(|_| ())
}

/// The permission bits of `path` (tests).
#[cfg(all(test, unix))]
pub(crate) fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn a_new_data_folder_is_0700_and_an_open_one_is_tightened() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("a/b");
        create_dir(&dir).expect("create");
        assert_eq!(mode_of(&dir), 0o700);
        set_mode(&dir, 0o755);
        create_dir(&dir).expect("again");
        assert_eq!(
            mode_of(&dir),
            0o700,
            "a folder others could list is tightened"
        );
    }

    #[test]
    fn a_shared_sticky_folder_is_left_as_it_is() {
        let tmp = tempfile::tempdir().expect("tmp");
        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).expect("mkdir");
        set_mode(&shared, 0o1777);
        create_dir(&shared).expect("create");
        assert_eq!(mode_of(&shared), 0o777);
        create_file(&shared.join("f")).expect("file");
        assert_eq!(mode_of(&shared.join("f")), 0o600);
    }

    #[test]
    fn a_new_file_is_0600_and_an_existing_one_keeps_its_bytes() {
        let tmp = tempfile::tempdir().expect("tmp");
        let file = tmp.path().join("ledger.sqlite3");
        create_file(&file).expect("create");
        assert_eq!(mode_of(&file), 0o600);
        std::fs::write(&file, b"books").expect("write");
        set_mode(&file, 0o644);
        create_file(&file).expect("again");
        assert_eq!(mode_of(&file), 0o600);
        assert_eq!(std::fs::read(&file).expect("read"), b"books");
    }

    #[test]
    fn wal_files_and_log_files_left_open_are_tightened() {
        let tmp = tempfile::tempdir().expect("tmp");
        let db = tmp.path().join("x.sqlite3");
        for name in [
            "x.sqlite3",
            "x.sqlite3-wal",
            "x.sqlite3-shm",
            "app.2026-01-01.log",
        ] {
            let p = tmp.path().join(name);
            std::fs::write(&p, b"").expect("write");
            set_mode(&p, 0o644);
        }
        tighten_database(&db).expect("db");
        tighten_files_in(tmp.path()).expect("logs");
        for name in [
            "x.sqlite3",
            "x.sqlite3-wal",
            "x.sqlite3-shm",
            "app.2026-01-01.log",
        ] {
            assert_eq!(mode_of(&tmp.path().join(name)), 0o600, "{name}");
        }
    }
}
